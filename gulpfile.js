const { src, dest, task } = require('gulp');

// tsc emits only .js; n8n needs the icons and the node's codex file (.node.json) next to them in dist/.
task('build:icons', () =>
	src(['nodes/**/*.{png,svg,json}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(dest('dist')),
);
