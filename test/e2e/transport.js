'use strict';
/**
 * e2e "transport": what the node's transport (sessions, rate budget, item concurrency, stopping)
 * does in real n8n 2.41 (run by scripts/e2e.js on the n8n2 target). Each check has its own key for
 * `--only=` (`--only=transport` runs all four) and its own credentials, imported with no token:
 *
 *   credential-isolation  two credentials, same Base URL and username, one with a wrong password,
 *                         in one workflow (one n8n process): right → wrong (Continue On Fail) →
 *                         right. The wrong one fails with the login error and never gets an API
 *                         answer; both right ones read their records.
 *   slow-login            a budget of 60 a minute counted in 1-second windows, no stored token, 5
 *                         Customer Gets: the login and the reads finish within seconds, paced.
 *   same-record-writes    24 Customer Updates (Keep Fields Not Set) over 3 customers, each adding
 *                         one custom attribute and setting the city: every customer ends with all
 *                         8 attributes and the city of its last item.
 *   stop                  `n8n start`, 2 000 Customer Create or Update rows (Continue On Fail) run
 *                         over n8n's REST API and stopped after some hundreds reached the API: at
 *                         most the requests already under way reach it after the stop.
 *
 * Requests of the wrong credential are told apart by what they ask for (each node reads its own
 * customer): both credentials log in as the same API user, so the token's user cannot tell them
 * apart.
 */

const { workflow, upsertNode, targetRun, TARGET } = require('./workflows');
const { N8nRest } = require('./trigger');
const { freePort } = require('../../scripts/n8n-run');

const KEY = 'transport';
const LOYMAX_NODE = 'n8n-nodes-loymaxsc.loymaxSc';
const WRONG_PASSWORD = 'not-the-password';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;
const isTokenCall = (e) => e.method === 'POST' && /^\/+token\/?$/.test(e.path);
const ok = (status) => status >= 200 && status < 300;
const credentialRef = (credential) => ({ loymaxScApi: { id: credential.id, name: credential.name } });

let nodeCount = 0;

/** Manual Trigger → Code → the given nodes in a row (each `{ name, ...node }`). */
function chain({ id, name, jsCode, nodes }) {
	const all = [
		{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
		{ name: 'Items', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode } },
		...nodes,
	].map((node, index) => ({ id: `00000000-0000-4000-9000-${String(++nodeCount).padStart(12, '0')}`, position: [index * 240, 0], ...node }));
	const connections = {};
	for (let i = 0; i + 1 < all.length; i++) connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	return { id, name, active: false, settings: { executionOrder: 'v1' }, pinData: {}, nodes: all, connections };
}

const customerGet = (name, credential, customerId, extra = {}) => ({
	name,
	type: LOYMAX_NODE,
	typeVersion: 1,
	credentials: credentialRef(credential),
	parameters: { resource: 'customer', operation: 'get', customerId },
	...extra,
});

// ---- 1. credential isolation ------------------------------------------------------------------

const ISOLATION = {
	right: { id: 'loymaxScIsoRight1', name: 'Loymax SC sandbox (isolation, right password)', type: 'loymaxScApi' },
	wrong: { id: 'loymaxScIsoWrong1', name: 'Loymax SC sandbox (isolation, wrong password)', type: 'loymaxScApi' },
	workflow: 'loymaxE2eCredIsolation',
	// Each node reads its own customer, so the sandbox log says which node a request came from.
	nodes: [
		{ name: 'Right password', customerId: 'C-00001', credential: 'right' },
		{ name: 'Wrong password', customerId: 'C-00002', credential: 'wrong', onError: 'continueRegularOutput' },
		{ name: 'Right password again', customerId: 'C-00003', credential: 'right' },
	],
};

