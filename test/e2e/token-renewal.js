'use strict';
/**
 * e2e scenario "credential: token renewed before expiry" (run by scripts/e2e.js after the headless
 * example scenarios, before the `n8n start` part).
 *
 * The sandbox issues tokens that live 4 s; a second credential sends at most 10 requests in any
 * second (600/min counted in 1-second windows), and one execution sends ITEMS GETs, more than one token lifetime. The node must
 * renew the token shortly before it expires (when less than a tenth of its lifetime, 0.4 s, is
 * left) through n8n's own preAuthentication, which saves the new token in n8n's database:
 *
 *   run 1  token emptied → login, then exactly one renewal; every GET 200, no 401; the GETs use
 *          two tokens, the second only after the renewal; the renewal is not earlier than the
 *          margin;
 *   run 2  a new `n8n execute` right away: the stored token is reused while it has more than the
 *          margin left, else renewed before the first GET; no 401;
 *   then   `n8n export:credentials --decrypted`: the database holds the token the last renewal
 *          of run 2 obtained (a renewal in the middle of an execution is persisted).
 *
 * Item count: the sandbox sets `iat = floor(now)` and `exp = iat + 4` (whole seconds), so a
 * token obtained at time a is accepted until exp (3.0..4.0 s after a) and the node renews it
 * 0.4 s before, i.e. 2.6..3.6 s after a. With the first login at 0, the first renewal comes at
 * 2.6..3.6 s and a second one would come at 5.2..7.2 s. Exactly one renewal is therefore
 * guaranteed when the last GET is sent between 3.6 s and 5.2 s after the login; 42 GETs at
 * 10 a second (the login counts) end about 4.0-4.2 s after it (≥ 0.6 s inside either bound; a busy machine can only make
 * the run slower, and the upper bound has the larger slack). 60 GETs (~6 s) would need a second
 * renewal in about half of the runs, depending on where in the second the first token was issued.
 */

const fs = require('fs');
const path = require('path');

const NAME = 'credential: token renewed before expiry';
const KEY = 'token-renewal';
const ITEMS = 42;
const TTL_SECONDS = 4;
const RATE_PER_MINUTE = 600;
const MARGIN_MS = (TTL_SECONDS * 1000) / 10; // the node's margin for a 4 s token: min(5 min, lifetime / 10)
const CUSTOMER_ID = 'C-00001';
const CREDENTIAL = { id: 'loymaxScSandboxSlow', name: 'Loymax SC sandbox (slow)', type: 'loymaxScApi' };
const WORKFLOW_ID = 'loymaxE2eTokenRenew';
const NODE_NAME = 'Get customer';

const isTokenCall = (e) => e.method === 'POST' && /^\/+token\/?$/.test(e.path);
const isGet = (e) => e.method === 'GET' && new RegExp(`^/+customer/${encodeURIComponent(CUSTOMER_ID)}/?$`).test(e.path);

function claims(jwt) {
	try {
		return JSON.parse(Buffer.from(String(jwt).replace(/^bearer\s+/i, '').split('.')[1], 'base64url').toString('utf8'));
	} catch {
		return {};
	}
}

/** The credential to import next to the main one: same sandbox user, 10 requests a second. */
function credential(sb) {
	return {
		...CREDENTIAL,
		// Counted in 1-second windows: 10 requests a second, so one execution outlives a token.
		data: { baseUrl: sb.url, username: sb.username, password: sb.password, advanced: true, maxRequestsPerMinute: RATE_PER_MINUTE, rateWindowSeconds: 1 },
	};
}

/** Manual Trigger → Code (ITEMS items) → Loymax SC customer/get with the slow credential. */
function workflow() {
	return {
		id: WORKFLOW_ID,
		name: 'Loymax SC e2e: token renewed before expiry',
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
		nodes: [
			{ id: '00000000-0000-4000-8000-00000000a001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: '00000000-0000-4000-8000-00000000a002',
				name: 'Items',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [240, 0],
				parameters: { jsCode: `return Array.from({ length: ${ITEMS} }, (_, i) => ({ json: { n: i + 1 } }));` },
			},
			{
				id: '00000000-0000-4000-8000-00000000a003',
				name: NODE_NAME,
				type: 'n8n-nodes-loymaxsc.loymaxSc',
				typeVersion: 1,
				position: [480, 0],
				credentials: { loymaxScApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
				parameters: { resource: 'customer', operation: 'get', customerId: CUSTOMER_ID },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] },
		},
	};
}

