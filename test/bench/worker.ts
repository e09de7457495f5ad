/**
 * One benchmark measurement in a fresh process. The sandbox runs in the parent (`run.ts`); this
 * process is the n8n side only, so its RSS and CPU are the engine's and the node's.
 *
 *   node --expose-gc -r ts-node/register/transpile-only test/bench/worker.ts <task> '<json args>'
 *
 * Prints exactly one JSON line on stdout (the result) and exits.
 */
import './ts-first';
import '../harness/setup-env';

import http from 'node:http';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';

import axios from 'axios';
import { RoutingNode } from 'n8n-core';
import { Expression, type ICredentialDataDecryptedObject, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { Engine } from '../harness/engine';
import { DEMO_PASSWORD, DEMO_USER } from '../harness/fixture';
import { collectGarbage, PeakRssSampler } from './memory';

interface CommonArgs {
	url: string;
	/** A second, small sandbox for the warm-up run (its own limiter and token, no trace in the measured log). */
	warmUrl?: string;
	settings: ICredentialDataDecryptedObject;
}

const GET_MANY: INodeParameters = { resource: 'customer', operation: 'getAll', returnAll: true };

const credential = (url: string, settings: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject => ({
	baseUrl: url,
	username: DEMO_USER,
	password: DEMO_PASSWORD,
	advanced: true,
	...settings,
});

const now = () => performance.now();

async function engineGetMany(url: string, settings: ICredentialDataDecryptedObject) {
	const engine = new Engine(credential(url, settings));
	const startedAt = Date.now();
	const t0 = now();
	const result = await engine.run({ parameters: GET_MANY });
	const ms = now() - t0;
	const finishedAt = Date.now();
	if (result.error) throw new Error(`engine run failed: ${result.error.message}`);
	return { engine, result, ms, window: [startedAt, finishedAt] as [number, number] };
}

/**
 * What a hand-written client does: sequential pages, same token, same page size, one keep-alive
 * connection (or, for reference, a new connection per page, as n8n's httpRequest helper does).
 */
async function rawGetMany(url: string, token: string, pageSize: number, keepAlive = true) {
	const agent = new http.Agent({ keepAlive, maxSockets: 1 });
	const client = axios.create({
		baseURL: url,
		httpAgent: agent,
		headers: { Authorization: token, Accept: 'application/vnd.api+json, application/json' },
	});
	const items: IDataObject[] = [];
	let pages = 0;
	const startedAt = Date.now();
	const t0 = now();
	for (let pageNumber = 1; ; pageNumber++) {
		const response = await client.get('/customer', { params: { 'page[number]': pageNumber, 'page[size]': pageSize } });
		if (response.status !== 200) throw new Error(`raw loop: HTTP ${response.status} on page ${pageNumber}`);
		pages++;
		const body = response.data as { data: Array<{ id: string; type: string; attributes: IDataObject }>; links?: { next?: string } };
		for (const { id, type, attributes } of body.data) items.push({ id, type, ...attributes });
		if (!body.links?.next || body.data.length === 0) break;
	}
	const ms = now() - t0;
	agent.destroy();
	return { items, pages, ms, window: [startedAt, Date.now()] as [number, number] };
}

async function rawToken(url: string): Promise<string> {
	const response = await axios.post(
		`${url}/token`,
		{ data: { attributes: { username: DEMO_USER, password: DEMO_PASSWORD } } },
		{ headers: { 'Content-Type': 'application/json' } },
	);
	return String(response.data.data.attributes.access_token);
}

/** P1 wall time: the engine's Get Many, then the raw loops over the same pages with the engine's token. */
async function p1Time(args: CommonArgs & { warmRuns?: number }) {
	const pageSize = Number(args.settings.pageSize);
	for (let run = 0; args.warmUrl && run < (args.warmRuns ?? 1); run++) {
		const warm = await engineGetMany(args.warmUrl, args.settings);
		await rawGetMany(args.warmUrl, String(warm.engine.storedCredential.token), pageSize);
		await rawGetMany(args.warmUrl, String(warm.engine.storedCredential.token), pageSize, false);
	}
	await collectGarbage();
	const engineRun = await engineGetMany(args.url, args.settings);
	const token = String(engineRun.engine.storedCredential.token);
	const engineItems = engineRun.result.items.length;
	await collectGarbage();
	const raw = await rawGetMany(args.url, token, pageSize);
	await collectGarbage();
	const rawNoKeepAlive = await rawGetMany(args.url, token, pageSize, false);
	return {
		engineMs: engineRun.ms,
		engineItems,
		engineWindow: engineRun.window,
		rawMs: raw.ms,
		rawItems: raw.items.length,
		rawPages: raw.pages,
		rawWindow: raw.window,
		rawNoKeepAliveMs: rawNoKeepAlive.ms,
		rawNoKeepAliveItems: rawNoKeepAlive.items.length,
		rawNoKeepAliveWindow: rawNoKeepAlive.window,
	};
}

/** P1 memory: peak RSS growth of one Get Many (engine or raw loop) over the RSS just before it. */
async function p1Memory(args: CommonArgs & { mode: 'engine' | 'raw' }) {
	const pageSize = Number(args.settings.pageSize);
	// Warm-up: loads the modules and compiles the code paths, so the figure is data, not code.
	if (args.warmUrl) {
		if (args.mode === 'engine') await engineGetMany(args.warmUrl, args.settings);
		else await rawGetMany(args.warmUrl, await rawToken(args.warmUrl), pageSize);
	}
	const token = args.mode === 'raw' ? await rawToken(args.url) : '';
	const sampler = await PeakRssSampler.start(2);
	// Compacting collections: the warm-up and ts-node's compiler leave half-empty heap pages that a
	// run could fill without any RSS growth; compaction releases them before the baseline is taken.
	v8.setFlagsFromString('--compact-on-every-full-gc');
	await collectGarbage();
	v8.setFlagsFromString('--no-compact-on-every-full-gc');
	await new Promise((resolve) => setTimeout(resolve, 300));
	const baselineRss = process.memoryUsage.rss();
	const baselineHeap = process.memoryUsage().heapUsed;
	sampler.reset(baselineRss);

	const t0 = now();
	let items: IDataObject[];
	let wrapped = 0;
	if (args.mode === 'engine') {
		const run = await engineGetMany(args.url, args.settings);
		items = run.result.items;
		wrapped = run.result.raw.length;
	} else {
		items = (await rawGetMany(args.url, token, pageSize)).items;
	}
	const ms = now() - t0;
	const { peakRss, samples } = await sampler.stop();
	const endRss = process.memoryUsage.rss();
	await collectGarbage();
	const retainedHeap = process.memoryUsage().heapUsed - baselineHeap;
	const jsonBytes = JSON.stringify(items).length;
	return {
		mode: args.mode,
		items: items.length,
		wrapped,
		ms,
		baselineRss,
		peakRss,
		endRss,
		growth: peakRss - baselineRss,
		retainedHeap,
		jsonBytes,
		samples,
		maxRssOs: process.resourceUsage().maxRSS * 1024,
	};
}

/**
 * Counts n8n expression evaluations (strings starting with `=`), and how many of them the
 * RoutingNode does itself (its per-item walk over every property of the node) rather than the
 * node's own getNodeParameter calls. A counter per call: no measurable cost.
 */
function countExpressions() {
	const expression = Expression.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
	const routing = RoutingNode.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
	const originalResolve = expression.resolveSimpleParameterValue;
	const originalRouting = routing.getParameterValue;
	const counts = { total: 0, byRoutingNode: 0 };
	let inRouting = 0;
	expression.resolveSimpleParameterValue = function (this: unknown, ...args: unknown[]) {
		if (typeof args[0] === 'string' && args[0].startsWith('=')) {
			counts.total++;
			if (inRouting > 0) counts.byRoutingNode++;
		}
		return originalResolve.apply(this, args);
	};
	routing.getParameterValue = function (this: unknown, ...args: unknown[]) {
		inRouting++;
		try {
			return originalRouting.apply(this, args);
		} finally {
			inRouting--;
		}
	};
	return {
		counts,
		restore() {
			expression.resolveSimpleParameterValue = originalResolve;
			routing.getParameterValue = originalRouting;
		},
	};
}

const upsertItems = (n: number, prefix: string) =>
	Array.from({ length: n }, (_, index) => ({
		localId: `${prefix}-${String(index + 1).padStart(6, '0')}`,
		firstName: `Bench${index + 1}`,
		registerDate: '2024-01-31 12:00:00',
	}));

const UPSERT: INodeParameters = {
	resource: 'customer',
	operation: 'upsert',
	localId: '={{ $json.localId }}',
	registerDate: '={{ $json.registerDate }}',
	additionalFields: { firstName: '={{ $json.firstName }}' },
};

/** P2: bulk upsert, every parameter an expression on the input item, as a user maps them. */
async function p2Upsert(args: CommonArgs & { n: number }) {
	// Warm-up against a separate sandbox: a server process has loaded and compiled all this already.
	if (args.warmUrl) await new Engine(credential(args.warmUrl, args.settings)).run({ parameters: UPSERT, items: upsertItems(50, 'W') });
	const items = upsertItems(args.n, 'B');
	const parameters = UPSERT;
	const engine = new Engine(credential(args.url, args.settings));
	await collectGarbage();
	const expressions = countExpressions();
	const startedAt = Date.now();
	const t0 = now();
	// continueOnFail: a failing item becomes an error item instead of hiding the outcome of the others.
	const result = await engine.run({ parameters, items, continueOnFail: true });
	const ms = now() - t0;
	const finishedAt = Date.now();
	expressions.restore();

	const outputsPerInput = new Array<number>(items.length).fill(0);
	let rightId = 0;
	let wrongId = 0;
	let unpaired = 0;
	const errors: string[] = [];
	for (const item of result.raw) {
		const paired = item.pairedItem as { item?: number } | undefined;
		const index = typeof paired?.item === 'number' ? paired.item : -1;
		if (index < 0 || index >= items.length) {
			unpaired++;
			continue;
		}
		outputsPerInput[index]++;
		if (item.json.error !== undefined) errors.push(String(item.json.error));
		else if (item.json.local_id === items[index].localId) rightId++;
		else wrongId++;
	}
	const rateLimitErrors = errors.filter((message) => /rate limit|429|too many/i.test(message)).length;
	return {
		n: items.length,
		ms,
		window: [startedAt, finishedAt],
		outputs: result.raw.length,
		rightId,
		wrongId,
		unpaired,
		inputsWithoutOutput: outputsPerInput.filter((count) => count === 0).length,
		inputsWithSeveralOutputs: outputsPerInput.filter((count) => count > 1).length,
		errorItems: errors.length,
		rateLimitErrors,
		errorSamples: [...new Set(errors)].slice(0, 3),
		runError: result.error?.message,
		expressionsPerItem: expressions.counts.total / items.length,
		routingNodeExpressionsPerItem: expressions.counts.byRoutingNode / items.length,
	};
}

/** P3: executions of one n8n instance (one credential store) within one token life. */
async function p3Tokens(args: CommonArgs & { runs: number; concurrent: boolean }) {
	const engine = new Engine(credential(args.url, args.settings));
	const parameters: INodeParameters = { resource: 'customer', operation: 'get', customerId: 'C-00001' };
	const t0 = now();
	const results = args.concurrent
		? await Promise.all(Array.from({ length: args.runs }, () => engine.run({ parameters })))
		: await (async () => {
				const done = [];
				for (let run = 0; run < args.runs; run++) done.push(await engine.run({ parameters }));
				return done;
			})();
	return {
		runs: results.length,
		ms: now() - t0,
		errors: results.filter((result) => result.error).map((result) => result.error!.message),
		found: results.filter((result) => result.items[0]?.local_id === 'C-00001').length,
		preAuthenticationCalls: engine.credentials.preAuthenticationCalls,
	};
}

const tasks: Record<string, (args: never) => Promise<unknown>> = {
	'p1-time': p1Time,
	'p1-mem': p1Memory,
	'p2-upsert': p2Upsert,
	'p3-tokens': p3Tokens,
};

async function main() {
	const [task, json] = process.argv.slice(2);
	const fn = tasks[task];
	if (!fn) throw new Error(`unknown task "${task}" (${Object.keys(tasks).join(', ')})`);
	const result = await fn(JSON.parse(json ?? '{}') as never);
	process.stdout.write(`${JSON.stringify({ ok: true, task, result })}\n`);
}

main().then(
	// n8n-core keeps process-wide handles open after WorkflowExecute runs: exit explicitly.
	() => process.exit(0),
	(error: Error) => {
		process.stdout.write(`${JSON.stringify({ ok: false, error: error.stack ?? String(error) })}\n`);
		process.exit(1);
	},
);