const credentialIsolation = {
	key: 'credential-isolation',
	name: 'transport: credentials with one username but different passwords do not share a session',
	credentials: (sb) => [
		{ ...ISOLATION.right, data: { baseUrl: sb.url, username: sb.username, password: sb.password } },
		{ ...ISOLATION.wrong, data: { baseUrl: sb.url, username: sb.username, password: WRONG_PASSWORD } },
	],
	workflows: () => [
		chain({
			id: ISOLATION.workflow,
			name: 'Loymax SC e2e: credential isolation',
			jsCode: 'return [{ json: {} }];',
			nodes: ISOLATION.nodes.map((n) => customerGet(n.name, ISOLATION[n.credential], n.customerId, n.onError ? { onError: n.onError } : {})),
		}),
	],
	async run({ home, api, expect, note }) {
		await api.reset();
		const r = await home.execute(ISOLATION.workflow, { timeoutMs: 120_000 });
		const log = await api.log();
		expect(r.ok, `the workflow failed:\n${r.ok ? '' : r.describeFailure()}`);
		const [right, wrong, rightAgain] = ISOLATION.nodes.map((n) => ({ ...n, out: r.nodeOutput(n.name) || [] }));
		for (const n of [right, rightAgain]) {
			expect(n.out.length === 1 && n.out[0].local_id === n.customerId, `"${n.name}" returned ${JSON.stringify(n.out).slice(0, 300)}, expected customer ${n.customerId}`);
		}
		const wrongError = String(wrong.out[0]?.error ?? '');
		expect(wrong.out.length === 1 && /login failed/i.test(wrongError), `"${wrong.name}" returned ${JSON.stringify(wrong.out).slice(0, 300)}, expected the login error`);
		expect(!JSON.stringify(r.resultData?.runData ?? {}).includes(WRONG_PASSWORD), 'the wrong password appears in the run data');

		const wrongReads = log.filter((e) => e.path === `/customer/${wrong.customerId}`);
		const answered = wrongReads.filter((e) => ok(e.status));
		expect(answered.length === 0, `${answered.length} request(s) of the wrong-password credential (GET /customer/${wrong.customerId}) were answered 2xx: it used another credential's token`);
		const logins = log.filter(isTokenCall);
		const wrongLogins = logins.filter((e) => e.body?.data?.attributes?.password === WRONG_PASSWORD);
		const rightLogins = logins.filter((e) => !wrongLogins.includes(e));
		expect(wrongLogins.length >= 1 && wrongLogins.every((e) => e.status === 401), `logins with the wrong password: ${JSON.stringify(wrongLogins.map((e) => e.status))}, expected at least one, all 401`);
		for (const n of [right, rightAgain]) {
			const reads = log.filter((e) => e.path === `/customer/${n.customerId}`);
			expect(reads.length >= 1 && reads.every((e) => e.status === 200), `"${n.name}": GET /customer/${n.customerId} answered ${JSON.stringify(reads.map((e) => e.status))}`);
		}
		note(
			`logins: ${rightLogins.length} right (${rightLogins.map((e) => e.status).join(', ')}), ${wrongLogins.length} wrong (${wrongLogins.map((e) => e.status).join(', ') || 'none'}); ` +
				`GET /customer/${wrong.customerId} by the wrong credential: ${wrongReads.length} sent, ${answered.length} answered 2xx; ` +
				`outputs: ${[right, wrong, rightAgain].map((n) => `${n.name} → ${n.out[0]?.local_id ?? (n.out[0]?.error ? `error "${String(n.out[0].error).slice(0, 80)}"` : 'nothing')}`).join('; ')}`,
		);
	},
};

// ---- 2. login under a slow budget ---------------------------------------------------------------

const SLOW = {
	credential: { id: 'loymaxScSlowLogin', name: 'Loymax SC sandbox (60/min in 1 s windows)', type: 'loymaxScApi' },
	workflow: 'loymaxE2eSlowLogin',
	items: 5,
	perMinute: 60,
	windowSeconds: 1,
	// From the workflow's start (its first node calls the sandbox): the node needs about `items` seconds.
	boundMs: 30_000,
	markerPath: '/e2e/slow-login/workflow-started',
};

