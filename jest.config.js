/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
	modulePathIgnorePatterns: ['<rootDir>/dist/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true, esModuleInterop: true, target: 'es2022', module: 'commonjs', resolveJsonModule: true } }] },
	setupFiles: ['<rootDir>/test/harness/setup-env.ts'],
	testTimeout: 30000,
	// n8n-core leaves process-wide handles (DI singletons, agents) open after WorkflowExecute runs.
	forceExit: true,
};
