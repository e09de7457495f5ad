'use strict';
/**
 * The e2e scenarios: each example workflow of examples/, made runnable headless (see
 * headless.js), executed by a real n8n, then checked against its real output AND the state of the
 * sandbox (request log via /__sandbox/log, records via the API itself).
 *
 * A scenario: { name, file, build(ctx) -> [{ workflow, label? }], check(ctx, runs) }
 * `check` calls ctx.expect(cond, message) for every assertion; any false one fails the scenario.
 * Run by scripts/e2e.js.
 */

const fs = require('fs');
const path = require('path');
const { makeHeadless } = require('./headless');
const { liveFormCheck } = require('./live-form');

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');
const readExample = (file) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));

/** Minimal CSV reader for our sample (no quoted fields). */
function parseCsv(text) {
	const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
	const header = lines[0].split(',');
	return lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])));
}

const enc = encodeURIComponent;
const decode = (p) => {
	try {
		return decodeURIComponent(p);
	} catch {
		return p;
	}
};
const byRoute = (log, method, re) => log.filter((e) => e.method === method && re.test(decode(e.path)));
const attrsOf = (body) => (body && body.data && body.data.attributes) || body || {};
const str = (v) => JSON.stringify(v);

// ---------------------------------------------------------------------------------------------
const formSignup = {
	name: 'form-signup',
	file: 'form-signup.json',
	/** Second part, on `n8n start`: the example itself, its Form Trigger submitted over HTTP. */
	live: {
		name: 'form-signup (live Form Trigger, n8n start)',
		run: (ctx) => liveFormCheck({ ...ctx, workflow: readExample('form-signup.json') }),
	},
	build() {
		const wf = readExample(this.file);
		const h = makeHeadless(wf, { id: `${wf.id}Cli` });
		this.submissions = h.items.map((i) => i.json);
		return [{ workflow: h.workflow, label: `Form Trigger "${h.replacedTrigger.name}" → pinned ${h.items.length} submissions` }];
	},
	async check(ctx, [run]) {
		const { expect, api } = ctx;
		const subs = this.submissions;
		const optIn = 'Send me news and offers by email';
		expect(subs.length >= 2, `the example pins at least 2 submissions (got ${subs.length})`);
		const upserts = run.nodeOutput('Create or update customer') || [];
		const acks = run.nodeOutput('Update subscriptions') || [];
		expect(upserts.length === subs.length, `upsert node output ${upserts.length} items for ${subs.length} submissions`);
		expect(acks.length === subs.length, `subscription node output ${acks.length} items for ${subs.length} submissions`);
		subs.forEach((s, i) => {
			const id = s.Email.trim().toLowerCase();
			const u = upserts[i] || {};
			expect(u.type === 'customer' && u.local_id === id, `upsert item ${i}: type/local_id ${str([u.type, u.local_id])}, expected customer/${id}`);
			expect(u.first_name === s['First name'] && u.email === id, `upsert item ${i}: first_name/email ${str([u.first_name, u.email])}`);
			const a = acks[i] || {};
			expect(a.status === 'success' && a.customer_id === id, `subscription item ${i}: ${str(a)}, expected status success for ${id}`);
		});

		const log = run.sandboxLog;
		const posts = byRoute(log, 'POST', /^\/customer\/?$/);
		expect(posts.length === subs.length, `sandbox saw ${posts.length} POST /customer, expected ${subs.length}`);
		expect(posts.every((e) => e.status === 201), `POST /customer statuses ${str(posts.map((e) => e.status))}, expected 201 (new customers)`);
		const first = attrsOf(posts.find((e) => attrsOf(e.body).local_id === subs[0].Email.toLowerCase())?.body);
		expect(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(first.register_date || ''), `register_date sent as yyyy-mm-dd hh:mm:ss (got ${str(first.register_date)})`);
		const patches = byRoute(log, 'PATCH', /^\/customer\/[^/]+\/subscribe$/);
		expect(patches.length === subs.length, `sandbox saw ${patches.length} PATCH .../subscribe, expected ${subs.length}`);
		expect(patches.every((e) => e.status === 200), `PATCH subscribe statuses ${str(patches.map((e) => e.status))}, expected 200`);

		for (const s of subs) {
			const id = s.Email.trim().toLowerCase();
			const c = await api.getOne(`/customer/${enc(id)}`);
			expect(!!c, `customer ${id} exists in the sandbox`);
			if (c) {
				expect(c.first_name === s['First name'] && c.last_name === s['Last name'] && c.city === s.City, `stored customer ${id}: ${str([c.first_name, c.last_name, c.city])}`);
				expect(c.signup_source === 'website-form', `stored custom attribute signup_source = ${str(c.signup_source)}`);
			}
			const subsNow = await api.getAll(`/customer/${enc(id)}/subscribe`);
			const status = (code) => subsNow.find((x) => x.code === code)?.status_email;
			const want = s[optIn] === 'Yes' ? 'Y' : 'N';
			for (const code of ['news', 'promo']) {
				const got = status(code);
				expect(want === 'Y' ? got === 'Y' : got !== 'Y', `${id}: ${code} email subscription ${str(got)}, expected ${want}`);
			}
			expect(status('service') === 'Y', `${id}: service email subscription ${str(status('service'))}, expected Y`);
		}
	},
};

