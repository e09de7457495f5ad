/**
 * `npm run bench`: performance figures of the Loymax SC node, run inside n8n's engine against the
 * local sandbox. Figures are printed with their goal and PASS/MISS; nothing here fails on a MISS
 * (the exit code is non-zero only when a measurement could not be taken at all).
 *
 * This process hosts the sandboxes (a fresh one per scenario: random port, so a fresh rate
 * limiter and token in the node); every measurement runs in a fresh child process
 * (`worker.ts`) so that the n8n side's time and RSS are its own.
 *
 * Env: BENCH_N (P1 records, 10000), BENCH_BIG_N (P1 RSS, 100000), BENCH_UPSERT_N (P2, 10000),
 * BENCH_UPSERT429_N (P2 with 10 % 429s, 3000), BENCH_P3_RUNS (20).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';

import { startSandbox, type RequestLogEntry, type Sandbox, type SandboxOptions } from '../../sandbox';

const ROOT = resolve(__dirname, '..', '..');
const OUT_DIR = __dirname;

const envInt = (name: string, fallback: number) => {
	const value = Number(process.env[name]);
	return Number.isInteger(value) && value > 0 ? value : fallback;
};

const N = envInt('BENCH_N', 10_000);
const BIG_N = envInt('BENCH_BIG_N', 100_000);
const UPSERT_N = envInt('BENCH_UPSERT_N', 10_000);
const UPSERT429_N = envInt('BENCH_UPSERT429_N', Math.min(3_000, UPSERT_N));
const P3_RUNS = envInt('BENCH_P3_RUNS', 20);

const PAGE_SIZE = 100;
const UNTHROTTLED = 1_000_000_000;
const SANDBOX_LIMIT = 6_000;
const NODE_LIMIT = Math.floor(SANDBOX_LIMIT * 0.98);

/** Credential settings of P1: a limit so high that it never spaces requests (P1 measures the engine path). */
const P1_SETTINGS = {
	maxRequestsPerMinute: 600_000,
	rateLimitPauseSeconds: 0.05,
	maxWaitSeconds: 600,
	retryDelaySeconds: 0.01,
	pageSize: PAGE_SIZE,
	bodyFormat: 'wrapped',
};
/** P2: the credential's defaults (60 s pause, 600 s max wait, 1 s retry delay) at 98 % of the sandbox limit. */
const P2_SETTINGS = {
	maxRequestsPerMinute: NODE_LIMIT,
	rateLimitPauseSeconds: 60,
	maxWaitSeconds: 600,
	retryDelaySeconds: 1,
	pageSize: PAGE_SIZE,
	bodyFormat: 'wrapped',
};
const P3_SETTINGS = { ...P2_SETTINGS, maxRequestsPerMinute: 950 };

// ───────────────────────────────────────────── helpers

interface Row {
	scenario: string;
	measure: string;
	figure: string;
	goal: string;
	/** PASS / MISS for rows with a goal, INFO for reference figures, ERROR when not measured. */
	result: 'PASS' | 'MISS' | 'INFO' | 'ERROR';
	value?: number;
}

const rows: Row[] = [];
const details: Record<string, unknown> = {};
let failures = 0;