/** Figures of one execution from the sandbox log. */
function analyse(log) {
	const entries = [...log].sort((a, b) => a.time - b.time);
	const gets = entries.filter(isGet);
	const tokenCalls = entries.filter(isTokenCall);
	const rejected = entries.filter((e) => e.status === 401);
	const tokens = [];
	for (const g of gets) {
		let t = tokens.find((x) => x.jwt === g.token);
		if (!t) {
			const c = claims(g.token);
			t = { jwt: g.token, iat: c.iat, exp: c.exp, jti: c.jti, first: g.time, last: g.time, count: 0 };
			tokens.push(t);
		}
		t.count++;
		t.first = Math.min(t.first, g.time);
		t.last = Math.max(t.last, g.time);
	}
	const start = entries.length ? entries[0].time : 0;
	const rel = (ms) => `${((ms - start) / 1000).toFixed(2)}s`;
	return { entries, gets, tokenCalls, rejected, tokens, start, rel, others: entries.filter((e) => !isGet(e) && !isTokenCall(e)) };
}

const describeTokens = (a) =>
	a.tokens
		.map((t, i) => `T${i + 1} (exp ${a.rel(t.exp * 1000)}): ${t.count} GETs ${a.rel(t.first)}..${a.rel(t.last)}`)
		.join('; ');

/**
 * Runs the scenario. ctx: { home (N8nHome with the package, both credentials and workflow()
 * imported), api (SandboxClient), expect(cond, msg), note(msg) }.
 */
