/**
 * `ts-node --transpile-only sandbox/cli.ts` — start the sandbox until SIGINT/SIGTERM.
 *
 * Env: SANDBOX_PORT (8787), SANDBOX_HOST (127.0.0.1), SANDBOX_TOKEN_TTL, SANDBOX_RATE_LIMIT,
 * SANDBOX_RATE_LIMIT_WINDOW, SANDBOX_RATE_LIMIT_MODE, SANDBOX_RATE_LIMIT_HEADERS, SANDBOX_MAX_PAGE_SIZE,
 * SANDBOX_OMIT_NEXT_LINK, SANDBOX_OMIT_META, SANDBOX_RETRY_AFTER, SANDBOX_CUSTOMERS, SANDBOX_ORDERS,
 * SANDBOX_INFO_FILE (see README.md).
 */
import { writeFileSync } from 'node:fs';
import { startSandbox } from './index';
import type { RateLimitMode, SandboxOptions } from './types';

function fail(message: string): never {
	console.error(message);
	process.exit(2);
}

function intEnv(name: string): number | undefined {
	const raw = process.env[name];
	if (raw === undefined || raw.trim() === '') return undefined;
	const n = Number(raw);
	if (!Number.isInteger(n)) fail(`${name} must be an integer, got ${JSON.stringify(raw)}`);
	return n;
}

function numberEnv(name: string): number | undefined {
	const raw = process.env[name];
	if (raw === undefined || raw.trim() === '') return undefined;
	const n = Number(raw);
	if (!(n > 0)) fail(`${name} must be a number above 0, got ${JSON.stringify(raw)}`);
	return n;
}

/** `1`/`true`/`yes` or `0`/`false`/`no`. */
function booleanEnv(name: string): boolean | undefined {
	const raw = process.env[name]?.trim().toLowerCase();
	if (raw === undefined || raw === '') return undefined;
	if (['1', 'true', 'yes'].includes(raw)) return true;
	if (['0', 'false', 'no'].includes(raw)) return false;
	return fail(`${name} must be 1/true/yes or 0/false/no, got ${JSON.stringify(raw)}`);
}

function modeEnv(name: string): RateLimitMode | undefined {
	const raw = process.env[name]?.trim();
	if (raw === undefined || raw === '') return undefined;
	if (raw === 'sliding' || raw === 'fixed') return raw;
	return fail(`${name} must be sliding or fixed, got ${JSON.stringify(raw)}`);
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
		rateLimitWindowSeconds: numberEnv('SANDBOX_RATE_LIMIT_WINDOW'),
		rateLimitMode: modeEnv('SANDBOX_RATE_LIMIT_MODE'),
		rateLimitHeaders: booleanEnv('SANDBOX_RATE_LIMIT_HEADERS'),
		maxPageSize: intEnv('SANDBOX_MAX_PAGE_SIZE'),
		omitNextLink: booleanEnv('SANDBOX_OMIT_NEXT_LINK'),
		omitMeta: booleanEnv('SANDBOX_OMIT_META'),
		ignorePageNumber: booleanEnv('SANDBOX_IGNORE_PAGE_NUMBER'),
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
