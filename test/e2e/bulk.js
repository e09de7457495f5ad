'use strict';
/**
 * e2e "bulk": what bulk jobs do in real n8n (run by scripts/e2e.js on n8n 2.x):
 *   - a Create or Update of 5 000 rows at a credential budget of 6 000 a minute: every row stored
 *     exactly once, 5 000 output items paired in order, no error and no 429, and the first request
 *     leaves at once;
 *   - a Get Many of 10 000 customers with default settings: 10 000 items in at most 101 requests;
 *   - n8n's HTTP Request node with "Predefined Credential Type → Loymax SC API" (the way to reach
 *     anything the node lacks): the credential logs in and the JWT is sent;
 *   - the node's Proxy request option: every request, the login included, goes through a local
 *     proxy that records what passed through it.
 */

const { workflow, upsertNode, httpGetNode, getManyNode, getNode, targetRun } = require('./workflows');

const KEY = 'bulk';
const UPSERTS = 5_000;
const RECORDS = 10_000;
const BUDGET_PER_MINUTE = 6_000;
const BULK_CREDENTIAL = { id: 'loymaxScBulk00001', name: 'Loymax SC sandbox (bulk)', type: 'loymaxScApi' };
const UPSERT_WORKFLOW = 'loymaxE2eBulkUpsert';
const GET_MANY_WORKFLOW = 'loymaxE2eBulkGetMany';
const HTTP_WORKFLOW = 'loymaxE2eHttpRequest';
const PROXY_WORKFLOW = 'loymaxE2eProxy';
const PROXY_CREDENTIAL = { id: 'loymaxScProxy0001', name: 'Loymax SC sandbox (proxy)', type: 'loymaxScApi' };
const HTTP_CREDENTIAL = { id: 'loymaxScHttpReq01', name: 'Loymax SC sandbox (HTTP Request)', type: 'loymaxScApi' };

function credentials(sb) {
	const login = { baseUrl: sb.url, username: sb.username, password: sb.password };
	return [
		{ ...BULK_CREDENTIAL, data: { ...login, advanced: true, maxRequestsPerMinute: BUDGET_PER_MINUTE } },
		{ ...HTTP_CREDENTIAL, data: login },
		{ ...PROXY_CREDENTIAL, data: login },
	];
}

/** The proxy's port is fixed when the workflows are imported: the proxy starts here. */
let proxy;
async function startProxy() {
	require('ts-node').register({ transpileOnly: true });
	proxy = await require('../harness/proxies').startRecordingProxy();
	return proxy;
}

function workflows(mainCredential, sb, proxyUrl) {
	const proxied = getNode(PROXY_CREDENTIAL);
	proxied.parameters.requestOptions = { proxy: proxyUrl };
	return [
		workflow({ id: PROXY_WORKFLOW, name: 'Loymax SC e2e: Proxy option', target: proxied }),
		workflow({ id: HTTP_WORKFLOW, name: 'Loymax SC e2e: HTTP Request with the credential', target: httpGetNode(HTTP_CREDENTIAL, sb.url, '/customer/C-00001') }),
		workflow({ id: UPSERT_WORKFLOW, name: 'Loymax SC e2e: bulk upsert', count: UPSERTS, prefix: 'BULK', target: upsertNode(BULK_CREDENTIAL) }),
		workflow({ id: GET_MANY_WORKFLOW, name: 'Loymax SC e2e: Get Many 10 000', target: getManyNode(mainCredential) }),
	];
}

const isApiCall = (e) => !/^\/+token\/?$/.test(e.path);

async function httpRequestCheck({ home, api, expect, note }) {
	await api.reset();
	await api.clearLog();
	const r = await home.execute(HTTP_WORKFLOW);
	expect(r.ok, `the HTTP Request workflow failed:\n${r.ok ? '' : r.describeFailure()}`);
	const target = targetRun(r);
	const record = target.items[0]?.json?.data;
	expect(record?.attributes?.local_id === 'C-00001', `HTTP Request returned ${JSON.stringify(target.items[0]?.json).slice(0, 300)}`);
	const log = await api.log();
	const login = log.filter((e) => /^\/+token\/?$/.test(e.path));
	const get = log.find((e) => e.path === '/customer/C-00001');
	expect(login.length === 1 && login[0].status === 200, `expected one login by the credential, saw ${login.length}`);
	expect(get?.status === 200 && String(get.token ?? '').split('.').length === 3, `the GET carried the JWT and was answered 200 (status ${get?.status})`);
	note(`HTTP Request node + Loymax SC credential: ${login.length} login, GET /customer/C-00001 → ${get?.status}`);
}