// ---------------------------------------------------------------------------------------------
const BAD_ROW = 'C-1099,Bad,Row,not-an-email,79991239999,M,1990-01-01,Omsk,2024-01-01 00:00:00';

const csvBulk = {
	name: 'csv-bulk-upsert',
	file: 'csv-bulk-upsert.json',
	build() {
		const wf = readExample(this.file);
		const csvFile = fs.readFileSync(path.join(EXAMPLES, 'customers.csv'), 'utf8');
		const setNode = wf.nodes.find((n) => n.name === 'Customers CSV');
		const inline = setNode.parameters.assignments.assignments.find((a) => a.name === 'csv');
		this.inlineMatchesFile = inline.value.trim() === csvFile.trim();
		this.rows = parseCsv(csvFile);
		// Variant: the same file plus one row the API rejects, to see per-row results with an error.
		const bad = JSON.parse(JSON.stringify(wf));
		bad.nodes.find((n) => n.name === 'Customers CSV').parameters.assignments.assignments.find((a) => a.name === 'csv').value =
			`${csvFile.trim()}\n${BAD_ROW}\n`;
		return [
			{ workflow: makeHeadless(wf, { id: `${wf.id}Cli` }).workflow, label: `examples/customers.csv (${this.rows.length} rows)` },
			{ workflow: makeHeadless(bad, { id: `${wf.id}Bad`, name: `${wf.name} (with a bad row)` }).workflow, label: `+1 row with an invalid email` },
		];
	},
	async check(ctx, [run, badRun]) {
		const { expect, api } = ctx;
		const rows = this.rows;
		expect(this.inlineMatchesFile, 'inline CSV of the example equals examples/customers.csv');
		const results = run.nodeOutput('Result per row') || [];
		expect(results.length === rows.length, `per-row results: ${results.length}, CSV rows: ${rows.length}`);
		rows.forEach((r, i) => {
			const res = results[i] || {};
			expect(res.customer_id === r.customer_id && res.row === i + 1, `result ${i + 1}: ${str([res.row, res.customer_id])}, expected ${str([i + 1, r.customer_id])}`);
			expect(res.result === 'ok' && !!res.loymax_id, `result ${i + 1} (${r.customer_id}): ${str(res)}`);
		});
		const posts = byRoute(run.sandboxLog, 'POST', /^\/customer\/?$/);
		expect(posts.length === rows.length, `sandbox saw ${posts.length} POST /customer for ${rows.length} rows`);
		expect(posts.every((e) => e.status === 201), `POST /customer statuses ${str(posts.map((e) => e.status))}, expected all 201`);
		for (const r of rows) {
			const c = await api.getOne(`/customer/${enc(r.customer_id)}`);
			expect(!!c, `customer ${r.customer_id} stored`);
			if (!c) continue;
			const same = ['first_name', 'last_name', 'email', 'phone', 'sex', 'birth_date', 'city'].filter((k) => c[k] !== r[k]);
			expect(same.length === 0, `stored ${r.customer_id} differs in ${same.map((k) => `${k}=${str(c[k])} (csv ${str(r[k])})`).join(', ')}`);
			expect(c.register_date === r.registered, `stored ${r.customer_id} register_date ${str(c.register_date)}, csv ${str(r.registered)}`);
			expect(c.import_source === 'csv', `stored ${r.customer_id} custom attribute import_source ${str(c.import_source)}`);
		}

		// Variant with an invalid row: every row still gets its result, the bad one 'failed'.
		expect(badRun.ok, `variant with a bad row finishes (continue on error): ${badRun.ok ? '' : badRun.describeFailure().slice(0, 600)}`);
		const bres = badRun.nodeOutput('Result per row') || [];
		expect(bres.length === rows.length + 1, `bad-row variant: ${bres.length} results for ${rows.length + 1} rows`);
		const okCount = bres.filter((x) => x.result === 'ok').length;
		const last = bres[bres.length - 1] || {};
		expect(okCount === rows.length, `bad-row variant: ${okCount} ok, expected ${rows.length}`);
		expect(last.customer_id === 'C-1099' && last.result === 'failed' && !!last.error, `bad row result: ${str(last)} (expected failed with an error text)`);
		// n8n keeps only the error *message* in a continue-on-fail item: say so when it does not
		// tell the user which field was wrong.
		if (last.error && !/mail/i.test(last.error)) ctx.note(`note: the per-row error text does not name the bad field: ${str(last.error)}`);
		expect(!(await api.getOne('/customer/C-1099')), 'the bad row was not stored');
	},
};