const row = (r: Row) => rows.push(r);
const verdict = (ok: boolean): Row['result'] => (ok ? 'PASS' : 'MISS');
const ms = (value: number) => (value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MiB`;
const x = (value: number) => `${value.toFixed(2)}×`;
const int = (value: number) => value.toLocaleString('en-US');
const progress = (text: string) => process.stderr.write(`[bench] ${text}\n`);

function runWorker<T>(task: string, args: unknown, nodeFlags: string[] = [], timeoutMs = 20 * 60_000): Promise<T> {
	return new Promise((resolvePromise, reject) => {
		const child = spawn(
			process.execPath,
			['--expose-gc', ...nodeFlags, '-r', 'ts-node/register/transpile-only', join('test', 'bench', 'worker.ts'), task, JSON.stringify(args)],
			{ cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } },
		);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			const line = stdout
				.trim()
				.split('\n')
				.reverse()
				.find((text) => text.startsWith('{'));
			let message: { ok: boolean; result?: T; error?: string } | undefined;
			try {
				message = line ? JSON.parse(line) : undefined;
			} catch {
				message = undefined;
			}
			if (message?.ok) return resolvePromise(message.result as T);
			reject(
				new Error(
					`worker ${task} failed (exit ${code ?? signal}): ${message?.error ?? 'no result line'}\n${stderr.trim().split('\n').slice(-15).join('\n')}`,
				),
			);
		});
	});
}

async function withSandbox<T>(options: SandboxOptions, body: (sandbox: Sandbox) => Promise<T>): Promise<T> {
	const sandbox = await startSandbox({ port: 0, ...options });
	try {
		return await body(sandbox);
	} finally {
		await sandbox.close();
	}
}

const inWindow = (log: RequestLogEntry[], [from, to]: [number, number]) => log.filter((entry) => entry.time >= from && entry.time <= to);
const isToken = (entry: RequestLogEntry) => entry.method === 'POST' && entry.path.replace(/\/+$/, '') === '/token';
const pagesOf = (log: RequestLogEntry[]) =>
	log.filter((entry) => entry.method === 'GET' && !isToken(entry)).map((entry) => `${entry.query['page[number]']}/${entry.query['page[size]']}`);

async function scenario(name: string, body: () => Promise<void>) {
	const started = Date.now();
	progress(`${name} …`);
	try {
		await body();
		progress(`${name} done in ${ms(Date.now() - started)}`);
	} catch (error) {
		failures++;
		progress(`${name} FAILED: ${(error as Error).stack ?? String(error)}`);
		row({ scenario: name, measure: 'measurement', figure: String((error as Error).message).split('\n')[0], goal: '—', result: 'ERROR' });
	}
}

// ───────────────────────────────────────────── P1: Get Many

interface P1Time {
	engineMs: number;
	engineItems: number;
	engineWindow: [number, number];
	rawMs: number;
	rawItems: number;
	rawPages: number;
	rawWindow: [number, number];
	rawNoKeepAliveMs: number;
	rawNoKeepAliveItems: number;
	rawNoKeepAliveWindow: [number, number];
}

interface P1Memory {
	mode: 'engine' | 'raw';
	items: number;
	wrapped: number;
	ms: number;
	baselineRss: number;
	peakRss: number;
	endRss: number;
	growth: number;
	retainedHeap: number;
	jsonBytes: number;
	samples: number;
}

const WARM_SANDBOX: SandboxOptions = { seed: { customers: 500 }, maxPageSize: PAGE_SIZE, rateLimitPerMinute: UNTHROTTLED };
const p1Sandbox = (customers: number): SandboxOptions => ({ seed: { customers }, maxPageSize: PAGE_SIZE, rateLimitPerMinute: UNTHROTTLED });

async function p1Time() {
	const name = `P1 Get Many ${int(N)}`;
	await withSandbox(WARM_SANDBOX, (warm) =>
		withSandbox(p1Sandbox(N), async (sandbox) => {
			const result = await runWorker<P1Time>('p1-time', { url: sandbox.url, warmUrl: warm.url, settings: P1_SETTINGS });
			const engineLog = inWindow(sandbox.log, result.engineWindow);
			const rawLog = inWindow(sandbox.log, result.rawWindow);
			const tokenCalls = engineLog.filter(isToken).length;
			const apiCalls = engineLog.length - tokenCalls;
			const expectedPages = Math.ceil(N / PAGE_SIZE);
			const samePages = JSON.stringify(pagesOf(engineLog)) === JSON.stringify(pagesOf(rawLog));
			const tokenAt = engineLog.find(isToken)?.time;
			const firstPageAt = engineLog.find((entry) => !isToken(entry))?.time;
			const loginMs = tokenAt !== undefined && firstPageAt !== undefined ? firstPageAt - tokenAt : 0;
			details.p1Time = { ...result, tokenCalls, apiCalls, samePages, loginMs, engineStatuses: count(engineLog.map((entry) => entry.status)) };
			if (result.engineItems !== N || result.rawItems !== N) {
				throw new Error(`expected ${N} items, engine returned ${result.engineItems}, raw loop ${result.rawItems}`);
			}
			row({
				scenario: name,
				measure: 'requests (sandbox log)',
				figure: `${engineLog.length} (${apiCalls} pages + ${tokenCalls} token)`,
				goal: `≤ ${expectedPages + 1} (ceil(${int(N)}/${PAGE_SIZE}) + 1 token)`,
				result: verdict(apiCalls <= expectedPages && tokenCalls <= 1),
				value: engineLog.length,
			});
			const ratio = result.engineMs / result.rawMs;
			row({
				scenario: name,
				measure: 'wall time, engine vs raw keep-alive loop',
				figure: `${ms(result.engineMs)} vs ${ms(result.rawMs)} = ${x(ratio)}${samePages ? '' : ' (pages differ!)'}`,
				goal: '≤ 1.10×',
				result: verdict(ratio <= 1.1),
				value: ratio,
			});
			row({
				scenario: name,
				measure: 'reference: raw loop, new connection per page',
				figure: `${ms(result.rawNoKeepAliveMs)} (engine = ${x(result.engineMs / result.rawNoKeepAliveMs)} of it); engine's login ≈ ${ms(loginMs)}`,
				goal: '—',
				result: 'INFO',
				value: result.engineMs / result.rawNoKeepAliveMs,
			});
		}),
	);
}

