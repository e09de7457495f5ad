import { startRecordingProxy, startSelfSignedFront } from './harness/proxies';
import { createFixture, type Fixture } from './harness/fixture';

/** How the node runs its items: in order, a bounded number at a time, stopping at the first failure. */

const createEvent = (extra: Record<string, unknown> = {}) => ({
	resource: 'event',
	operation: 'create',
	name: '={{ $json.name }}',
	date: '={{ $json.date }}',
	...extra,
});
const upsertCustomer = (extra: Record<string, unknown> = {}) => ({
	resource: 'customer',
	operation: 'upsert',
	localId: '={{ $json.localId }}',
	registerDate: '={{ $json.registerDate }}',
	additionalFields: { firstName: '={{ $json.firstName }}' },
	...extra,
});
const customerRows = (count: number) =>
	Array.from({ length: count }, (_, index) => ({ localId: `X-${index}`, registerDate: '2024-01-31 12:00:00', firstName: `Row${index}` }));
const createDictionary = { resource: 'dictionary', operation: 'create', name: '={{ $json.name }}', code: '={{ $json.code }}' };
const getCustomer = (extra: Record<string, unknown> = {}) => ({ resource: 'customer', operation: 'get', customerId: 'C-00001', ...extra });

describe('execute(): items in order, stop on error, Continue On Fail', () => {
	let fx: Fixture;
	afterEach(async () => fx?.close());

	it('sends nothing for later items once item 0 is answered 422, and says so', async () => {
		fx = await createFixture({ seed: { customers: 3 } });
		fx.sandbox.inject({
			kind: 'status',
			status: 422,
			count: 1,
			match: { path: '/event' },
			body: { errors: [{ status: 422, title: 'The given data was invalid.', validation: { name: ['The name is not allowed.'] } }] },
		});
		const items = [0, 1, 2].map((index) => ({ name: `event_${index}`, date: '2024-05-01 10:00:00' }));
		const result = await fx.run({ parameters: createEvent(), items });
		expect(result.error?.message).toBe('Loymax SC error: The given data was invalid. (name: The name is not allowed.)');
		expect(result.error?.description).toMatch(/^Item 0 failed, so the 2 later items were not sent\./);
		expect(result.error?.context?.itemIndex).toBe(0);
		expect(fx.requests({ method: 'POST', path: '/event' })).toHaveLength(1);
	});

	it('stops a bulk upsert at a bad row: rows after it that were not yet under way are never sent', async () => {
		fx = await createFixture({ seed: { customers: 0 } });
		const rows = customerRows(40);
		rows[15] = { ...rows[15], registerDate: 'yesterday' };
		const result = await fx.run({ parameters: upsertCustomer(), items: rows });
		expect(result.error?.message).toBe('Invalid value for "Register Date" in item 15: "yesterday" is not a date (use ISO 8601 or yyyy-mm-dd hh:mm:ss)');
		const notSent = Number(/the (\d+) later items were not sent/.exec(result.error?.description ?? '')?.[1]);
		const sent = fx.requests({ method: 'POST', path: '/customer' }).map((entry) => (entry.body as { data: { attributes: { local_id: string } } }).data.attributes.local_id);
		// Every row before the bad one was sent; of the rows after it only those already under way.
		expect(sent.slice(0, 15)).toEqual(rows.slice(0, 15).map((row) => row.localId));
		expect(sent).not.toContain('X-15');
		expect(sent.length - 15).toBeLessThanOrEqual(7);
		expect(sent.length + 1 + notSent).toBe(40);
		expect(new Set(sent).size).toBe(sent.length);
	});

	it('sends writes that must not be repeated one at a time, so nothing after a failure reached the API', async () => {
		fx = await createFixture();
		// Dictionary creation is not repeatable; the code "dict2" is taken, so item 4 is answered 422.
		const items = Array.from({ length: 12 }, (_, index) => ({ name: `Dictionary ${index}`, code: index === 4 ? 'dict2' : `new_${index}` }));
		const result = await fx.run({ parameters: createDictionary, items });
		expect(result.error?.message).toBe('Loymax SC error: Validation Failed (code: has already been taken)');
		expect(result.error?.context?.itemIndex).toBe(4);
		expect(result.error?.description).toMatch(/^Item 4 failed, so the 7 later items were not sent\./);
		expect(fx.requests({ method: 'POST', path: '/dictionary' }).map((entry) => entry.status)).toEqual([201, 201, 201, 201, 422]);
	});

	it('gives every item its paired output with Continue On Fail and goes on after failures', async () => {
		fx = await createFixture();
		const items = [
			{ name: 'First', code: 'first' },
			{ name: '', code: 'no_name' },
			{ name: 'Taken', code: 'dict2' },
			{ name: 'Fourth', code: 'fourth' },
			{ name: 'Last', code: 'last' },
		];
		const result = await fx.run({ parameters: createDictionary, items, continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.raw.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(result.items.map((item) => (item.error ? 'error' : item.code))).toEqual(['first', 'error', 'error', 'fourth', 'last']);
		expect(String(result.items[1].error)).toMatch(/^Invalid value for "Name" in item 1/);
		expect(String(result.items[2].error)).toBe('Loymax SC error: Validation Failed (code: has already been taken)');
		// Item 1 never left; item 2 was sent once and rejected.
		expect(fx.requests({ method: 'POST', path: '/dictionary' }).map((entry) => entry.status)).toEqual([201, 422, 201, 201]);
	});

	it('names the record in a Not Found error', async () => {
		fx = await createFixture({ seed: { customers: 3 } });
		const result = await fx.run({ parameters: getCustomer({ customerId: 'NOPE-1' }) });
		expect(result.error?.message).toBe('Loymax SC error: Not Found (Customer Local ID "NOPE-1")');
		expect(result.error?.context?.itemIndex).toBe(0);
	});

	it('runs 10 000 upserts through the engine: each row sent and stored exactly once, outputs paired in order', async () => {
		fx = await createFixture({ seed: { customers: 0 }, rateLimitPerMinute: 1_000_000 }, { maxRequestsPerMinute: 1_000_000 });
		const rows = customerRows(Number(process.env.ROWS ?? 10_000));
		const result = await fx.ok(upsertCustomer(), rows);
		expect(result.items).toHaveLength(10_000);
		expect(result.raw.every((item, index) => (item.pairedItem as { item: number }).item === index)).toBe(true);
		expect(result.items.map((item) => item.local_id)).toEqual(rows.map((row) => row.localId));
		const sent = fx.requests({ method: 'POST', path: '/customer' });
		expect(sent).toHaveLength(10_000);
		expect(new Set(sent.map((entry) => (entry.body as { data: { attributes: { local_id: string } } }).data.attributes.local_id)).size).toBe(10_000);
		expect(fx.sandbox.store.customers.size).toBe(10_000);
		expect(fx.tokenCalls()).toBe(1);
	}, 600_000);
});

describe('execute(): n8n request options', () => {
	let fx: Fixture;
	afterEach(async () => fx?.close());

	it('sends every request, the login included, through the Proxy option', async () => {
		fx = await createFixture({ seed: { customers: 3 } });
		const proxy = await startRecordingProxy();
		try {
			const result = await fx.ok(getCustomer({ requestOptions: { proxy: proxy.url } }));
			expect(result.items).toEqual([expect.objectContaining({ local_id: 'C-00001' })]);
			expect(proxy.passed).toEqual([`${fx.sandbox.url}/token`, `${fx.sandbox.url}/customer/C-00001`]);
		} finally {
			await proxy.close();
		}
	});

	it('rejects a proxy that is not a URL before sending anything', async () => {
		fx = await createFixture({ seed: { customers: 3 } });
		const result = await fx.run({ parameters: getCustomer({ requestOptions: { proxy: 'ftp://proxy:21' } }) });
		expect(result.error?.message).toBe('Invalid value for "Proxy" in item 0: use an http:// or https:// address such as http://myproxy:3128');
		expect(fx.sandbox.log).toHaveLength(0);
	});

	it('refuses a self-signed certificate unless Ignore SSL Issues is on', async () => {
		fx = await createFixture({ seed: { customers: 3 } });
		const front = await startSelfSignedFront(fx.sandbox.url);
		try {
			fx.engine.setCredential({ baseUrl: front.url });
			const refused = await fx.run({ parameters: getCustomer() });
			expect(refused.error?.message).toMatch(/certificate/i);
			expect(fx.sandbox.log).toHaveLength(0);
			const accepted = await fx.ok(getCustomer({ requestOptions: { allowUnauthorizedCerts: true } }));
			expect(accepted.items).toEqual([expect.objectContaining({ local_id: 'C-00001' })]);
		} finally {
			await front.close();
		}
	});

	it('applies the Timeout option to each request', async () => {
		fx = await createFixture({ seed: { customers: 3 } }, { retryDelaySeconds: 0.01 });
		fx.sandbox.inject({ kind: 'delay', ms: 1_500, count: 10, match: { path: '/event' } });
		const result = await fx.run({
			parameters: createEvent({ requestOptions: { timeout: 200 } }),
			items: [{ name: 'slow', date: '2024-05-01 10:00:00' }],
		});
		expect(result.error?.message).toBe('Loymax SC did not answer in time (request timeout)');
		// An event create that may have arrived is not repeated.
		expect(fx.requests({ method: 'POST', path: '/event' })).toHaveLength(1);
	});
});
