const { src, dest, task } = require('gulp');

// tsc emits only .js; n8n needs the node and credential icons next to them in dist/.
task('build:icons', () =>
	src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(dest('dist')),
);
