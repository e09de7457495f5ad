'use strict';
/**
 * e2e "trigger: published workflow emits each new order once" (run by scripts/e2e.js after the
 * other `n8n start` checks; `--only=trigger` runs it alone).
 *
 * The example examples/new-order-followup.json, unchanged (Loymax SC Trigger "New Order" every
 * minute → Order summary → Loymax SC Event: Create `order_followup`), is published with
 * `n8n publish:workflow` and run by `n8n start` against the sandbox:
 *
 *   activation  the poll at start-up notes where the orders stand and emits nothing (no execution);
 *   round 1     n8n stopped, orders created over the sandbox API while it is down (two sharing one
 *               date, one back-dated), n8n started again → the start-up poll, from the cursor n8n
 *               saved after the activation poll (which emitted nothing), emits exactly them, oldest first;
 *   round 2     orders created between two ticks of the running n8n → the next tick's execution
 *               emits exactly them;
 *   quiet tick  the next tick reads the orders and finds nothing new → no execution;
 *   then        one `order_followup` event per new order in the sandbox (the example's last node
 *               ran for each), every order emitted exactly once over all executions.
 *
 * n8n polls once when the workflow is activated and then once a minute at a random second, so
 * each wait for a tick is bounded by TICK_TIMEOUT_MS; the whole check takes 2-4 minutes (n8n starts twice).
 */

const fs = require('fs');
const path = require('path');
const { freePort, httpJson } = require('../../scripts/n8n-run');

const KEY = 'trigger';
const NAME = 'trigger: published workflow emits each new order once';
const WORKFLOW_FILE = path.join(__dirname, '..', '..', 'examples', 'new-order-followup.json');
const TRIGGER_NODE = 'New order in Loymax SC';
const FOLLOW_UP_NODE = 'Log follow-up event';
const TICK_TIMEOUT_MS = 80_000;
const BROWSER_ID = 'loymaxsc-e2e-trigger';
const OWNER = { email: 'owner@loymaxsc.local', firstName: 'E2E', lastName: 'Owner', password: 'LoymaxSc-e2e1' };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const readWorkflow = () => JSON.parse(fs.readFileSync(WORKFLOW_FILE, 'utf8'));
/** The trigger's page reads: GET /order sorted by Platform ID, newest first. */
const isPoll = (entry) => entry.method === 'GET' && /^\/+order\/?$/.test(entry.path) && /"id"/.test(String(entry.query?.sort));

async function until(what, timeoutMs, probe) {
	const started = Date.now();
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
		await sleep(500);
	}
}

/** n8n's flatted-encoded execution data, with the `flatted` package of the n8n install. */
function parseExecutionData(home, data) {
	if (typeof data !== 'string') return data;
	const flatted = require(require.resolve('flatted', { paths: [path.dirname(home.inst.n8nBin)] }));
	return flatted.parse(data);
}

class N8nRest {
	constructor(base) {
		this.base = base;
		this.headers = { 'browser-id': BROWSER_ID };
	}

	async signIn() {
		let setup;
		await until('the REST API', 30_000, async () => {
			setup = await httpJson('POST', `${this.base}/rest/owner/setup`, OWNER, this.headers);
			return !/starting up/i.test(setup.text);
		});
		if (setup.status !== 200) {
			// A second start on the same database: the owner exists, log in instead.
			setup = await httpJson('POST', `${this.base}/rest/login`, { emailOrLdapLoginId: OWNER.email, password: OWNER.password }, this.headers);
		}
		if (setup.status !== 200) throw new Error(`owner setup/login -> ${setup.status} ${setup.text.slice(0, 200)}`);
		this.headers.cookie = []
			.concat(setup.headers['set-cookie'] || [])
			.map((c) => c.split(';')[0])
			.join('; ');
	}

	get(p) {
		return httpJson('GET', `${this.base}${p}`, undefined, this.headers);
	}

