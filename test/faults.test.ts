import { createFixture, sentAttributes, type Fixture } from './harness/fixture';

/** The fault matrix: every fault recovers or fails with the exact error, and the log shows nothing lost or duplicated. */

const getCustomer = (customerId = 'C-00001', extra: Record<string, unknown> = {}) => ({
	resource: 'customer',
	operation: 'get',
	customerId,
	...extra,
});
const listCustomers = { resource: 'customer', operation: 'getAll', returnAll: true };
const createEvent = (extra: Record<string, unknown> = {}) => ({
	resource: 'event',
	operation: 'create',
	name: 'order_shipped',
	date: '2024-05-01T10:00:00',
	...extra,
});
const upsertCustomers = {
	resource: 'customer',
	operation: 'upsert',
	localId: '={{ $json.localId }}',
	registerDate: '2024-01-31 12:00:00',
	additionalFields: { firstName: '={{ $json.firstName }}' },
};
const customerItems = (count: number) =>
	Array.from({ length: count }, (_, index) => ({ localId: `B-${index + 1}`, firstName: `Bulk${index + 1}` }));

/**
 * The most requests that left in any span of `windowMs`: an upper bound that a slow machine can
 * only lower, so it holds on a loaded CI machine too.
 */
function busiestWindow(times: number[], windowMs: number): number {
	let most = 0;
	for (let first = 0, last = 0; last < times.length; last++) {
		while (times[last] - times[first] >= windowMs) first++;
		most = Math.max(most, last - first + 1);
	}
	return most;
}

