#!/usr/bin/env node
'use strict';
/**
 * The node in REAL n8n 2.41 (Node 24), beside n8n's own HTTP Request node doing the same calls with
 * the same credential, in one run against one sandbox. Prints figures; asserts nothing.
 *
 *   node test/bench/real-n8n.js [--rows=2000] [--bulk=10000] [--records=10000] [--no-build]
 *
 *   B1 per row: a Create or Update of --rows rows with an unlimited budget, this node vs HTTP
 *      Request: node time per row, and node start → first request;
 *   B2 start: node start → first request for --bulk rows;
 *   B3 bulk rate: --bulk upserts at a budget of 6 000 a minute: stored once, errors, 429s, rate;
 *   B4 Get Many --records with default settings vs a hand-wired HTTP Request with pagination.
 */

const path = require('path');
const { ensureN8n } = require('../../scripts/n8n-install');
const { N8nHome, packProject, cliArgs } = require('../../scripts/n8n-run');
const { startSandboxProcess, SandboxClient } = require('../../scripts/sandbox-proc');
const { workflow, upsertNode, httpUpsertNode, getManyNode, httpGetManyNode, targetRun } = require('../e2e/workflows');

const { flag, opt } = cliArgs();
const ROWS = Number(opt('rows') || 2000);
const BULK = Number(opt('bulk') || 10_000);
const RECORDS = Number(opt('records') || 10_000);
const BULK_BUDGET = 6000;

const say = (s = '') => process.stdout.write(`${s}\n`);
const cred = (id, name) => ({ id, name, type: 'loymaxScApi' });
const FAST = cred('loymaxBenchFast01', 'Loymax SC bench (no budget)');
const PACED = cred('loymaxBenchPaced1', 'Loymax SC bench (6 000 a minute)');
const DEFAULT = cred('loymaxBenchDefault', 'Loymax SC bench (defaults)');

const apiCalls = (log) => log.filter((e) => !/^\/+token\/?$/.test(e.path));

async function measure(home, api, id, { timeoutMs = 15 * 60 * 1000 } = {}) {
	await api.clearLog();
	const r = await home.execute(id, { timeoutMs });
	const target = targetRun(r);
	const log = await api.log();
	const calls = apiCalls(log);
	const first = calls.length ? Math.min(...calls.map((e) => e.time)) : undefined;
	const last = calls.length ? Math.max(...calls.map((e) => e.time)) : undefined;
	return {
		ok: r.ok,
		failure: r.ok ? '' : r.describeFailure().slice(0, 1500),
		items: target.items,
		executionTime: target.executionTime,
		firstRequestMs: first !== undefined && target.startTime ? first - target.startTime : undefined,
		spanMs: first !== undefined ? last - first : undefined,
		requests: log.length,
		calls,
		limited: log.filter((e) => e.status === 429).length,
		errors: target.items.filter((item) => item.json && item.json.error).length,
	};
}

