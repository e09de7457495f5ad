import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';

import { forgetReadings } from '../../nodes/LoymaxSc/transport/readings';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox';
import { Engine, type RunOptions, type RunResult } from './engine';

export const DEMO_USER = 'demo@loymaxsc.local';
export const DEMO_PASSWORD = 'demo-password';

/** Test pacing: fast, but every pause and retry path still runs. */
export const FAST_SETTINGS: ICredentialDataDecryptedObject = {
	advanced: true,
	maxRequestsPerMinute: 60_000,
	rateLimitPauseSeconds: 0.05,
	maxWaitSeconds: 5,
	retryDelaySeconds: 0.01,
	pageSize: 100,
};

export interface Fixture {
	sandbox: Sandbox;
	engine: Engine;
	run: (options: RunOptions) => Promise<RunResult>;
	/** Runs and fails the test on a node error. */
	ok: (parameters: INodeParameters, items?: RunOptions['items']) => Promise<RunResult>;
	requests: (filter?: { method?: string; path?: string | RegExp }) => Sandbox['log'];
	tokenCalls: () => number;
	close: () => Promise<void>;
}

export async function createFixture(
	sandboxOptions: SandboxOptions = {},
	credential: ICredentialDataDecryptedObject = {},
): Promise<Fixture> {
	const sandbox = await startSandbox({ port: 0, ...sandboxOptions });
	// A new sandbox is an API the node has not met (its port may have served another one before).
	forgetReadings(sandbox.url);
	const engine = new Engine({
		baseUrl: sandbox.url,
		username: DEMO_USER,
		password: DEMO_PASSWORD,
		...FAST_SETTINGS,
		...credential,
	});
	const requests: Fixture['requests'] = (filter = {}) =>
		sandbox.log.filter(
			(entry) =>
				(!filter.method || entry.method === filter.method) &&
				(!filter.path ||
					(typeof filter.path === 'string' ? entry.path.replace(/\/+$/, '') === filter.path : filter.path.test(entry.path))),
		);
	return {
		sandbox,
		engine,
		run: (options) => engine.run(options),
		ok: async (parameters, items) => {
			const result = await engine.run({ parameters, items });
			if (result.error) throw result.error;
			return result;
		},
		requests,
		tokenCalls: () => requests({ method: 'POST', path: '/token' }).length,
		close: () => sandbox.close(),
	};
}

/** The body the node sent, unwrapped from the JSON:API envelope. */
export const sentAttributes = (entry: { body: unknown }) =>
	((entry.body as { data?: { attributes?: Record<string, unknown> } })?.data?.attributes ?? {}) as Record<string, unknown>;