// ---------------------------------------------------------------------------------------------
const ordersSummary = {
	name: 'orders-summary',
	file: 'orders-summary.json',
	build() {
		const wf = readExample(this.file);
		const h = makeHeadless(wf, { id: `${wf.id}Cli` });
		return [{ workflow: h.workflow, label: `Schedule Trigger "${h.replacedTrigger.name}" → one schedule item` }];
	},
	async check(ctx, [run]) {
		const { expect, api } = ctx;
		// Read n8n's requests before our own API calls add to the log.
		const gets = byRoute(run.sandboxLog, 'GET', /^\/order\/?$/);
		const orders = await api.getAll('/order');
		const expected = new Map();
		for (const o of orders) {
			const e = expected.get(o.client_id) || { orders: 0, total: 0, last: '' };
			e.orders += 1;
			e.total += Number(o.items_sum);
			if (o.date > e.last) e.last = o.date;
			expected.set(o.client_id, e);
		}
		ctx.note(`sandbox holds ${orders.length} orders of ${expected.size} customers`);

		const got = run.nodeOutput('Get orders') || [];
		expect(got.length === orders.length, `Get orders returned ${got.length}, sandbox holds ${orders.length} (Return All)`);
		expect(got.every((o) => o.type === 'order'), 'every item is type order');
		const sortedDesc = got.every((o, i) => i === 0 || String(got[i - 1].date) >= String(o.date));
		expect(sortedDesc, 'orders come newest first (date desc)');
		expect(gets.length >= Math.ceil(orders.length / 100), `n8n fetched ${gets.length} page(s) for ${orders.length} orders`);
		const sorts = gets.map((e) => {
			const raw = e.query && e.query.sort;
			try {
				return JSON.parse(raw);
			} catch {
				return raw;
			}
		});
		expect(
			sorts.length > 0 && sorts.every((s) => Array.isArray(s) && s.length === 1 && s[0].attribute === 'date' && s[0].direction === 'desc'),
			`every GET /order sent sort=[{"attribute":"date","direction":"desc"}] (got ${str(sorts[0])})`,
		);
		expect(gets.every((e) => e.status === 200), `GET /order statuses ${str([...new Set(gets.map((e) => e.status))])}`);

		const summary = run.nodeOutput('Biggest spenders first') || [];
		expect(summary.length === expected.size, `summary has ${summary.length} customers, expected ${expected.size}`);
		let mismatches = 0;
		for (const s of summary) {
			const e = expected.get(s.customer_id);
			const ok = e && s.orders === e.orders && Math.abs(s.total - Math.round(e.total * 100) / 100) < 0.005 && s.last_order_date === e.last;
			if (!ok && mismatches++ < 3) expect(false, `summary for ${s.customer_id}: ${str(s)}, expected ${str(e)}`);
		}
		expect(mismatches === 0, `${mismatches} summary line(s) differ from the seeded orders`);
		const sum = summary.reduce((a, s) => a + s.total, 0);
		const want = [...expected.values()].reduce((a, e) => a + e.total, 0);
		expect(Math.abs(sum - want) < 0.01, `grand total ${sum}, seeded ${want}`);
		expect(summary.every((s, i) => i === 0 || summary[i - 1].total >= s.total), 'summary sorted by total, biggest first');
	},
};

module.exports = { scenarios: [formSignup, csvBulk, ordersSummary], parseCsv, readExample };