async function main() {
	const started = Date.now();
	say(`Loymax SC in real n8n — rows ${ROWS}, bulk ${BULK}, records ${RECORDS}`);
	const inst = await ensureN8n('n8n2');
	const tarball = await packProject({ build: !flag('no-build') });
	const sb = await startSandboxProcess({ port: 0, env: { SANDBOX_RATE_LIMIT: '10000000' } });
	const api = new SandboxClient(sb);
	const home = await N8nHome.create(inst, {});
	const rows = [];
	try {
		await home.installPackage(tarball);
		const data = (extra) => ({ baseUrl: sb.url, username: sb.username, password: sb.password, ...extra });
		await home.importCredentials([
			{ ...FAST, data: data({ advanced: true, maxRequestsPerMinute: 10_000_000 }) },
			{ ...PACED, data: data({ advanced: true, maxRequestsPerMinute: BULK_BUDGET }) },
			{ ...DEFAULT, data: data({}) },
		]);
		const wf = (id, target, count, prefix) => workflow({ id, name: id, target, count, prefix });
		await home.importWorkflows([
			wf('benchNodeRows', upsertNode(FAST), ROWS, 'N'),
			wf('benchHttpRows', httpUpsertNode(FAST, sb.url), ROWS, 'H'),
			wf('benchNodeStart', upsertNode(FAST), BULK, 'S'),
			wf('benchNodeBulk', upsertNode(PACED), BULK, 'B'),
			wf('benchNodeGetMany', getManyNode(DEFAULT), 1),
			wf('benchHttpGetMany', httpGetManyNode(DEFAULT, sb.url), 1),
		]);
		// One warm-up execution logs every credential in, so the figures below are not a login's.
		await home.execute('benchNodeGetMany');

		say(`\nB1 Create or Update of ${ROWS} rows, no budget (same sandbox, same credential type)`);
		await api.reset();
		const nodeRows = await measure(home, api, 'benchNodeRows');
		await api.reset();
		const httpRows = await measure(home, api, 'benchHttpRows');
		for (const [label, m] of [['Loymax SC node', nodeRows], ['HTTP Request node', httpRows]]) {
			if (!m.ok) say(`  ${label} FAILED: ${m.failure}`);
			const perRow = m.executionTime / ROWS;
			say(`  ${label.padEnd(18)} ${m.items.length} items, ${m.calls.length} requests, node ${m.executionTime} ms = ${perRow.toFixed(2)} ms per row, first request ${m.firstRequestMs} ms after the node started`);
		}
		const ratio = nodeRows.executionTime / httpRows.executionTime;
		rows.push(['B1 per row, node / HTTP Request', `${(nodeRows.executionTime / ROWS).toFixed(2)} / ${(httpRows.executionTime / ROWS).toFixed(2)} ms = ${ratio.toFixed(2)}×`, '≤ 1.0×']);
		rows.push(['B1 first request, node / HTTP Request', `${nodeRows.firstRequestMs} / ${httpRows.firstRequestMs} ms`, '']);

		say(`\nB2 node start → first request, ${BULK} rows`);
		await api.reset();
		const start = await measure(home, api, 'benchNodeStart');
		say(`  ${start.items.length} items, first request ${start.firstRequestMs} ms after the node started, node ${start.executionTime} ms`);
		rows.push([`B2 first request, ${BULK} rows`, `${start.firstRequestMs} ms`, '≤ 1 000 ms']);

		say(`\nB3 ${BULK} upserts at a budget of ${BULK_BUDGET} a minute`);
		await api.reset();
		await api.setOptions({ rateLimitPerMinute: BULK_BUDGET });
		const bulk = await measure(home, api, 'benchNodeBulk');
		await api.setOptions({ rateLimitPerMinute: 10_000_000 });
		const ids = new Set(bulk.calls.map((e) => e.body && e.body.data && e.body.data.attributes && e.body.data.attributes.local_id));
		const perMinute = (BULK / (bulk.executionTime / 60_000)).toFixed(0);
		// The budget allows BULK_BUDGET in any minute: the fastest possible run sends the first
		// BULK_BUDGET at once and the rest a minute later.
		const idealMs = Math.max(0, Math.ceil(BULK / BULK_BUDGET) - 1) * 60_000;
		say(`  ${bulk.items.length} items, ${bulk.calls.length} requests (${ids.size} distinct rows), ${bulk.errors} error items, ${bulk.limited} × 429, node ${(bulk.executionTime / 1000).toFixed(1)} s (${perMinute} rows a minute; a budget of ${BULK_BUDGET} a minute cannot finish before ${idealMs / 1000} s), first request ${bulk.firstRequestMs} ms`);
		rows.push([`B3 ${BULK} upserts: stored once / errors / 429s`, `${ids.size} / ${bulk.errors} / ${bulk.limited}`, `${BULK} / 0 / 0`]);
		rows.push([`B3 node time vs the budget's minimum`, `${(bulk.executionTime / 1000).toFixed(1)} s vs ${idealMs / 1000} s (rate ${(Number(perMinute) / BULK_BUDGET).toFixed(2)} × the budget)`, '≥ 0.95 × the budget']);

		say(`\nB4 Get Many ${RECORDS} with default settings`);
		const before = await api._control('GET', 'options');
		await api.setOptions({ seed: { customers: RECORDS } });
		await api.reset();
		const nodeMany = await measure(home, api, 'benchNodeGetMany');
		await api.reset();
		const httpMany = await measure(home, api, 'benchHttpGetMany');
		await api.setOptions({ seed: before.seed });
		for (const [label, m] of [['Loymax SC node', nodeMany], ['HTTP Request node', httpMany]]) {
			if (!m.ok) say(`  ${label} FAILED: ${m.failure}`);
			say(`  ${label.padEnd(18)} ${m.items.length} items, ${m.requests} requests, node ${m.executionTime} ms`);
		}
		rows.push([`B4 Get Many ${RECORDS}: node / HTTP Request`, `${nodeMany.executionTime} / ${httpMany.executionTime} ms = ${(nodeMany.executionTime / httpMany.executionTime).toFixed(2)}×, ${nodeMany.requests} requests`, '≤ 1.1×, ≤ 101']);
	} finally {
		await home.cleanup();
		await sb.stop();
		require('fs').rmSync(path.dirname(tarball), { recursive: true, force: true });
	}
	say(`\n| Scenario (n8n ${inst.version}, Node ${inst.nodeVersion}) | Figure | Goal |\n|---|---|---|`);
	for (const [scenario, figure, goal] of rows) say(`| ${scenario} | ${figure} | ${goal} |`);
	say(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error) => {
	say(`bench aborted: ${error.stack || error.message}`);
	process.exit(1);
});