const slowLogin = {
	key: 'slow-login',
	name: `transport: ${SLOW.items} reads at ${SLOW.perMinute}/min in ${SLOW.windowSeconds} s windows log in and finish`,
	credentials: (sb) => [
		{
			...SLOW.credential,
			data: { baseUrl: sb.url, username: sb.username, password: sb.password, advanced: true, maxRequestsPerMinute: SLOW.perMinute, rateWindowSeconds: SLOW.windowSeconds },
		},
	],
	// The first node calls the sandbox, so the bound counts from the workflow's start, not from
	// n8n's start-up (tens of seconds on a busy machine).
	workflows: (sb) => {
		const wf = chain({
			id: SLOW.workflow,
			name: 'Loymax SC e2e: login under a slow budget',
			jsCode: `return Array.from({ length: ${SLOW.items} }, (_, i) => ({ json: { customerId: 'C-0000' + (i + 1) } }));`,
			nodes: [customerGet(TARGET, SLOW.credential, '={{ $json.customerId }}')],
		});
		const marker = {
			id: '00000000-0000-4000-9000-0000000000ff',
			name: 'Workflow started',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [120, 200],
			onError: 'continueRegularOutput',
			parameters: { url: `${sb.url}${SLOW.markerPath}`, options: { response: { response: { neverError: true } } } },
		};
		wf.nodes.push(marker);
		wf.connections.Start = { main: [[{ node: marker.name, type: 'main', index: 0 }]] };
		wf.connections[marker.name] = { main: [[{ node: 'Items', type: 'main', index: 0 }]] };
		return [wf];
	},
	async run({ home, api, expect, note }) {
		await api.reset();
		const killer = new AbortController();
		let finished = false;
		let startedAt;
		const execution = home.execute(SLOW.workflow, { signal: killer.signal }).finally(() => (finished = true));
		while (!finished) {
			startedAt ??= (await api.log()).find((e) => e.path === SLOW.markerPath)?.time;
			if (startedAt && Date.now() - startedAt > SLOW.boundMs) killer.abort();
			await sleep(250);
		}
		const r = await execution;
		const log = await api.log();
		const logins = log.filter(isTokenCall);
		const reads = log.filter((e) => e.method === 'GET' && /^\/customer\/C-\d+$/.test(e.path));
		if (r.timedOut) {
			const what = startedAt ? `${secs(SLOW.boundMs)} after the workflow started` : `in ${secs(r.took)} (the workflow never started)`;
			expect(false, `n8n execute did not finish ${what} and was killed; the sandbox saw ${logins.length} login(s) and ${reads.length} read(s)`);
			note(`killed ${startedAt ? secs(Date.now() - startedAt) : '-'} after the workflow started (${secs(r.took)} after n8n): ${logins.length} logins, ${reads.length} reads`);
			return;
		}
		expect(r.ok, `the workflow failed:\n${r.ok ? '' : r.describeFailure()}`);
		const target = targetRun(r);
		const got = target.items.map((item) => item.json.local_id);
		const wanted = Array.from({ length: SLOW.items }, (_, i) => `C-0000${i + 1}`);
		expect(JSON.stringify(got) === JSON.stringify(wanted), `the node returned ${JSON.stringify(got)}, expected ${JSON.stringify(wanted)}`);
		expect(logins.length === 1 && logins[0].status === 200, `logins: ${JSON.stringify(logins.map((e) => e.status))}, expected one, answered 200`);
		expect(reads.length === SLOW.items && reads.every((e) => e.status === 200), `reads: ${JSON.stringify(reads.map((e) => e.status))}, expected ${SLOW.items} × 200`);
		// The budget still holds: one request per window, so reads at least a window apart (less jitter).
		const times = reads.map((e) => e.time).sort((a, b) => a - b);
		const gaps = times.slice(1).map((t, i) => t - times[i]);
		const windowMs = SLOW.windowSeconds * 1000;
		expect(gaps.every((gap) => gap >= windowMs * 0.9), `reads ${JSON.stringify(gaps)} ms apart, expected about ${windowMs} ms or more (${SLOW.perMinute}/min in ${SLOW.windowSeconds} s windows)`);
		const first = logins[0]?.time ?? times[0];
		note(
			`n8n execute ${secs(r.took)} (start-up included), the node ${secs(target.executionTime ?? NaN)}; ${logins.length} login(s), ` +
				`${reads.length} reads ${times.length ? `${secs(times[0] - first)}..${secs(times[times.length - 1] - first)} after the login` : ''}, gaps ${gaps.join('/')} ms`,
		);
	},
};

// ---- 3. several items writing the same record ---------------------------------------------------

const WRITES = {
	credential: { id: 'loymaxScSameRecord', name: 'Loymax SC sandbox (same-record writes)', type: 'loymaxScApi' },
	workflow: 'loymaxE2eSameRecord',
	items: 24,
	customers: ['C-00001', 'C-00002', 'C-00003'],
};