async function proxyCheck({ home, api, expect, note }) {
	try {
		await api.reset();
		await api.clearLog();
		const r = await home.execute(PROXY_WORKFLOW);
		expect(r.ok, `the proxied workflow failed:\n${r.ok ? '' : r.describeFailure()}`);
		const target = targetRun(r);
		expect(target.items[0]?.json?.local_id === 'C-00001', `the node returned ${JSON.stringify(target.items[0]?.json).slice(0, 200)}`);
		const passed = proxy.passed.map((url) => new URL(url).pathname);
		expect(passed.includes('/token') && passed.includes('/customer/C-00001'), `through the proxy: ${JSON.stringify(passed)}`);
		const sandboxSaw = (await api.log()).length;
		expect(passed.length >= sandboxSaw, `the sandbox saw ${sandboxSaw} requests, the proxy ${passed.length}`);
		note(`Proxy option: ${passed.length} requests through the proxy (${[...new Set(passed)].join(', ')})`);
	} finally {
		await proxy.close();
	}
}

async function upsertCheck({ home, api, expect, note }) {
	const before = await api._control('GET', 'options');
	await api.setOptions({ rateLimitPerMinute: BUDGET_PER_MINUTE, seed: { customers: 0 } });
	await api.reset();
	try {
		await api.clearLog();
		const r = await home.execute(UPSERT_WORKFLOW, { timeoutMs: 10 * 60 * 1000 });
		expect(r.ok, `the bulk upsert failed:\n${r.ok ? '' : r.describeFailure()}`);
		const target = targetRun(r);
		const log = await api.log();
		const posts = log.filter((e) => e.method === 'POST' && /^\/+customer\/?$/.test(e.path));
		const ids = posts.map((e) => e.body?.data?.attributes?.local_id);
		const distinct = new Set(ids);
		expect(posts.length === UPSERTS, `the sandbox saw ${posts.length} upserts, expected ${UPSERTS}`);
		expect(distinct.size === UPSERTS, `${posts.length - distinct.size} rows were sent more than once`);
		expect(posts.every((e) => e.status === 201 || e.status === 200), `upsert statuses ${JSON.stringify([...new Set(posts.map((e) => e.status))])}`);
		const limited = log.filter((e) => e.status === 429).length;
		expect(limited === 0, `${limited} requests were answered 429`);
		expect(target.items.length === UPSERTS, `the node output ${target.items.length} items, expected ${UPSERTS}`);
		const paired = target.items.every((item, index) => item.pairedItem && item.pairedItem.item === index && item.json.local_id === `BULK-${index}`);
		expect(paired, 'output items are paired with their input rows, in order');
		const errors = target.items.filter((item) => item.json.error).length;
		expect(errors === 0, `${errors} error items`);
		const stored = await api.api('GET', '/customer?page%5Bsize%5D=1');
		const total = stored.body?.meta?.total;
		expect(total === UPSERTS, `the sandbox holds ${total} customers, expected ${UPSERTS}`);
		const apiTimes = log.filter(isApiCall).map((e) => e.time);
		if (target.startTime && apiTimes.length) {
			const firstMs = Math.min(...apiTimes) - target.startTime;
			const spanS = (Math.max(...apiTimes) - Math.min(...apiTimes)) / 1000;
			note(`${UPSERTS} upserts: first request ${firstMs} ms after the node started; node ${(target.executionTime / 1000).toFixed(1)} s (${(target.executionTime / UPSERTS).toFixed(2)} ms per row), requests over ${spanS.toFixed(1)} s; ${limited} × 429`);
		}
	} finally {
		await api.setOptions({ rateLimitPerMinute: before.rateLimitPerMinute, seed: before.seed });
		await api.reset();
	}
}

async function getManyCheck({ home, api, expect, note }) {
	const before = await api._control('GET', 'options');
	await api.setOptions({ seed: { customers: RECORDS } });
	await api.reset();
	try {
		await api.clearLog();
		const r = await home.execute(GET_MANY_WORKFLOW, { timeoutMs: 10 * 60 * 1000 });
		expect(r.ok, `Get Many failed:\n${r.ok ? '' : r.describeFailure()}`);
		const target = targetRun(r);
		const log = await api.log();
		const ids = new Set(target.items.map((item) => item.json.id));
		expect(target.items.length === RECORDS, `Get Many returned ${target.items.length} items, expected ${RECORDS}`);
		expect(ids.size === RECORDS, `${target.items.length - ids.size} duplicate records`);
		expect(log.length <= 101, `${log.length} requests, expected at most 101 (100 pages and a login)`);
		note(`Get Many ${RECORDS}: ${log.length} requests, node ${target.executionTime} ms`);
	} finally {
		await api.setOptions({ seed: before.seed });
		await api.reset();
	}
}

module.exports = {
	key: KEY,
	credentials,
	workflows,
	startProxy,
	checks: [
		{ name: 'Proxy request option in real n8n', run: proxyCheck },
		{ name: 'HTTP Request node with the Loymax SC credential', run: httpRequestCheck },
		{ name: `bulk: Create or Update of ${UPSERTS} rows, each stored once`, run: upsertCheck },
		{ name: `bulk: Get Many of ${RECORDS} records`, run: getManyCheck },
	],
};