async function p1Memory(records: number, withEagerGc: boolean) {
	const name = `P1 Get Many ${int(records)}`;
	const measure = async (mode: 'engine' | 'raw', nodeFlags: string[] = []) =>
		withSandbox(WARM_SANDBOX, (warm) =>
			withSandbox(p1Sandbox(records), (sandbox) =>
				runWorker<P1Memory>('p1-mem', { mode, url: sandbox.url, warmUrl: warm.url, settings: P1_SETTINGS }, nodeFlags),
			),
		);
	const engine = await measure('engine');
	const raw = await measure('raw');
	// Same engine run with V8 collecting eagerly: separates garbage not yet collected from data kept.
	const eager = withEagerGc ? await measure('engine', ['--optimize-for-size']) : undefined;
	details[`p1Memory${records}`] = { engine, raw, engineOptimizeForSize: eager };
	if (engine.items !== records || raw.items !== records) {
		throw new Error(`expected ${records} items, engine returned ${engine.items}, raw loop ${raw.items}`);
	}
	const ratio = engine.growth / engine.jsonBytes;
	row({
		scenario: name,
		measure: 'peak RSS growth vs output JSON',
		figure: `${mb(engine.growth)} vs ${mb(engine.jsonBytes)} = ${x(ratio)}`,
		goal: '≤ 2×',
		result: verdict(ratio <= 2),
		value: ratio,
	});
	row({
		scenario: name,
		measure: 'reference: raw loop peak RSS growth',
		figure: `${mb(raw.growth)} = ${x(raw.growth / raw.jsonBytes)} of JSON`,
		goal: '—',
		result: 'INFO',
		value: raw.growth / raw.jsonBytes,
	});
	if (eager) {
		row({
			scenario: name,
			measure: 'reference: engine peak RSS growth, node --optimize-for-size',
			figure: `${mb(eager.growth)} = ${x(eager.growth / eager.jsonBytes)} of JSON (run ${ms(eager.ms)} instead of ${ms(engine.ms)})`,
			goal: '—',
			result: 'INFO',
			value: eager.growth / eager.jsonBytes,
		});
	}
	row({
		scenario: name,
		measure: 'reference: heap retained after GC, engine / raw',
		figure: `${mb(engine.retainedHeap)} (${x(engine.retainedHeap / engine.jsonBytes)}) / ${mb(raw.retainedHeap)} (${x(raw.retainedHeap / raw.jsonBytes)})`,
		goal: '—',
		result: 'INFO',
	});
}

// ───────────────────────────────────────────── P2: bulk upsert

interface P2Result {
	n: number;
	ms: number;
	window: [number, number];
	outputs: number;
	rightId: number;
	wrongId: number;
	unpaired: number;
	inputsWithoutOutput: number;
	inputsWithSeveralOutputs: number;
	errorItems: number;
	rateLimitErrors: number;
	errorSamples: string[];
	runError?: string;
	expressionsPerItem: number;
	routingNodeExpressionsPerItem: number;
}

const localIdOf = (index: number) => `B-${String(index + 1).padStart(6, '0')}`;
const count = <T>(values: T[]) => values.reduce((map, value) => map.set(value, (map.get(value) ?? 0) + 1), new Map<T, number>());