describe('fault matrix', () => {
	let fx: Fixture;
	afterEach(async () => fx?.close());

	const statuses = (path: string | RegExp, method?: string) => fx.requests({ path, method }).map((entry) => entry.status);

	describe('429 Too Many Attempts', () => {
		it('pauses for the configured time without Retry-After, then repeats the same request', async () => {
			fx = await createFixture({ seed: { customers: 5 } }, { rateLimitPauseSeconds: 0.3 });
			fx.sandbox.inject({ kind: 'status', status: 429, count: 2 });
			const result = await fx.ok(getCustomer('C-00004'));
			expect(result.items).toEqual([expect.objectContaining({ local_id: 'C-00004' })]);
			const calls = fx.requests({ path: '/customer/C-00004' });
			expect(calls.map((entry) => entry.status)).toEqual([429, 429, 200]);
			expect(calls[0].fault).toBe('status');
			// The pause is the credential's, as the docs ask (a minute by default).
			expect(calls[1].time - calls[0].time).toBeGreaterThanOrEqual(290);
			expect(calls[2].time - calls[1].time).toBeGreaterThanOrEqual(290);
		});

		it('honours Retry-After when the server sends it', async () => {
			fx = await createFixture({ seed: { customers: 5 }, retryAfterSeconds: 1 }, { rateLimitPauseSeconds: 60 });
			fx.sandbox.inject({ kind: 'status', status: 429, count: 1 });
			await fx.ok(getCustomer('C-00002'));
			const [limited, retried] = fx.requests({ path: '/customer/C-00002' });
			expect([limited.status, retried.status]).toEqual([429, 200]);
			// Waited for Retry-After (1 s), not for the 60 s setting.
			expect(retried.time - limited.time).toBeGreaterThanOrEqual(990);
			expect(retried.time - limited.time).toBeLessThan(10_000);
		});

		it('holds every request of the credential during the pause (a burst of items)', async () => {
			fx = await createFixture({ seed: { customers: 40 } }, { rateLimitPauseSeconds: 0.6 });
			fx.sandbox.inject({ kind: 'status', status: 429, count: 1, match: { path: '/customer/C-00003' } });
			const items = Array.from({ length: 40 }, (_, index) => ({ id: `C-${String(index + 1).padStart(5, '0')}` }));
			const result = await fx.ok(getCustomer('={{ $json.id }}'), items);
			expect(result.items.map((item) => item.local_id)).toEqual(items.map((item) => item.id));
			const log = fx.requests({ method: 'GET' });
			const limited = log.find((entry) => entry.status === 429)!;
			const retried = log.find((entry) => entry.path === limited.path && entry.status === 200)!;
			// The same request was repeated after the 600 ms pause.
			expect(retried.time - limited.time).toBeGreaterThanOrEqual(590);
			// Only requests already on their way when the 429 came back reached the server before the
			// repeat (the other items in flight, at most 7); without the pause all 37 waiting items would.
			const between = log.filter((entry) => entry.time > limited.time && entry.time < retried.time);
			expect(between.length).toBeLessThanOrEqual(7);
			// Every item was answered once with 200; only the rejected request was repeated.
			expect(log.filter((entry) => entry.status === 200)).toHaveLength(40);
			expect(log).toHaveLength(41);
		});

		it('repeats only the rejected page of a Return All: no page fetched twice, no item lost', async () => {
			fx = await createFixture({ seed: { customers: 250 } });
			fx.sandbox.inject({ kind: 'status', status: 429, count: 2, match: { path: '/customer', query: { 'page[number]': '2' } } });
			const result = await fx.ok(listCustomers);
			expect(result.items).toHaveLength(250);
			expect(new Set(result.items.map((item) => item.local_id)).size).toBe(250);
			const pages = fx.requests({ path: '/customer' }).map((entry) => `${entry.query['page[number]']}:${entry.status}`);
			expect(pages).toEqual(['1:200', '2:429', '2:429', '2:200', '3:200']);
		});

		it('gives a clear error after the maximum total wait, and keeps every item with continueOnFail', async () => {
			fx = await createFixture({ seed: { customers: 5 } }, { rateLimitPauseSeconds: 0.1, maxWaitSeconds: 0.35 });
			fx.sandbox.inject({ kind: 'status', status: 429, count: 1000 });
			const failed = await fx.run({ parameters: getCustomer() });
			expect(failed.error?.message).toBe('Loymax SC rate limit: Too Many Attempts.');
			expect(failed.error?.description).toMatch(/Waited 0 s in total for the rate limit.*Max Total Wait/);
			expect(failed.error?.httpCode).toBe('429');

			fx.sandbox.clearLog();
			const items = [{ id: 'C-00001' }, { id: 'C-00002' }, { id: 'C-00003' }];
			const kept = await fx.run({ parameters: getCustomer('={{ $json.id }}'), items, continueOnFail: true });
			expect(kept.error).toBeUndefined();
			expect(kept.items).toHaveLength(3);
			expect(kept.items.every((item) => String(item.error).includes('rate limit'))).toBe(true);
			expect(kept.raw.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		});

		it('counts only its own pauses against Max Total Wait, not the time queued behind other items', async () => {
			fx = await createFixture({ seed: { customers: 10 } }, { maxRequestsPerMinute: 600, rateLimitPauseSeconds: 0.05, maxWaitSeconds: 0.3 });
			// A budget this low would refuse to queue: the queue is bounded by a minute at least.
			// The last item queues about 0.7 s at 600/min, longer than Max Total Wait, then meets a 429.
			fx.sandbox.inject({ kind: 'status', status: 429, count: 1, match: { path: '/customer/C-00008' } });
			const items = Array.from({ length: 8 }, (_, index) => ({ id: `C-0000${index + 1}` }));
			const result = await fx.ok(getCustomer('={{ $json.id }}'), items);
			expect(result.items.map((item) => item.local_id)).toEqual(items.map((item) => item.id));
			expect(statuses('/customer/C-00008')).toEqual([429, 200]);
		});

		it('loses and duplicates nothing in a bulk upsert with 10 % of requests answered 429', async () => {
			fx = await createFixture({}, { rateLimitPauseSeconds: 0.02, maxRequestsPerMinute: 30_000 });
			fx.sandbox.inject({ kind: 'random429', ratio: 0.1, seed: 7 });
			const items = customerItems(60);
			const result = await fx.ok(upsertCustomers, items);
			expect(result.items.map((item) => item.local_id)).toEqual(items.map((item) => item.localId));
			const posts = fx.requests({ method: 'POST', path: '/customer' });
			expect(posts.filter((entry) => entry.status === 429).length).toBeGreaterThan(0);
			const accepted = posts.filter((entry) => entry.status === 200 || entry.status === 201);
			expect(accepted).toHaveLength(60);
			expect(new Set(accepted.map((entry) => sentAttributes(entry).local_id)).size).toBe(60);
			for (const item of items) expect(fx.sandbox.store.customers.get(item.localId)).toBeDefined();
		});
	});

	describe('401 and tokens', () => {
		it('renews the token on a 401 in the middle of pagination and repeats only that page', async () => {
			fx = await createFixture({ seed: { customers: 250 } });
			fx.sandbox.inject({ kind: 'status', status: 401, count: 1, match: { path: '/customer', query: { 'page[number]': '2' } } });
			const result = await fx.ok(listCustomers);
			expect(result.items).toHaveLength(250);
			expect(fx.requests({ path: '/customer' }).map((entry) => `${entry.query['page[number]']}:${entry.status}`)).toEqual([
				'1:200',
				'2:401',
				'2:200',
				'3:200',
			]);
			expect(fx.tokenCalls()).toBe(2);
		});

		it('fails with "Authorization failed" when even a fresh token is rejected, after one renewal', async () => {
			fx = await createFixture({ seed: { customers: 5 } });
			fx.sandbox.inject({ kind: 'status', status: 401, count: 10 });
			const result = await fx.run({ parameters: getCustomer() });
			expect(result.error?.message).toMatch(/^Authorization failed - please check your credentials/);
			expect(statuses('/customer/C-00001')).toEqual([401, 401]);
			expect(fx.tokenCalls()).toBe(2);
		});

		it('renews a forged stored token after the 401, and an expired one before sending', async () => {
			fx = await createFixture({ seed: { customers: 5 } });
			fx.engine.setCredential({ token: `Bearer ${fx.sandbox.issueToken('demo@loymaxsc.local', { secret: 'not-the-secret' })}` });
			await fx.ok(getCustomer());
			fx.engine.setCredential({ token: `Bearer ${fx.sandbox.issueToken('demo@loymaxsc.local', { ttlSeconds: -1 })}` });
			await fx.ok(getCustomer());
			expect(statuses('/customer/C-00001')).toEqual([401, 200, 200]);
			// The second renewal reuses the token issued a moment ago (not rejected): one login in all.
			expect(fx.tokenCalls()).toBe(1);
			expect(new Set(fx.requests({ path: '/customer/C-00001' }).slice(1).map((entry) => entry.token)).size).toBe(1);
		});

		it('retries the login itself on a transient failure of /token', async () => {
			fx = await createFixture({ seed: { customers: 5 } });
			fx.sandbox.inject({ kind: 'html', status: 503, count: 1, match: { path: '/token' } });
			await fx.ok(getCustomer());
			expect(statuses('/token')).toEqual([503, 200]);
		});
	});

	describe('transient faults', () => {
		const cases = [
			{ name: 'HTTP 500', fault: { kind: 'status', status: 500 } as const, status: 500, message: 'Loymax SC answered with HTTP 500' },
			{ name: 'an HTML 502 page', fault: { kind: 'html', status: 502 } as const, status: 502, message: 'Loymax SC answered with an HTML error page (HTTP 502)' },
			{ name: 'invalid JSON', fault: { kind: 'invalidJson' } as const, status: 200, message: 'Loymax SC answered with a response that is not valid JSON' },
			{ name: 'a dropped connection', fault: { kind: 'drop' } as const, status: 0, message: 'Could not reach Loymax SC' },
		];

		it.each(cases)('retries a read after $name and recovers', async ({ fault, status }) => {
			fx = await createFixture({ seed: { customers: 5 } });
			fx.sandbox.inject({ ...fault, count: 2, match: { path: '/customer/C-00001' } });
			const result = await fx.ok(getCustomer());
			expect(result.items[0]).toMatchObject({ local_id: 'C-00001' });
			expect(statuses('/customer/C-00001')).toEqual([status, status, 200]);
		});

		it('takes a 200 whose body is not JSON as the acknowledgement of a write: sent once, a success', async () => {
			fx = await createFixture({ seed: { customers: 5 } });
			fx.sandbox.inject({ kind: 'invalidJson', count: 1, match: { path: '/event', method: 'POST' } });
			const result = await fx.ok(createEvent());
			expect(result.items).toEqual([expect.objectContaining({ success: true })]);
			expect(statuses('/event', 'POST')).toEqual([200]);
		});

		it.each(cases.filter(({ status }) => status !== 200))('does not repeat an event create after $name, and says why', async ({ fault, status, message }) => {
			fx = await createFixture({ seed: { customers: 5 } });
			fx.sandbox.inject({ ...fault, count: 1, match: { path: '/event', method: 'POST' } });
			const result = await fx.run({ parameters: createEvent() });
			expect(result.error?.message.startsWith(message)).toBe(true);
			expect(result.error?.description).toMatch(/not (repeated|retried)/);
			expect(result.error?.message).not.toMatch(/<html|<body|at \w+ \(/i);
			expect(statuses('/event', 'POST')).toEqual([status]);
		});

		it('gives up on a read after bounded retries with a clear message, never raw HTML', async () => {
			fx = await createFixture({ seed: { customers: 5 } });
			fx.sandbox.inject({ kind: 'html', status: 502, count: 100 });
			const result = await fx.run({ parameters: getCustomer() });
			expect(result.error?.message).toBe('Loymax SC answered with an HTML error page (HTTP 502)');
			expect(result.error?.description).toMatch(/Gave up after 4 attempts/);
			expect(JSON.stringify(result.error)).not.toMatch(/<html/i);
			expect(statuses('/customer/C-00001')).toEqual([502, 502, 502, 502]);
		});

		it('retries a read whose response is slower than the timeout', async () => {
			fx = await createFixture({ seed: { customers: 5 } });
			fx.sandbox.inject({ kind: 'delay', ms: 1500, count: 1, match: { path: '/customer/C-00001' } });
			const result = await fx.ok(getCustomer('C-00001', { requestOptions: { timeout: 300 } }));
			expect(result.items[0]).toMatchObject({ local_id: 'C-00001' });
			expect(fx.requests({ path: '/customer/C-00001' })).toHaveLength(2);
		});

		it('does not repeat an event create that timed out', async () => {
			fx = await createFixture({ seed: { customers: 5 } });
			fx.sandbox.inject({ kind: 'delay', ms: 1500, count: 1, match: { path: '/event', method: 'POST' } });
			const result = await fx.run({ parameters: createEvent({ requestOptions: { timeout: 300 } }) });
			expect(result.error?.message).toBe('Loymax SC did not answer in time (request timeout)');
			expect(result.error?.description).toMatch(/not repeated/);
			expect(fx.requests({ path: '/event', method: 'POST' })).toHaveLength(1);
		});

		it('retries an upsert keyed by local_id after a 500 (repeating it is harmless)', async () => {
			fx = await createFixture();
			fx.sandbox.inject({ kind: 'status', status: 500, count: 1, match: { path: '/customer', method: 'POST' } });
			const result = await fx.ok(upsertCustomers, customerItems(1));
			expect(result.items[0]).toMatchObject({ local_id: 'B-1', first_name: 'Bulk1' });
			expect(statuses('/customer', 'POST')).toEqual([500, 201]);
		});
	});

	describe('API errors', () => {
		it('maps a validation error to NodeApiError with the API title and field messages', async () => {
			fx = await createFixture();
			fx.sandbox.inject({
				kind: 'status',
				status: 422,
				count: 1,
				body: { errors: [{ status: 422, title: 'Validation Failed', validation: { email: ['The email is taken.'] } }] },
			});
			const result = await fx.run({ parameters: upsertCustomers, items: customerItems(1) });
			expect(result.error?.message).toBe('Loymax SC error: Validation Failed (email: The email is taken.)');
			expect(result.error?.description).toContain('email: The email is taken.');
			expect(result.error?.httpCode).toBe('422');
			expect(statuses('/customer', 'POST')).toEqual([422]);
		});
	});

	describe('rate budget', () => {
		// 600 a minute counted in 1-second windows: at most 10 requests in any second.
		const tightBudget = { maxRequestsPerMinute: 600, rateWindowSeconds: 1 };

		it('sends a burst inside the budget at once, then never more than the budget in any window', async () => {
			fx = await createFixture({ seed: { customers: 30 } }, tightBudget);
			const items = Array.from({ length: 25 }, (_, index) => ({ id: `C-${String(index + 1).padStart(5, '0')}` }));
			const result = await fx.ok(getCustomer('={{ $json.id }}'), items);
			expect(result.items).toHaveLength(25);
			const times = fx.requests().map((entry) => entry.time);
			expect(times).toHaveLength(26); // the login counts too
			expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(10);
			// The first window is used whole: the budget is a burst, not a spacing.
			expect(busiestWindow(times, 1000)).toBe(10);
			// Items leave in input order.
			expect(fx.requests({ method: 'GET' }).map((entry) => entry.path)).toEqual(items.map((item) => `/customer/${item.id}`));
		});

		it('shares one budget between executions running at the same time', async () => {
			fx = await createFixture({ seed: { customers: 30 } }, tightBudget);
			const items = Array.from({ length: 12 }, (_, index) => ({ id: `C-${String(index + 1).padStart(5, '0')}` }));
			const runs = await Promise.all([fx.ok(getCustomer('={{ $json.id }}'), items), fx.ok(getCustomer('={{ $json.id }}'), items)]);
			expect(runs.map((run) => run.items.length)).toEqual([12, 12]);
			const times = fx.requests().map((entry) => entry.time);
			expect(times).toHaveLength(25);
			expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(10);
		});
	});
});
