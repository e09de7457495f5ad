import { createFixture, DEMO_PASSWORD, DEMO_USER, FAST_SETTINGS, type Fixture } from './harness/fixture';

/**
 * Production conditions through n8n's engine and the sandbox over HTTP: several credentials in one
 * process, a budget smaller than the requests waiting for a token, several items on one record, a
 * user pressing Stop.
 */

const getCustomer = (customerId: string) => ({ resource: 'customer', operation: 'get', customerId });

describe('production hardening', () => {
	let fx: Fixture;
	afterEach(async () => fx?.close());

	const apiRequests = () => fx.requests().filter((entry) => entry.path !== '/token' && !entry.path.startsWith('/__'));

	describe('credential identity', () => {
		it('never lends a credential the token of another credential of the same user with another password', async () => {
			fx = await createFixture({ seed: { customers: 3 } });
			fx.engine.credentials.set('wrong', { ...fx.engine.storedCredential, token: '', password: 'not-the-password' });
			const right = await fx.ok(getCustomer('C-00001'));
			expect(right.items).toEqual([expect.objectContaining({ local_id: 'C-00001' })]);

			const before = apiRequests().length;
			const wrong = await fx.run({ parameters: getCustomer('C-00002'), credentialId: 'wrong', continueOnFail: true });
			expect(wrong.items).toEqual([expect.objectContaining({ error: expect.stringMatching(/login failed/i) })]);
			// Not one API request was made with the wrong password: it has no token of its own.
			expect(apiRequests().length).toBe(before);
			const logins = fx.requests({ path: '/token' }).map((entry) => (entry.body as { data: { attributes: { password: string } } }).data.attributes.password);
			expect(logins).toEqual([DEMO_PASSWORD, 'not-the-password']);

			const again = await fx.ok(getCustomer('C-00003'));
			expect(again.items).toEqual([expect.objectContaining({ local_id: 'C-00003' })]);
			expect(fx.tokenCalls()).toBe(2);
		});

		it("does not merge a wrong password's login into the right one's, nor the right one's into the wrong one's", async () => {
			fx = await createFixture({ seed: { customers: 3 } });
			fx.engine.credentials.set('wrong', { ...fx.engine.storedCredential, token: '', password: 'not-the-password' });
			const [right, wrong] = await Promise.all([
				fx.run({ parameters: getCustomer('C-00001') }),
				fx.run({ parameters: getCustomer('C-00002'), credentialId: 'wrong', continueOnFail: true }),
			]);
			expect(right.error).toBeUndefined();
			expect(right.items).toEqual([expect.objectContaining({ local_id: 'C-00001' })]);
			expect(wrong.items).toEqual([expect.objectContaining({ error: expect.stringMatching(/login failed/i) })]);
			expect(apiRequests().map((entry) => entry.path)).toEqual(['/customer/C-00001']);
		});

		it('fails the later items of a wrong password at once, with one token call', async () => {
			fx = await createFixture({ seed: { customers: 3 } }, { password: 'not-the-password' });
			const items = [{ id: 'C-00001' }, { id: 'C-00002' }, { id: 'C-00003' }];
			const result = await fx.run({ parameters: getCustomer('={{ $json.id }}'), items, continueOnFail: true });
			expect(result.items).toHaveLength(3);
			for (const item of result.items) expect(item.error).toMatch(/login failed/i);
			expect(fx.tokenCalls()).toBe(1);
		});
	});

	describe('401s over time', () => {
		it('renews again after a later 401 to a token that an earlier 401 gave and the API then accepted', async () => {
			fx = await createFixture({ seed: { customers: 3 } });
			await fx.ok(getCustomer('C-00001'));
			fx.sandbox.inject({ kind: 'status', status: 401, count: 1 });
			await fx.ok(getCustomer('C-00002'));
			expect(fx.tokenCalls()).toBe(2);
			// The renewed token worked; the API revokes it later: one more login, not a failure.
			fx.sandbox.inject({ kind: 'status', status: 401, count: 1 });
			const result = await fx.ok(getCustomer('C-00003'));
			expect(result.items).toEqual([expect.objectContaining({ local_id: 'C-00003' })]);
			expect(fx.tokenCalls()).toBe(3);
		});
	});

	describe('a budget no larger than the requests waiting for a token', () => {
		// Before the fix the login waited for a slot held by the request that waited for the login.
		it('logs in first and finishes: 60 a minute in 1 s windows, no stored token', async () => {
			fx = await createFixture({ seed: { customers: 5 } }, { maxRequestsPerMinute: 60, rateWindowSeconds: 1 });
			const count = 3;
			const items = Array.from({ length: count }, (_, index) => ({ id: `C-0000${index + 1}` }));
			const result = await fx.ok(getCustomer('={{ $json.id }}'), items);
			expect(result.items.map((item) => item.local_id)).toEqual(items.map((item) => item.id));
			expect(fx.tokenCalls()).toBe(1);
			// The login went first, and took its own place in the budget.
			expect(fx.requests()[0].path).toBe('/token');
		});
	});

	describe('items that address the same record', () => {
		it('keeps every change of 24 updates spread over 3 customers with Keep Fields Not Set, in input order', async () => {
			fx = await createFixture({ seed: { customers: 3 } });
			const customers = ['C-00001', 'C-00002', 'C-00003'];
			const items = Array.from({ length: 24 }, (_, index) => ({ id: customers[index % 3], attribute: `attr_${index}`, city: `City ${index}` }));
			const result = await fx.ok(
				{
					resource: 'customer',
					operation: 'update',
					customerId: '={{ $json.id }}',
					updateFields: { city: '={{ $json.city }}' },
					customAttributes: { attribute: [{ name: '={{ $json.attribute }}', value: 'yes' }] },
					keepUnsetFields: true,
				},
				items,
			);
			expect(result.items).toHaveLength(24);
			for (const [position, id] of customers.entries()) {
				const stored = fx.sandbox.store.customers.findByKey(id)!.attributes as Record<string, unknown>;
				const mine = items.filter((item) => item.id === id);
				for (const item of mine) expect(stored[item.attribute]).toBe('yes');
				expect(stored.city).toBe(`City ${21 + position}`);
			}
		});

		it('sends upserts of one local_id in input order while other records go in parallel', async () => {
			fx = await createFixture({ seed: { customers: 0 } });
			// The last but one ODD upsert (the 18th request) is slow: the last one must not overtake it.
			fx.sandbox.inject({ kind: 'delay', ms: 0, count: 17, match: { method: 'POST' } });
			fx.sandbox.inject({ kind: 'delay', ms: 300, count: 1, match: { method: 'POST' } });
			const items = Array.from({ length: 20 }, (_, index) => ({ localId: index % 2 ? 'ODD' : `EVEN-${index}`, firstName: `N${index}` }));
			await fx.ok(
				{
					resource: 'customer',
					operation: 'upsert',
					localId: '={{ $json.localId }}',
					registerDate: '2024-01-31 12:00:00',
					additionalFields: { firstName: '={{ $json.firstName }}' },
				},
				items,
			);
			const odd = fx.requests({ method: 'POST', path: '/customer' }).filter((entry) => JSON.stringify(entry.body).includes('"ODD"'));
			expect(odd.map((entry) => JSON.stringify(entry.body).match(/"N(\d+)"/)![1])).toEqual(['1', '3', '5', '7', '9', '11', '13', '15', '17', '19']);
			expect(fx.sandbox.store.customers.findByKey("ODD")!.attributes.first_name).toBe('N19');
		});
	});

	describe('stop', () => {
		it('sends nothing more after the user stops the execution, and repeats nothing', async () => {
			fx = await createFixture({ seed: { customers: 0 } }, { ...FAST_SETTINGS, maxRequestsPerMinute: 600, rateWindowSeconds: 1 });
			const items = Array.from({ length: 200 }, (_, index) => ({ localId: `S-${index}`, firstName: `N${index}` }));
			let stop!: () => void;
			const running = fx.run({
				parameters: {
					resource: 'customer',
					operation: 'upsert',
					localId: '={{ $json.localId }}',
					registerDate: '2024-01-31 12:00:00',
					additionalFields: { firstName: '={{ $json.firstName }}' },
				},
				items,
				continueOnFail: true,
				onRunning: (cancel) => (stop = cancel),
			});
			// Stop once 25 upserts reached the API (10 a second: the run would take 20 s).
			while (fx.requests({ method: 'POST', path: '/customer' }).length < 25) await new Promise((resolve) => setTimeout(resolve, 20));
			const atStop = fx.requests({ method: 'POST', path: '/customer' }).length;
			stop();
			await running;
			await new Promise((resolve) => setTimeout(resolve, 1500));
			const after = fx.requests({ method: 'POST', path: '/customer' }).length;
			// Only requests already under way (at most 8 items in flight) may arrive after the stop.
			expect(after - atStop).toBeLessThanOrEqual(8);
			expect(after).toBeLessThan(60);
		});
	});
});

export { DEMO_USER };