function checkUpsert(sandbox: Sandbox, result: P2Result, n: number) {
	const log = inWindow(sandbox.log, result.window);
	const writes = log.filter((entry) => entry.method === 'POST' && entry.path.replace(/\/+$/, '') === '/customer');
	const attemptsPerId = new Map<string, { accepted: number; limited: number; other: number }>();
	for (const entry of writes) {
		const id = String((entry.body as { data?: { attributes?: { local_id?: unknown } } })?.data?.attributes?.local_id);
		const attempts = attemptsPerId.get(id) ?? { accepted: 0, limited: 0, other: 0 };
		if (entry.status === 429) attempts.limited++;
		else if (entry.status >= 200 && entry.status < 300) attempts.accepted++;
		else attempts.other++;
		attemptsPerId.set(id, attempts);
	}
	let missingInStore = 0;
	let wrongInStore = 0;
	for (let index = 0; index < n; index++) {
		const record = sandbox.store.customers.get(localIdOf(index)) as { attributes?: Record<string, unknown> } | undefined;
		if (!record) missingInStore++;
		else if (record.attributes?.first_name !== `Bench${index + 1}`) wrongInStore++;
	}
	const duplicates = [...attemptsPerId.values()].filter((attempts) => attempts.accepted + attempts.other > 1).length;
	const received429 = log.filter((entry) => entry.status === 429).length;
	const retries = writes.length - attemptsPerId.size;
	const accepted = log.filter((entry) => entry.status !== 429).length;
	const times = log.map((entry) => entry.time);
	const firstAt = Math.min(...times);
	const lastAt = Math.max(...times);
	const lost = Math.max(n - result.rightId, missingInStore + wrongInStore);
	return {
		requests: log.length,
		accepted,
		tokenCalls: log.filter(isToken).length,
		received429,
		retries,
		duplicates,
		otherStatuses: Object.fromEntries(count(log.filter((entry) => entry.status !== 429).map((entry) => entry.status))),
		storeSize: sandbox.store.customers.size,
		missingInStore,
		wrongInStore,
		lost,
		firstRequestAfterMs: firstAt - result.window[0],
		steadyRatePerMinute: times.length > 1 ? ((accepted - 1) / (lastAt - firstAt)) * 60_000 : 0,
	};
}

async function p2Upsert(n: number, faulty: boolean) {
	const name = faulty ? `P2 upsert ${int(n)}, 10 % 429` : `P2 upsert ${int(n)}`;
	const settings = faulty ? { ...P2_SETTINGS, rateLimitPauseSeconds: 0.05 } : P2_SETTINGS;
	const warmSandbox: SandboxOptions = { seed: { customers: 0 }, rateLimitPerMinute: UNTHROTTLED };
	await withSandbox(warmSandbox, (warm) => withSandbox({ seed: { customers: 0 }, rateLimitPerMinute: SANDBOX_LIMIT }, async (sandbox) => {
		if (faulty) sandbox.inject({ kind: 'random429', ratio: 0.1 });
		const result = await runWorker<P2Result>('p2-upsert', { n, url: sandbox.url, warmUrl: warm.url, settings });
		const check = checkUpsert(sandbox, result, n);
		details[faulty ? 'p2Upsert429' : 'p2Upsert'] = { settings, result, check };
		const rate = (check.accepted / result.ms) * 60_000;
		const userErrors = result.errorItems + (result.runError ? 1 : 0);
		if (!faulty) {
			row({
				scenario: name,
				measure: 'achieved rate / sandbox limit',
				figure: `${Math.round(rate)}/min of ${SANDBOX_LIMIT} = ${(rate / SANDBOX_LIMIT).toFixed(3)} (${int(check.accepted)} req in ${ms(result.ms)})`,
				goal: '≥ 0.95',
				result: verdict(rate / SANDBOX_LIMIT >= 0.95),
				value: rate / SANDBOX_LIMIT,
			});
			row({
				scenario: name,
				measure: 'reference: first request after run start; rate from then on',
				figure: `${ms(check.firstRequestAfterMs)}; ${Math.round(check.steadyRatePerMinute)}/min = ${(check.steadyRatePerMinute / SANDBOX_LIMIT).toFixed(3)}`,
				goal: '—',
				result: 'INFO',
			});
			row({
				scenario: name,
				measure: 'reference: expression evaluations per item (by the RoutingNode)',
				figure: `${result.expressionsPerItem.toFixed(1)} (${result.routingNodeExpressionsPerItem.toFixed(1)}) for 3 mapped parameters`,
				goal: '—',
				result: 'INFO',
			});
		} else {
			row({
				scenario: name,
				measure: 'wall time; requests; rate',
				figure: `${ms(result.ms)}; ${int(check.requests)}; ${Math.round(rate)}/min accepted`,
				goal: '—',
				result: 'INFO',
			});
		}
		row({
			scenario: name,
			measure: '429s received (sandbox log); retries',
			figure: `${int(check.received429)}; ${int(check.retries)} repeated writes`,
			goal: faulty ? '—' : '— (0 expected)',
			result: 'INFO',
			value: check.received429,
		});
		row({
			scenario: name,
			measure: '429s shown to the user (node errors)',
			figure: `${result.rateLimitErrors}${userErrors > result.rateLimitErrors ? ` (+${userErrors - result.rateLimitErrors} other errors)` : ''}`,
			goal: '0',
			result: verdict(userErrors === 0),
			value: result.rateLimitErrors,
		});
		row({
			scenario: name,
			measure: 'items lost (output local_id, store, duplicates)',
			figure: `${check.lost} lost: ${int(result.rightId)}/${int(n)} outputs right, store ${int(n - check.missingInStore - check.wrongInStore)}/${int(n)}, ${check.duplicates} duplicates`,
			goal: '0 lost, 0 duplicates',
			result: verdict(check.lost === 0 && check.duplicates === 0 && result.inputsWithSeveralOutputs === 0 && result.unpaired === 0),
			value: check.lost,
		});
	}));
}

