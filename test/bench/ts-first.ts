/**
 * Under ts-node, `import './LoymaxSc.node'` resolves to `LoymaxSc.node.json` (the codex file):
 * Node tries the extensions in registration order and `.json` comes before the `.ts` that
 * ts-node adds (jest resolves `.ts` first, so the tests never see it). Moving `.ts` ahead of
 * `.json` and `.node` makes the bench load the node class. Import this before anything else.
 */
const extensions = require.extensions as NodeJS.RequireExtensions;
for (const ext of ['.json', '.node']) {
	const handler = extensions[ext];
	if (!handler || !extensions['.ts']) continue;
	delete extensions[ext];
	extensions[ext] = handler;
}

export {};
