import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { config } from '@n8n/node-cli/eslint';

// The n8n-node CLI's own configuration (what `n8n-node lint` applies to a new node package),
// unchanged for the package's code: nodes/, credentials/ and package.json. Its "strict" mode
// accepts only the unmodified two-line default file, so package.json sets n8n.strict to false:
// the CLI's rules still all apply to the code that ships (and n8n's scanner, scripts/scan.js,
// lints exactly that code with the same n8n Cloud rule set).
export default [
	...config,
	{ ignores: ['examples/**'] },
	{
		// Tests, the API sandbox and the benchmarks run on Node, never inside n8n: they may use what
		// node code may not (process, timers, node: modules, child processes, the console), so the
		// community-node rules and no-console stay with nodes/ and credentials/.
		files: ['**/*.ts'],
		ignores: ['nodes/**', 'credentials/**'],
		rules: {
			...Object.fromEntries(Object.keys(n8nCommunityNodesPlugin.configs.recommended.rules).map((rule) => [rule, 'off'])),
			'no-console': 'off',
			// Assertions read the sandbox's and n8n's JSON answers, which have no declared type.
			'@typescript-eslint/no-explicit-any': 'off',
			// `const { dropped: _dropped, ...kept } = object` is how a key is left out.
			'@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
		},
	},
];