// ───────────────────────────────────────────── P3: token reuse

async function p3Tokens(concurrent: boolean) {
	const name = `P3 ${P3_RUNS} executions, one Engine`;
	await withSandbox({ tokenTtlSeconds: 3600 }, async (sandbox) => {
		const result = await runWorker<{ runs: number; ms: number; errors: string[]; found: number; preAuthenticationCalls: number }>(
			'p3-tokens',
			{ url: sandbox.url, settings: P3_SETTINGS, runs: P3_RUNS, concurrent },
		);
		const tokenCalls = sandbox.log.filter(isToken).length;
		details[concurrent ? 'p3Concurrent' : 'p3Sequential'] = { ...result, tokenCalls, requests: sandbox.log.length };
		const ok = result.errors.length === 0 && result.found === P3_RUNS;
		row({
			scenario: name,
			measure: `token calls, ${concurrent ? 'concurrent' : 'sequential'} executions`,
			figure: `${tokenCalls}${ok ? '' : ` (${result.errors.length} failed runs)`}`,
			goal: '1',
			result: verdict(tokenCalls === 1 && ok),
			value: tokenCalls,
		});
	});
}

// ───────────────────────────────────────────── output

function table(markdown: boolean): string {
	const header = ['Scenario', 'Measure', 'Figure', 'Goal', 'Result'];
	const cells = rows.map((r) => [r.scenario, r.measure, r.figure, r.goal, r.result]);
	if (markdown) {
		const escape = (text: string) => text.replace(/\|/g, '\\|');
		return [
			`| ${header.join(' | ')} |`,
			`| ${header.map(() => '---').join(' | ')} |`,
			...cells.map((line) => `| ${line.map(escape).join(' | ')} |`),
		].join('\n');
	}
	const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => line[column].length)));
	const format = (line: string[]) => line.map((cell, column) => cell.padEnd(widths[column])).join('  ');
	const rule = widths.map((width) => '─'.repeat(width)).join('  ');
	return [format(header), rule, ...cells.map(format)].join('\n');
}

function machine() {
	const cpus = os.cpus();
	const n8nCore = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'n8n-core', 'package.json'), 'utf8')) as { version: string }).version;
	return {
		cpu: cpus[0]?.model ?? 'unknown',
		cores: cpus.length,
		memory: mb(os.totalmem()),
		node: process.version,
		n8nCore,
		platform: `${os.platform()} ${os.release()}`,
	};
}