const sameRecordWrites = {
	key: 'same-record-writes',
	name: `transport: ${WRITES.items} Keep Fields Not Set updates of ${WRITES.customers.length} customers lose nothing`,
	credentials: (sb) => [{ ...WRITES.credential, data: { baseUrl: sb.url, username: sb.username, password: sb.password } }],
	workflows: () => [
		chain({
			id: WRITES.workflow,
			name: 'Loymax SC e2e: updates of the same records',
			jsCode:
				`const customers = ${JSON.stringify(WRITES.customers)};\n` +
				`return Array.from({ length: ${WRITES.items} }, (_, i) => ({ json: { customerId: customers[i % customers.length], attribute: 'e2e_attr_' + i, value: 'v' + i, city: 'City ' + i } }));`,
			nodes: [
				{
					name: TARGET,
					type: LOYMAX_NODE,
					typeVersion: 1,
					credentials: credentialRef(WRITES.credential),
					parameters: {
						resource: 'customer',
						operation: 'update',
						customerId: '={{ $json.customerId }}',
						keepUnsetFields: true,
						updateFields: { city: '={{ $json.city }}' },
						customAttributes: { attribute: [{ name: '={{ $json.attribute }}', value: '={{ $json.value }}' }] },
					},
				},
			],
		}),
	],
	async run({ home, api, expect, note }) {
		await api.reset();
		const r = await home.execute(WRITES.workflow, { timeoutMs: 120_000 });
		expect(r.ok, `the workflow failed:\n${r.ok ? '' : r.describeFailure()}`);
		const log = await api.log();
		const patches = log.filter((e) => e.method === 'PATCH' && /^\/customer\/C-\d+$/.test(e.path));
		expect(patches.length === WRITES.items && patches.every((e) => e.status === 200), `PATCHes: ${patches.length}, statuses ${JSON.stringify([...new Set(patches.map((e) => e.status))])}; expected ${WRITES.items} × 200`);
		const target = targetRun(r);
		expect(target.items.length === WRITES.items && target.items.every((item) => !item.json.error), `the node output ${target.items.length} items (${target.items.filter((item) => item.json.error).length} errors), expected ${WRITES.items}`);
		let lost = 0;
		const perCustomer = [];
		for (const [c, customerId] of WRITES.customers.entries()) {
			const stored = await api.getOne(`/customer/${customerId}`);
			const mine = Array.from({ length: WRITES.items }, (_, i) => i).filter((i) => i % WRITES.customers.length === c);
			const missing = mine.filter((i) => stored?.[`e2e_attr_${i}`] !== `v${i}`);
			const lastCity = `City ${mine[mine.length - 1]}`;
			lost += missing.length;
			expect(missing.length === 0, `${customerId} lost ${missing.length} of its ${mine.length} attributes: ${missing.map((i) => `e2e_attr_${i}`).join(', ')}`);
			expect(stored?.city === lastCity, `${customerId} has city "${stored?.city}", expected "${lastCity}" (its last item's)`);
			expect(stored?.first_name === `First${c + 1}`, `${customerId} lost its first name (now "${stored?.first_name}")`);
			perCustomer.push(`${customerId} ${mine.length - missing.length}/${mine.length}, city "${stored?.city}"`);
		}
		note(`${log.filter((e) => e.method === 'GET').length} reads + ${patches.length} PATCHes in ${secs(target.executionTime ?? NaN)}; attributes kept: ${WRITES.items - lost} of ${WRITES.items} (${perCustomer.join('; ')})`);
	},
};

// ---- 4. stopping an execution -------------------------------------------------------------------

const STOP = {
	credential: { id: 'loymaxScStopRun01', name: 'Loymax SC sandbox (stop)', type: 'loymaxScApi' },
	workflow: 'loymaxE2eStopRun',
	rows: 2_000,
	stopAfter: 300,
	// Every upsert answered after this long: 8 items in flight give ~80 a second, so the run lasts ~25 s.
	sandboxDelayMs: 100,
	// n8n aborts the requests a node sends with the credential itself, but not the login the
	// credential's preAuthentication sends: with 4 s tokens a run that goes on after the stop shows
	// itself by logging in again within the settle time.
	tokenTtlSeconds: 4,
	settleMs: 15_000,
	// Requests already under way when the stop is answered (the node's 8 items in flight and a login)
	// have reached the sandbox by then; a margin for ones still in transit.
	allowedAfterStop: 8 + 2,
	lateMs: 1_000,
};

const isUpsert = (e) => e.method === 'POST' && e.path === '/customer';