async function run({ home, api, expect, note }) {
	const fmt = (ms) => `${(ms / 1000).toFixed(2)}s`;
	await api.reset(); // fresh store, log and rate-limit window
	await api.setOptions({ tokenTtlSeconds: TTL_SECONDS });
	try {
		note(`${ITEMS} × GET /customer/${CUSTOMER_ID} at ${RATE_PER_MINUTE}/min, token lifetime ${TTL_SECONDS}s, renewal margin ${MARGIN_MS} ms`);

		// ---- run 1: the credential has no token yet ------------------------------------------------
		await api.clearLog();
		const r1 = await home.execute(WORKFLOW_ID);
		const a1 = analyse(await api.log());
		expect(r1.ok, `run 1 failed:\n${r1.ok ? '' : r1.describeFailure()}`);
		const out1 = r1.nodeOutput(NODE_NAME) || [];
		expect(out1.length === ITEMS && out1.every((c) => c.local_id === CUSTOMER_ID), `run 1: node output ${out1.length} items, expected ${ITEMS} × customer ${CUSTOMER_ID}`);
		expect(a1.gets.length === ITEMS, `run 1: sandbox saw ${a1.gets.length} GET /customer/${CUSTOMER_ID}, expected ${ITEMS}`);
		const bad1 = a1.gets.filter((e) => e.status !== 200);
		expect(bad1.length === 0, `run 1: ${bad1.length} GETs not answered 200 (${JSON.stringify([...new Set(bad1.map((e) => e.status))])})`);
		expect(a1.rejected.length === 0, `run 1: ${a1.rejected.length} requests answered 401 (at ${a1.rejected.map((e) => a1.rel(e.time)).join(', ')})`);
		expect(a1.others.length === 0, `run 1: unexpected requests ${JSON.stringify(a1.others.map((e) => `${e.method} ${e.path} ${e.status}`))}`);
		expect(a1.tokenCalls.length === 2, `run 1: ${a1.tokenCalls.length} token calls, expected 2 (the first login + one renewal)`);
		expect(a1.tokenCalls.every((e) => e.status === 200), `run 1: token call statuses ${JSON.stringify(a1.tokenCalls.map((e) => e.status))}`);
		expect(a1.tokens.length === 2, `run 1: the GETs used ${a1.tokens.length} distinct token(s), expected 2`);
		const lastGet1 = a1.gets.length ? a1.gets[a1.gets.length - 1].time : a1.start;
		let timing1 = '';
		if (a1.tokenCalls.length >= 1 && a1.gets.length) {
			expect(a1.tokenCalls[0].time <= a1.gets[0].time, 'run 1: the first login comes before the first GET');
			timing1 = `GETs span ${fmt(lastGet1 - a1.tokenCalls[0].time)} after the first login`;
		}
		if (a1.tokenCalls.length === 2 && a1.tokens.length === 2) {
			const [t1, t2] = a1.tokens;
			const renewal = a1.tokenCalls[1];
			expect(t1.last <= renewal.time, `run 1: T1 used at ${a1.rel(t1.last)}, after the renewal at ${a1.rel(renewal.time)}`);
			expect(t2.first >= renewal.time, `run 1: T2 used at ${a1.rel(t2.first)}, before the renewal at ${a1.rel(renewal.time)}`);
			expect(t2.iat >= t1.iat && t2.exp > t1.exp, `run 1: T2 (iat ${t2.iat}, exp ${t2.exp}) is not newer than T1 (iat ${t1.iat}, exp ${t1.exp})`);
			expect(t1.exp - t1.iat === TTL_SECONDS && t2.exp - t2.iat === TTL_SECONDS, `run 1: token lifetimes ${t1.exp - t1.iat}s/${t2.exp - t2.iat}s, expected ${TTL_SECONDS}s (sandbox option not applied?)`);
			// The node renews once less than the margin is left, and checks before sending: the token call
			// reaches the sandbox no earlier than exp - margin (same clock).
			const before = t1.exp * 1000 - renewal.time;
			expect(before <= MARGIN_MS, `run 1: renewed ${before} ms before T1 expired, earlier than the ${MARGIN_MS} ms margin`);
			timing1 += `; renewal at ${a1.rel(renewal.time)}, ${before >= 0 ? `${before} ms before T1 expired` : `${-before} ms AFTER T1 expired (no request in between)`}`;
			// When the second renewal would have been due: shows how far the run stayed from it.
			timing1 += `; a 2nd renewal would be due at ${a1.rel(t2.exp * 1000 - MARGIN_MS)}, last GET at ${a1.rel(lastGet1)}`;
		}
		note(`run 1 (${fmt(r1.took)} incl. n8n start-up): ${a1.tokenCalls.length} token calls, ${a1.rejected.length}×401, ${a1.gets.length} GETs (${a1.gets.filter((e) => e.status === 200).length}×200)`);
		note(`  ${timing1}`);
		note(`  ${describeTokens(a1)}`);

		// ---- run 2: a new process right away, the token comes from n8n's database ------------------
		const stored = a1.tokens[a1.tokens.length - 1];
		await api.clearLog();
		const r2 = await home.execute(WORKFLOW_ID);
		const a2 = analyse(await api.log());
		expect(r2.ok, `run 2 failed:\n${r2.ok ? '' : r2.describeFailure()}`);
		const out2 = r2.nodeOutput(NODE_NAME) || [];
		expect(out2.length === ITEMS, `run 2: node output ${out2.length} items, expected ${ITEMS}`);
		expect(a2.gets.length === ITEMS, `run 2: sandbox saw ${a2.gets.length} GETs, expected ${ITEMS}`);
		const bad2 = a2.gets.filter((e) => e.status !== 200);
		expect(bad2.length === 0, `run 2: ${bad2.length} GETs not answered 200 (${JSON.stringify([...new Set(bad2.map((e) => e.status))])})`);
		expect(a2.rejected.length === 0, `run 2: ${a2.rejected.length} requests answered 401 (at ${a2.rejected.map((e) => a2.rel(e.time)).join(', ')})`);
		expect(a2.others.length === 0, `run 2: unexpected requests ${JSON.stringify(a2.others.map((e) => `${e.method} ${e.path} ${e.status}`))}`);
		expect(a2.tokenCalls.length >= 1 && a2.tokenCalls.length <= 3, `run 2: ${a2.tokenCalls.length} token calls, expected 1..3 for one ${fmt(ITEMS * 100)} run`);
		let how2 = '';
		if (stored && a2.gets.length) {
			const firstGet = a2.gets[0];
			const leftAtStart = stored.exp * 1000 - (a2.entries[0] ? a2.entries[0].time : firstGet.time);
			if (firstGet.token === stored.jwt) {
				how2 = `reused the stored token (${leftAtStart} ms left at the first request)`;
				expect(leftAtStart > 0, `run 2: the first GET used the stored token although it had expired`);
			} else {
				how2 = `renewed the stored token first (${leftAtStart >= 0 ? `${leftAtStart} ms left` : `expired ${-leftAtStart} ms before`} the first request)`;
				expect(a2.tokenCalls.length > 0 && a2.tokenCalls[0].time <= firstGet.time, 'run 2: a new token was used without a token call before it');
				// Renewing a stored token that still had well over the margin left would mean n8n gave the
				// node no token (not saved / not read back): a loaded machine may take up to the margin
				// between our reading of the clock and the node's.
				expect(leftAtStart < MARGIN_MS, `run 2: the stored token had ${leftAtStart} ms left (> ${MARGIN_MS} ms margin) but the node logged in again`);
			}
			const expiredUse = a2.gets.filter((g) => {
				const t = a2.tokens.find((x) => x.jwt === g.token);
				return !t || g.time >= t.exp * 1000;
			});
			expect(expiredUse.length === 0, `run 2: ${expiredUse.length} GETs sent with an expired token`);
		}
		const lastGet2 = a2.gets.length ? a2.gets[a2.gets.length - 1].time : a2.start;
		const renewals2 = a2.tokenCalls.map((e) => a2.rel(e.time)).join(', ');
		note(`run 2 (${fmt(r2.took)} incl. n8n start-up, started ${fmt(a2.start - lastGet1)} after run 1's last GET): ${a2.tokenCalls.length} token calls${renewals2 ? ` at ${renewals2}` : ''}, ${a2.rejected.length}×401, ${a2.gets.length} GETs (${a2.gets.filter((e) => e.status === 200).length}×200), span ${fmt(lastGet2 - a2.start)}`);
		note(`  ${how2}`);
		note(`  ${describeTokens(a2)}`);

		// ---- what n8n saved: the token of the last renewal ----------------------------------------
		const exportFile = path.join(home.userFolder, 'token-renewal-credential.json');
		const ex = await home.n8n(['export:credentials', `--id=${CREDENTIAL.id}`, '--decrypted', `--output=${exportFile}`]);
		let saved;
		try {
			const list = JSON.parse(fs.readFileSync(exportFile, 'utf8'));
			saved = (Array.isArray(list) ? list : [list]).find((c) => c.id === CREDENTIAL.id);
		} catch (e) {
			expect(false, `cannot read the exported credential (exit ${ex.code}): ${e.message}\n${ex.stderr.slice(-1000)}`);
		}
		const last = a2.tokens[a2.tokens.length - 1];
		if (saved && last) {
			const savedJwt = String(saved.data?.token ?? '').replace(/^Bearer\s+/i, '');
			const which = a2.tokens.findIndex((t) => t.jwt === savedJwt);
			expect(savedJwt === last.jwt, `n8n's database holds ${which >= 0 ? `T${which + 1} of run 2` : savedJwt ? 'a token no GET of run 2 used' : 'no token'}, expected the last one (T${a2.tokens.length})`);
			note(`n8n's database holds the token of run 2's last ${a2.tokens.length > 1 ? 'renewal' : 'login'} (T${a2.tokens.length}): ${savedJwt === last.jwt ? 'yes' : 'NO'}`);
		}
	} finally {
		await api.setOptions({ tokenTtlSeconds: 3600 });
	}
}

module.exports = { name: NAME, key: KEY, ITEMS, credential, workflow, run, analyse };