const NOTES = [
	'Every measurement runs in a fresh child process (node --expose-gc, ts-node transpile-only) against a fresh sandbox on 127.0.0.1 hosted by the parent; one run each.',
	'P1: engine = WorkflowExecute running the node (Get Many, Return All). Before the measured run each child runs the same path once against a small separate sandbox (500 records), so module loading and JIT are not counted; its limiter and token are separate.',
	'P1 wall time: engine run first (its login included), then the raw axios loop with the token the engine obtained, over the same pages (checked in the log), sequential, one keep-alive connection.',
	'P1 RSS: peak RSS sampled every 2 ms on a separate thread, minus the RSS just before the run (after compacting GCs); JSON = JSON.stringify(output items).length (MiB = 2^20 bytes). For reference: the raw loop measured the same way, the engine under node --optimize-for-size (V8 collects eagerly; big run only), and the heap still used after a full GC with the output held.',
	`P2: a 50-item warm-up upsert against a separate sandbox first (a server process is warm); sandbox limit ${SANDBOX_LIMIT}/min, credential maxRequestsPerMinute ${NODE_LIMIT} (98 %), other settings the credential defaults (60 s pause, 600 s max wait); rate = requests accepted by the sandbox (token included) / wall time of the engine run. Items go through continueOnFail so that an error item counts instead of hiding the rest.`,
	`P2 with 10 % 429s (sandbox fault random429, ratio 0.1; rateLimitPauseSeconds 0.05) runs ${int(UPSERT429_N)} items${UPSERT429_N < UPSERT_N ? ` instead of ${int(UPSERT_N)} to keep the bench within a few minutes (set BENCH_UPSERT429_N=${UPSERT_N} for the full size)` : ''}.`,
	'P3: one Engine = one credential store, as on one n8n server; token life 3600 s.',
];

async function main() {
	const started = Date.now();
	progress(`N=${N}, big N=${BIG_N}, upsert N=${UPSERT_N}, upsert with 429s N=${UPSERT429_N}, P3 runs=${P3_RUNS}`);
	await scenario(`P1 Get Many ${int(N)}`, p1Time);
	await scenario(`P1 Get Many ${int(N)}`, () => p1Memory(N, false));
	await scenario(`P1 Get Many ${int(BIG_N)}`, () => p1Memory(BIG_N, true));
	await scenario(`P2 upsert ${int(UPSERT_N)}`, () => p2Upsert(UPSERT_N, false));
	await scenario(`P2 upsert ${int(UPSERT429_N)}, 10 % 429`, () => p2Upsert(UPSERT429_N, true));
	await scenario(`P3 ${P3_RUNS} executions`, () => p3Tokens(false));
	await scenario(`P3 ${P3_RUNS} executions`, () => p3Tokens(true));

	const info = machine();
	const total = Date.now() - started;
	const summary = `${rows.filter((r) => r.result === 'PASS').length} PASS, ${rows.filter((r) => r.result === 'MISS').length} MISS${failures ? `, ${failures} ERROR` : ''}`;
	const text = table(false);
	process.stdout.write(
		`\nLoymax SC node benchmark — ${info.cpu}, ${info.cores} cores, Node ${info.node}, n8n-core ${info.n8nCore}\n\n${text}\n\n${summary}; total ${ms(total)}\n`,
	);
	process.stdout.write(`${NOTES.map((note) => `- ${note}`).join('\n')}\n`);

	const markdown = [
		'# Loymax SC node benchmark',
		'',
		`Generated by \`npm run bench\` on ${new Date().toISOString()}: ${info.cpu}, ${info.cores} cores, ${info.memory} RAM, ${info.platform}, Node ${info.node}, n8n-core ${info.n8nCore}. Total ${ms(total)}.`,
		'',
		table(true),
		'',
		`${summary}.`,
		'',
		'## How it is measured',
		'',
		...NOTES.map((note) => `- ${note}`),
		'',
	].join('\n');
	writeFileSync(join(OUT_DIR, 'results.md'), markdown);
	writeFileSync(
		join(OUT_DIR, 'results.json'),
		`${JSON.stringify(
			{
				generatedAt: new Date().toISOString(),
				machine: info,
				config: { N, BIG_N, UPSERT_N, UPSERT429_N, P3_RUNS, PAGE_SIZE, SANDBOX_LIMIT, NODE_LIMIT, P1_SETTINGS, P2_SETTINGS, P3_SETTINGS },
				totalMs: total,
				rows,
				details,
			},
			null,
			2,
		)}\n`,
	);
	process.stdout.write(`\nWritten: ${join('test', 'bench', 'results.md')}, ${join('test', 'bench', 'results.json')}\n`);
	process.exit(failures ? 1 : 0);
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