const stopExecution = {
	key: 'stop',
	live: true,
	name: `transport: a stopped run of ${STOP.rows} upserts sends nothing more`,
	credentials: (sb) => [{ ...STOP.credential, data: { baseUrl: sb.url, username: sb.username, password: sb.password } }],
	workflows: () => [
		workflow({
			id: STOP.workflow,
			name: 'Loymax SC e2e: stopped run',
			count: STOP.rows,
			prefix: 'STOP',
			target: { ...upsertNode(STOP.credential), onError: 'continueRegularOutput' },
		}),
	],
	async run({ home, api, expect, note }) {
		await api.reset();
		await api.setOptions({ tokenTtlSeconds: STOP.tokenTtlSeconds });
		await api._control('POST', 'faults', { kind: 'delay', ms: STOP.sandboxDelayMs, count: STOP.rows * 2, match: { method: 'POST', path: '/customer' } });
		const port = await freePort();
		let server;
		try {
			server = await home.start({ port, echo: !!process.env.N8N_E2E_VERBOSE });
			const rest = new N8nRest(`http://127.0.0.1:${port}`);
			await rest.signIn();
			const started = await rest.post(`/rest/workflows/${STOP.workflow}/run`, { triggerToStartFrom: { name: 'Start' } });
			const executionId = started.body?.data?.executionId;
			if (started.status !== 200 || !executionId) throw new Error(`POST /rest/workflows/${STOP.workflow}/run -> ${started.status} ${started.text.slice(0, 300)}`);
			const t0 = Date.now();
			let upserts = [];
			while ((upserts = (await api.log()).filter(isUpsert)).length < STOP.stopAfter) {
				if (Date.now() - t0 > 120_000) throw new Error(`only ${upserts.length} upserts reached the sandbox in 120 s`);
				await sleep(100);
			}
			const stopSent = Date.now();
			const stopped = await rest.post(`/rest/executions/${executionId}/stop`, {});
			const stopAnswered = Date.now();
			expect(stopped.status === 200, `POST /rest/executions/${executionId}/stop -> ${stopped.status} ${stopped.text.slice(0, 300)}`);
			await sleep(STOP.settleMs);
			const log = await api.log();
			const describe = (entries) => entries.map((e) => `${e.method} ${e.path} +${e.time - stopAnswered} ms`).join(', ');
			const during = log.filter((e) => e.time >= stopSent && e.time <= stopAnswered);
			const after = log.filter((e) => e.time > stopAnswered);
			const late = after.filter((e) => e.time > stopAnswered + STOP.lateMs);
			expect(after.length <= STOP.allowedAfterStop, `${after.length} requests reached the sandbox after n8n answered the stop, expected at most ${STOP.allowedAfterStop} (those under way): ${describe(after.slice(0, 12))}`);
			expect(late.length === 0, `${late.length} requests reached the sandbox more than ${STOP.lateMs} ms after the stop (the run went on): ${describe(late.slice(0, 12))}`);
			const execution = await rest.get(`/rest/executions/${executionId}`);
			const status = execution.body?.data?.status;
			expect(status === 'canceled', `execution ${executionId} is "${status}", expected "canceled"`);
			const count = (entries, test) => entries.filter(test).length;
			note(
				`${STOP.rows} rows, the sandbox answering each upsert after ${STOP.sandboxDelayMs} ms, ${STOP.tokenTtlSeconds} s tokens; stop sent after ${count(log, (e) => isUpsert(e) && e.time < stopSent)} upserts ` +
					`and ${count(log, (e) => isTokenCall(e) && e.time < stopSent)} logins, answered in ${stopAnswered - stopSent} ms; meanwhile ${during.length} requests; ` +
					`in the ${secs(STOP.settleMs)} after: ${count(after, isUpsert)} upserts, ${count(after, isTokenCall)} logins (${late.length} later than ${STOP.lateMs} ms); execution ${executionId}: ${status}`,
			);
		} finally {
			if (server) await server.stop();
			await api._control('DELETE', 'faults');
			await api.setOptions({ tokenTtlSeconds: 3600 });
		}
	},
};

const checks = [credentialIsolation, slowLogin, sameRecordWrites, stopExecution];

/** The checks `--only` selects (all of them for `transport` or no `--only`). */
function selected(only) {
	return checks.filter((check) => !only || only.includes(KEY) || only.includes(check.key));
}

module.exports = { key: KEY, checks, selected };