	post(p, body) {
		return httpJson('POST', `${this.base}${p}`, body, this.headers);
	}

	/** The workflow's executions, oldest first. */
	async executions(workflowId) {
		const r = await this.get(`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=100`);
		if (r.status !== 200) throw new Error(`GET /rest/executions -> ${r.status} ${r.text.slice(0, 200)}`);
		return (r.body?.data?.results || []).sort((a, b) => Number(a.id) - Number(b.id));
	}
}

async function run({ home, api, expect, note }) {
	const workflow = readWorkflow();
	await api.reset();
	await api.clearLog();
	await home.importWorkflow(workflow);
	const published = await home.n8n(['publish:workflow', `--id=${workflow.id}`]);
	if (published.code !== 0) note(`n8n publish:workflow failed (exit ${published.code}); activating over REST instead`);

	const created = [];
	let sequence = 0;
	const createOrders = async (dates) => {
		const ids = [];
		for (const date of dates) {
			const localId = `E2E-T-${++sequence}`;
			const r = await api.api('POST', '/order', {
				data: { attributes: { local_id: localId, date, client_id: `C-0000${1 + (sequence % 5)}`, number: `N${sequence}`, items_cnt: 1, items_sum: 100 + sequence } },
			});
			if (r.status !== 201) throw new Error(`POST /order ${localId} -> ${r.status} ${r.text.slice(0, 200)}`);
			ids.push(localId);
		}
		created.push(...ids);
		return ids;
	};

	let server;
	let rest;
	const start = async () => {
		const port = await freePort();
		server = await home.start({ port, echo: !!process.env.N8N_E2E_VERBOSE });
		rest = new N8nRest(`http://127.0.0.1:${port}`);
		await rest.signIn();
		if (published.code !== 0) {
			const wf = await rest.get(`/rest/workflows/${workflow.id}`);
			const act = await rest.post(`/rest/workflows/${workflow.id}/activate`, { versionId: wf.body?.data?.versionId });
			if (act.status !== 200) throw new Error(`activate -> ${act.status} ${act.text.slice(0, 300)}`);
		}
	};
	const polls = async () => (await api.log()).filter(isPoll);
	/**
	 * Waits until the executions after execution `seen` have emitted `expected` (normally one
	 * execution; two if a tick fell between two of the round's writes), all finished. Returns them
	 * with the trigger's emitted local IDs and the follow-up node's items, concatenated.
	 */
	const executionsFor = async (seen, expected, what) => {
		let result;
		await until(what, TICK_TIMEOUT_MS, async () => {
			const fresh = (await rest.executions(workflow.id)).filter((e) => Number(e.id) > seen);
			if (!fresh.length || fresh.some((e) => e.status === 'running' || e.status === 'new')) return false;
			result = { executions: fresh, emitted: [], followUps: [] };
			for (const execution of fresh) {
				const full = await rest.get(`/rest/executions/${execution.id}`);
				const runData = parseExecutionData(home, full.body?.data?.data)?.resultData?.runData || {};
				const items = (name) => (runData[name]?.[0]?.data?.main?.[0] || []).map((item) => item.json);
				result.emitted.push(...items(TRIGGER_NODE).map((o) => o.local_id));
				result.followUps.push(...items(FOLLOW_UP_NODE));
			}
			return expected.every((id) => result.emitted.includes(id));
		}).catch((e) => {
			// Timed out with executions that miss some records: report what they emitted.
			if (!result) throw e;
		});
		result.last = Math.max(...result.executions.map((e) => Number(e.id)));
		return result;
	};
	const checkRound = (label, round, expected) => {
		const modes = round.executions.map((e) => `${e.mode}/${e.status}`);
		expect(modes.every((m) => m === 'trigger/success'), `${label} executions: ${modes.join(', ')}`);
		expect(JSON.stringify(round.emitted) === JSON.stringify(expected), `${label} emitted ${JSON.stringify(round.emitted)}, expected ${JSON.stringify(expected)}`);
		expect(round.followUps.length === expected.length, `${label}: ${round.followUps.length} follow-up events created, expected ${expected.length}`);
	};

	const started = Date.now();
	try {
		await start();
		// Activation: one poll, nothing emitted.
		await until('the activation poll', 60_000, async () => (await polls()).length > 0);
		await sleep(2000);
		expect((await rest.executions(workflow.id)).length === 0, 'the activation poll emitted nothing (no execution)');
		note(`published; activation poll ${((Date.now() - started) / 1000).toFixed(1)} s after start, ${(await api.getAll('/order')).length} orders existed`);

		// Round 1: orders created while n8n is down (two in the same second, one back-dated); the
		// start-up poll continues from the cursor n8n saved after the activation poll, which emitted nothing.
		await server.stop();
		const round1 = await createOrders(['2025-06-01 10:00:00', '2025-06-01 10:00:00', '2021-01-15 08:30:00']);
		const t1 = Date.now();
		await start();
		const r1 = await executionsFor(0, round1, 'the start-up poll after the restart');
		checkRound('round 1 (after the restart)', r1, round1);
		note(`round 1: n8n stopped, ${round1.length} orders created, n8n started → ${r1.executions.length} execution(s) ${((Date.now() - t1) / 1000).toFixed(1)} s after the restart began`);

		// Round 2: new orders between two ticks of the running n8n.
		const pollsBefore = (await polls()).length;
		const round2 = await createOrders(['2025-06-02 09:00:00', '2025-06-02 09:00:00']);
		const t2 = Date.now();
		const r2 = await executionsFor(r1.last, round2, 'the tick after round 2');
		checkRound('round 2', r2, round2);
		note(`round 2: ${round2.length} orders → ${r2.executions.length} execution(s) ${((Date.now() - t2) / 1000).toFixed(1)} s later, after ${(await polls()).length - pollsBefore} tick(s)`);

		// A tick with nothing new: no execution.
		const pollCount = (await polls()).length;
		await until('a tick with nothing new', TICK_TIMEOUT_MS, async () => (await polls()).length > pollCount);
		await sleep(3000);
		const all = await rest.executions(workflow.id);
		const expectedRuns = r1.executions.length + r2.executions.length;
		expect(all.length === expectedRuns, `${all.length} executions in all, expected ${expectedRuns} (a quiet tick must not start one)`);

		// Every new order emitted once, and followed up once, over everything n8n ran.
		const emitted = [...r1.emitted, ...r2.emitted];
		expect(new Set(emitted).size === emitted.length && emitted.length === created.length, `emitted ${emitted.length} orders (${new Set(emitted).size} distinct), created ${created.length}`);
		const followUps = (await api.getAll('/event')).filter((e) => e.name === 'order_followup');
		const followed = followUps.map((e) => e.context?.order_id).sort();
		expect(JSON.stringify(followed) === JSON.stringify([...created].sort()), `order_followup events for ${JSON.stringify(followed)}, expected ${JSON.stringify([...created].sort())}`);
		const sample = followUps.find((e) => e.context?.order_id === round1[0]);
		expect(sample && sample.client_id === 'C-00002' && /^Order N1 from C-00002: 1 item\(s\), 101 in total/.test(String(sample.context?.summary)), `follow-up event of ${round1[0]}: ${JSON.stringify(sample)}`);
		const pages = await polls();
		note(`${pages.length} polls (GET /order, 1 page each: ${pages.every((p) => p.query['page[number]'] === '1')}), ${created.length} new orders, ${all.length} executions, ${followUps.length} follow-up events, ${((Date.now() - started) / 1000).toFixed(1)} s`);
	} finally {
		if (server) await server.stop();
	}
}

module.exports = { key: KEY, name: NAME, run, readWorkflow, N8nRest };
