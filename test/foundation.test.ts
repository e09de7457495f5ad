import { createFixture, DEMO_PASSWORD, sentAttributes, type Fixture } from './harness/fixture';

const getCustomer = (customerId: string) => ({ resource: 'customer', operation: 'get', customerId });
const getAllCustomers = (extra: Record<string, unknown> = {}) => ({ resource: 'customer', operation: 'getAll', ...extra });

describe('foundation: JWT credential, pagination and sort through n8n\'s engine', () => {
	let fx: Fixture;
	afterEach(async () => fx?.close());

	it('shares one token call across many requests and executions', async () => {
		fx = await createFixture({ seed: { customers: 30 } });
		const items = Array.from({ length: 20 }, (_, index) => ({ id: `C-${String(index + 1).padStart(5, '0')}` }));
		const first = await fx.ok(getCustomer('={{$json.id}}'), items);
		await fx.ok(getCustomer('C-00001'));
		expect(first.items).toHaveLength(20);
		expect(first.items[4]).toMatchObject({ type: 'customer', local_id: 'C-00005', first_name: 'First5' });
		expect(first.raw.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		expect(fx.tokenCalls()).toBe(1);
		expect(fx.requests({ method: 'GET' })).toHaveLength(21);
		const tokens = new Set(fx.requests({ method: 'GET' }).map((entry) => entry.token));
		expect(tokens.size).toBe(1);
		// The token lives in n8n's credential store, with its Bearer prefix exactly once.
		expect(fx.engine.storedCredential.token).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
	});

	it('accepts an access_token without the Bearer prefix and never doubles it', async () => {
		fx = await createFixture({ bearerPrefix: false, seed: { customers: 3 } });
		await fx.ok(getCustomer('C-00001'));
		expect(fx.engine.storedCredential.token).toMatch(/^Bearer [^ ]+$/);
		expect(fx.requests({ method: 'GET' })[0].status).toBe(200);
	});

	it('renews a short-lived token before it expires: one extra token call, no 401', async () => {
		fx = await createFixture({ tokenTtlSeconds: 4, seed: { customers: 5 } });
		// The sandbox counts iat/exp in whole seconds, so a 4 s token lives 3-4 s and is renewed in its
		// last tenth. Executions keep coming until the renewal has happened; none may meet a 401.
		for (let run = 0; run < 40 && fx.tokenCalls() < 2; run++) {
			const result = await fx.ok(getCustomer('C-00002'), [{}, {}]);
			expect(result.items).toHaveLength(2);
			await new Promise((resolve) => setTimeout(resolve, 150));
		}
		expect(fx.tokenCalls()).toBe(2);
		expect(fx.requests().filter((entry) => entry.status === 401)).toHaveLength(0);
	});

	it('renews an expired stored token before using it: no 401 at all', async () => {
		fx = await createFixture({ seed: { customers: 5 } });
		fx.engine.setCredential({ token: `Bearer ${fx.sandbox.issueToken('demo@loymaxsc.local', { ttlSeconds: -10 })}` });
		const result = await fx.ok(getCustomer('C-00003'));
		expect(result.items[0]).toMatchObject({ local_id: 'C-00003' });
		expect(fx.requests({ method: 'GET' }).map((entry) => entry.status)).toEqual([200]);
		expect(fx.tokenCalls()).toBe(1);
	});

	it('recovers from a token the server rejects: one renewal, the request repeated once', async () => {
		fx = await createFixture({ seed: { customers: 5 } });
		fx.engine.setCredential({ token: `Bearer ${fx.sandbox.issueToken('demo@loymaxsc.local', { secret: 'forged' })}` });
		const result = await fx.ok(getCustomer('C-00003'));
		expect(result.items[0]).toMatchObject({ local_id: 'C-00003' });
		expect(fx.requests({ method: 'GET' }).map((entry) => entry.status)).toEqual([401, 200]);
		expect(fx.tokenCalls()).toBe(1);
		expect(fx.engine.storedCredential.token).not.toContain(fx.requests({ method: 'GET' })[0].token);
	});

	it('fails a wrong password with a clear error after at most 2 token calls, without leaking it', async () => {
		fx = await createFixture({}, { password: 'wrong-password' });
		const result = await fx.run({ parameters: getCustomer('C-00001'), items: [{}, {}, {}] });
		expect(result.error?.message).toMatch(/login failed: client not found/i);
		expect(result.error?.description).toMatch(/Username and Password/);
		expect(fx.tokenCalls()).toBeLessThanOrEqual(2);
		expect(fx.requests({ method: 'GET' })).toHaveLength(0);
		expect(JSON.stringify(result.error)).not.toContain('wrong-password');
		expect(JSON.stringify(result.error)).not.toContain(DEMO_PASSWORD);
	});

	it('treats an errors body on HTTP 200 from /token as a failed login', async () => {
		fx = await createFixture({ tokenErrorsAs200: true }, { password: 'wrong-password' });
		const result = await fx.run({ parameters: getCustomer('C-00001') });
		expect(result.error?.message).toMatch(/login failed: client not found/i);
		expect(fx.tokenCalls()).toBe(1);
	});

	it('Get Many with Return All returns exactly the seeded count in ceil(N / page size) requests', async () => {
		fx = await createFixture({ seed: { customers: 250 }, maxPageSize: 100 });
		const result = await fx.ok(getAllCustomers({ returnAll: true }));
		expect(result.items).toHaveLength(250);
		expect(new Set(result.items.map((item) => item.local_id)).size).toBe(250);
		const pages = fx.requests({ method: 'GET', path: '/customer' });
		expect(pages).toHaveLength(3);
		expect(pages.map((entry) => [entry.query['page[number]'], entry.query['page[size]']])).toEqual([
			['1', '100'],
			['2', '100'],
			['3', '100'],
		]);
		expect(fx.tokenCalls()).toBe(1);
	});

	it('Get Many with a Limit returns exactly Limit items', async () => {
		fx = await createFixture({ seed: { customers: 250 } });
		const result = await fx.ok(getAllCustomers({ returnAll: false, limit: 130 }));
		expect(result.items).toHaveLength(130);
		expect(fx.requests({ method: 'GET', path: '/customer' })).toHaveLength(2);
		const small = await fx.ok(getAllCustomers({ returnAll: false, limit: 7 }));
		expect(small.items).toHaveLength(7);
		expect(fx.requests({ method: 'GET', path: '/customer' }).at(-1)?.query['page[size]']).toBe('7');
	});

	it('sends sort as the documented JSON array and returns records in that order', async () => {
		fx = await createFixture({ seed: { customers: 20 } });
		const result = await fx.ok(
			getAllCustomers({
				returnAll: true,
				sort: { rule: [{ attribute: 'local_id', direction: 'desc' }, { attribute: 'id', direction: 'asc' }] },
			}),
		);
		const [page] = fx.requests({ method: 'GET', path: '/customer' });
		expect(JSON.parse(String(page.query.sort))).toEqual([
			{ attribute: 'local_id', direction: 'desc' },
			{ attribute: 'id', direction: 'asc' },
		]);
		expect(result.items[0].local_id).toBe('C-00020');
		expect(result.items.at(-1)?.local_id).toBe('C-00001');
	});

	it('creates or updates a customer with the envelope and formatted dates, and updates it safely', async () => {
		fx = await createFixture({ seed: { customers: 2 } });
		const created = await fx.ok({
			resource: 'customer',
			operation: 'upsert',
			localId: 'N-1',
			registerDate: '2024-01-31T12:30:00',
			additionalFields: { firstName: 'Ivan', email: 'ivan@example.com', birthDate: '1990-05-15T00:00:00', sex: 'M' },
			customAttributes: { attribute: [{ name: 'loyalty_level', value: 'gold' }] },
		});
		expect(created.items[0]).toMatchObject({ type: 'customer', local_id: 'N-1', first_name: 'Ivan', loyalty_level: 'gold' });
		const [post] = fx.requests({ method: 'POST', path: '/customer' });
		expect(sentAttributes(post)).toEqual({
			local_id: 'N-1',
			register_date: '2024-01-31 12:30:00',
			first_name: 'Ivan',
			email: 'ivan@example.com',
			birth_date: '1990-05-15',
			sex: 'M',
			loyalty_level: 'gold',
		});

		const updated = await fx.ok({ resource: 'customer', operation: 'update', customerId: 'N-1', updateFields: { city: 'Kazan' } });
		expect(updated.items[0]).toMatchObject({ local_id: 'N-1', first_name: 'Ivan', city: 'Kazan', loyalty_level: 'gold' });
		const [patch] = fx.requests({ method: 'PATCH' });
		expect(patch.path).toBe('/customer/N-1');
		expect(sentAttributes(patch)).toMatchObject({ first_name: 'Ivan', city: 'Kazan', register_date: '2024-01-31 12:30:00' });
	});
});
