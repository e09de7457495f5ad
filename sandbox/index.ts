/**
 * Loymax SC sandbox: a local HTTP server that behaves like the Loymax SC REST API as CONTRACT.md
 * reads it. `const sb = await startSandbox({ port: 0 }); … await sb.close();`
 */
export { startSandbox } from './server';
export type { Sandbox } from './server';
export type {
	Envelope,
	Fault,
	FaultKind,
	FaultMatch,
	IdSortable,
	IssueTokenOptions,
	RequestLogEntry,
	RateLimitMode,
	ResolvedSandboxOptions,
	SandboxOptions,
	SandboxUser,
	SeedCounts,
} from './types';
export { Collection, Store } from './store';
export type { StoredRecord } from './store';
export { DEFAULT_SEED, DEMO_USER } from './options';
export { customerKey, orderKey, productKey, categoryKey, promoGroupKey, dictionaryKey } from './seed';
