/**
 * `ts-node --transpile-only sandbox/cli.ts` — start the sandbox until SIGINT/SIGTERM.
 *
 * Env: SANDBOX_PORT (8787), SANDBOX_HOST (127.0.0.1), SANDBOX_TOKEN_TTL, SANDBOX_RATE_LIMIT,
 * SANDBOX_MAX_PAGE_SIZE, SANDBOX_RETRY_AFTER, SANDBOX_CUSTOMERS, SANDBOX_ORDERS, SANDBOX_INFO_FILE.
 */
import { writeFileSync } from 'node:fs';
import { startSandbox } from './index';
import type { SandboxOptions } from './types';

function intEnv(name: string): number | undefined {
	const raw = process.env[name];
	if (raw === undefined || raw.trim() === '') return undefined;
	const n = Number(raw);
	if (!Number.isInteger(n)) {
		console.error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
		process.exit(2);
	}
	return n;
}

async function main(): Promise<void> {
	const seed: SandboxOptions['seed'] = {};
	const customers = intEnv('SANDBOX_CUSTOMERS');
	const orders = intEnv('SANDBOX_ORDERS');
	if (customers !== undefined) seed.customers = customers;
	if (orders !== undefined) seed.orders = orders;

	const sb = await startSandbox({
		port: intEnv('SANDBOX_PORT') ?? 8787,
		host: process.env.SANDBOX_HOST || '127.0.0.1',
		tokenTtlSeconds: intEnv('SANDBOX_TOKEN_TTL'),
		rateLimitPerMinute: intEnv('SANDBOX_RATE_LIMIT'),
		maxPageSize: intEnv('SANDBOX_MAX_PAGE_SIZE'),
		retryAfterSeconds: intEnv('SANDBOX_RETRY_AFTER'),
		seed,
	});
	const user = sb.options.users[0];
	console.log(`Loymax SC sandbox listening on ${sb.url}`);
	console.log(`username: ${user.username}`);
	console.log(`password: ${user.password}`);
	const infoFile = process.env.SANDBOX_INFO_FILE;
	if (infoFile) {
		writeFileSync(infoFile, JSON.stringify({ url: sb.url, username: user.username, password: user.password }, null, 2) + '\n');
	}

	let stopping = false;
	const stop = (signal: string): void => {
		if (stopping) return;
		stopping = true;
		sb.close().then(
			() => process.exit(0),
			(e) => {
				console.error(`sandbox close failed after ${signal}`, e);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
