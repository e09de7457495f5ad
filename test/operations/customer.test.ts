import type { IDataObject } from 'n8n-workflow';

import { sentAttributes, type Fixture } from '../harness/fixture';
import { apiRequests, describeOperation, expectInputError, withFixture } from '../harness/operation';

const customer = (fx: Fixture, localId: string) => fx.sandbox.store.customers.get(localId)?.attributes as IDataObject;
const thisYear = new Date().getFullYear();

describeOperation('customer', 'upsert', (fx) => {
	const upsert = (extra: IDataObject = {}) => ({ resource: 'customer', operation: 'upsert', ...extra });

	it('creates a customer: one POST with the envelope, formatted dates, options and custom attributes', async () => {
		const result = await fx().ok(
			upsert({
				localId: 'N-1',
				registerDate: '2024-01-31T12:30:00',
				additionalFields: {
					firstName: 'Ivan',
					lastName: 'Petrov',
					email: 'ivan@example.com',
					phone: '79990000001',
					sex: 'M',
					birthDate: '1990-05-15T12:00:00.000Z',
					city: 'Kazan',
					pushId: 'push-1',
				},
				customAttributes: { attribute: [{ name: 'loyalty_level', value: 'gold' }] },
			}),
		);
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['POST', '/customer', 201]]);
		expect(requests[0].query).toEqual({});
		expect(requests[0].body).toEqual({ data: { attributes: expect.any(Object) } });
		expect(sentAttributes(requests[0])).toEqual({
			local_id: 'N-1',
			register_date: '2024-01-31 12:30:00',
			first_name: 'Ivan',
			last_name: 'Petrov',
			email: 'ivan@example.com',
			phone: '79990000001',
			sex: 'M',
			birth_date: '1990-05-15',
			city: 'Kazan',
			push_id: 'push-1',
			loyalty_level: 'gold',
		});
		const stored = customer(fx(), 'N-1');
		expect(stored).toMatchObject({ local_id: 'N-1', first_name: 'Ivan', loyalty_level: 'gold', middle_name: '' });
		expect(result.items).toEqual([{ id: '31', type: 'customer', ...stored }]);
		expect(result.raw[0].pairedItem).toEqual({ item: 0 });
	});

	it('replaces an existing customer (fields not sent are emptied) and returns the raw resource without Simplify', async () => {
		expect(customer(fx(), 'C-00001')).toMatchObject({ first_name: 'First1', email: 'customer1@example.com' });
		const result = await fx().ok(
			upsert({ localId: 'C-00001', registerDate: '2022-02-02 10:11:12', additionalFields: { lastName: 'Only' }, simplify: false }),
		);
		const [post] = apiRequests(fx());
		expect(post.status).toBe(200);
		expect(sentAttributes(post)).toEqual({ local_id: 'C-00001', register_date: '2022-02-02 10:11:12', last_name: 'Only' });
		const stored = customer(fx(), 'C-00001');
		expect(stored).toMatchObject({ last_name: 'Only', first_name: '', email: '', city: '' });
		expect(result.items).toEqual([{ type: 'customer', id: '1', attributes: stored }]);
	});

	it('sends one request per input item, reading values from expressions, with paired output', async () => {
		const items = [
			{ id: 'M-1', name: 'Anna', registered: '2023-02-03 04:05:06' },
			{ id: 'M-2', name: 'Boris', registered: '2021-12-31T23:59:59' },
			{ id: 'M-3', name: 'Vera', registered: '2010-01-01 00:00:00' },
		];
		const result = await fx().ok(
			upsert({
				localId: '={{ $json.id }}',
				registerDate: '={{ $json.registered }}',
				additionalFields: { fullName: '={{ $json.name + " Test" }}' },
			}),
			items,
		);
		const posts = fx().requests({ method: 'POST', path: '/customer' });
		expect(posts.map(sentAttributes)).toEqual([
			{ local_id: 'M-1', register_date: '2023-02-03 04:05:06', full_name: 'Anna Test' },
			{ local_id: 'M-2', register_date: '2021-12-31 23:59:59', full_name: 'Boris Test' },
			{ local_id: 'M-3', register_date: '2010-01-01 00:00:00', full_name: 'Vera Test' },
		]);
		expect(result.items.map((item) => [item.local_id, item.full_name])).toEqual([
			['M-1', 'Anna Test'],
			['M-2', 'Boris Test'],
			['M-3', 'Vera Test'],
		]);
		expect(result.raw.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(fx().sandbox.store.customers.size).toBe(33);
		expect(fx().tokenCalls()).toBe(1);
	});

	it('with Continue On Fail, an invalid item gives an error item and the others go through', async () => {
		const result = await fx().run({
			parameters: upsert({ localId: '={{ $json.id }}', registerDate: '2024-03-01T09:00:00', additionalFields: { firstName: '={{ $json.name }}' } }),
			items: [
				{ id: 'K-1', name: 'One' },
				{ id: '', name: 'Two' },
				{ id: 'K-3', name: 'Three' },
			],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.raw.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[0]).toMatchObject({ type: 'customer', local_id: 'K-1', first_name: 'One' });
		expect(result.items[1]).toEqual({
			error: 'Invalid value for "Customer Local ID" in item 1: a value is required',
			details: 'Fix "Customer Local ID" in the node or in the data of item 1; nothing was sent to Loymax SC for this item.',
		});
		expect(result.items[2]).toMatchObject({ type: 'customer', local_id: 'K-3', first_name: 'Three' });
		expect(fx().requests({ method: 'POST', path: '/customer' }).map((entry) => sentAttributes(entry).local_id)).toEqual(['K-1', 'K-3']);
	});

	it('surfaces an API validation error (422) with its title and field', async () => {
		const result = await fx().run({
			parameters: upsert({ localId: 'N-2', registerDate: '2024-01-01T00:00:00', additionalFields: { firstName: 'Bad', email: 'not-an-email' } }),
		});
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.httpCode).toBe('422');
		expect(result.error?.message).toContain('Validation Failed');
		expect(result.error?.description).toContain('email: must contain @');
		expect(fx().requests({ method: 'POST', path: '/customer' }).map((entry) => entry.status)).toEqual([422]);
		expect(fx().sandbox.store.customers.has('N-2')).toBe(false);
	});

	const valid = { localId: 'N-3', registerDate: '2024-01-01T00:00:00', additionalFields: { firstName: 'Ok' } };
	it.each([
		['a missing Customer Local ID', { localId: '={{ $json.missing }}' }, 'Customer Local ID', /a value is required/],
		['a missing Register Date', { registerDate: '={{ "" }}' }, 'Register Date', /a value is required/],
		['a Register Date that is not a date', { registerDate: '31.01.2024' }, 'Register Date', /"31\.01\.2024" is not a date/],
		['an impossible date', { registerDate: '2024-02-30T10:00:00' }, 'Register Date', /is not a date/],
		['a Register Date before 2010', { registerDate: '2009-12-31T23:59:59' }, 'Register Date', /between 2010 and \d{4}, got 2009/],
		['a Register Date after this year', { registerDate: `${thisYear + 1}-01-01T00:00:00` }, 'Register Date', new RegExp(`got ${thisYear + 1}`)],
		['a Birth Date that is not a date', { additionalFields: { firstName: 'Ok', birthDate: 'soon' } }, 'Birth Date', /"soon" is not a date/],
		['an unknown Sex', { additionalFields: { firstName: 'Ok', sex: '={{ "X" }}' } }, 'Sex', /"X" is not one of "F", "M", ""/],
		['no name at all', { additionalFields: { email: 'a@b.c' } }, 'First Name', /set at least one of First Name, Middle Name, Last Name or Full Name/],
		['a custom attribute without a name', { customAttributes: { attribute: [{ name: ' ', value: 'x' }] } }, 'Custom Attributes', /an attribute has no name/],
	])('rejects %s before any request', async (_case, override, field, problem) => {
		const result = await fx().run({ parameters: upsert({ ...valid, ...override }) });
		expect(fx().sandbox.store.customers.has('N-3')).toBe(false);
		expectInputError(fx(), result, field, problem);
	});
});

describeOperation('customer', 'update', (fx) => {
	const update = (extra: IDataObject = {}) => ({ resource: 'customer', operation: 'update', customerId: 'C-00002', ...extra });

	it('keeps fields not set by default: reads the customer, then sends the merged record', async () => {
		const before = { ...customer(fx(), 'C-00002') };
		const result = await fx().ok(
			update({
				updateFields: { city: 'Kazan', birthDate: '1985-07-04T00:00:00' },
				customAttributes: { attribute: [{ name: 'loyalty_level', value: 'silver' }] },
			}),
		);
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
			['GET', '/customer/C-00002', 200],
			['PATCH', '/customer/C-00002', 200],
		]);
		// Everything read comes back, but for the order count and sum that Loymax SC computes itself;
		// the push ID under the name the PATCH gives it.
		const { order_cnt: orderCount, order_sum: orderSum, push_id: pushId, ...editable } = before;
		expect([orderCount, orderSum, pushId].every((value) => value !== undefined)).toBe(true);
		expect(sentAttributes(requests[1])).toEqual({ ...editable, 'push-id': pushId, city: 'Kazan', birth_date: '1985-07-04', loyalty_level: 'silver' });
		const after = customer(fx(), 'C-00002');
		expect(after).toMatchObject({
			first_name: 'First2',
			last_name: 'Last2',
			email: 'customer2@example.com',
			register_date: before.register_date,
			city: 'Kazan',
			birth_date: '1985-07-04',
			loyalty_level: 'silver',
		});
		expect(result.items).toEqual([{ id: '2', type: 'customer', ...after }]);
	});

	it('sends the Push ID as push-id, as the reference writes it for this PATCH; a kept push ID goes under that name too', async () => {
		await fx().ok(update({ updateFields: { pushId: 'push-2' } }));
		await fx().ok(update({ updateFields: { city: 'Omsk' } }));
		const patches = fx().requests({ method: 'PATCH' }).map(sentAttributes);
		expect(patches.map((sent) => [sent['push-id'], 'push_id' in sent])).toEqual([
			['push-2', false],
			['push-2', false],
		]);
		expect(customer(fx(), 'C-00002')).toMatchObject({ push_id: 'push-2', city: 'Omsk' });
		// The upsert keeps push_id, the spelling of the data structure page (the POST lists none).
		await fx().ok({ resource: 'customer', operation: 'upsert', localId: 'C-00002', registerDate: '2024-01-01T00:00:00', additionalFields: { firstName: 'Re', pushId: 'push-3' } });
		expect(sentAttributes(fx().requests({ method: 'POST', path: '/customer' })[0])).toMatchObject({ push_id: 'push-3' });
	});

	it('fails the item instead of emptying the record when the read gives no single record', async () => {
		for (const body of [{ data: [] }, { data: null }, {}, { data: { type: 'customer', id: '2', attributes: null } }]) {
			fx().sandbox.clearLog();
			fx().sandbox.inject({ kind: 'status', status: 200, match: { method: 'GET', path: '/customer/C-00002' }, body });
			const result = await fx().run({ parameters: update({ updateFields: { city: 'Omsk' } }) });
			expect(result.error?.message).toMatch(
				/^Keep Fields Not Set could not read the current record \(Customer Local ID "C-00002"\): Loymax SC answered with (a list|"data": null|no data|no record) instead of one record$/,
			);
			expect(result.error?.description).toMatch(/^Nothing was updated/);
			expect(apiRequests(fx()).map((entry) => entry.method)).toEqual(['GET']);
		}
		expect(customer(fx(), 'C-00002')).toMatchObject({ first_name: 'First2', city: 'Saint Petersburg' });
	});

	it('with Keep Fields Not Set off, sends only the given fields and the API empties the rest', async () => {
		const result = await fx().ok(
			update({ updateFields: { registerDate: '2021-03-04T05:06:07', firstName: 'Solo' }, keepUnsetFields: false }),
		);
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path])).toEqual([['PATCH', '/customer/C-00002']]);
		// The customer ID of the path goes in the body too: PATCH replaces the record.
		expect(sentAttributes(requests[0])).toEqual({ register_date: '2021-03-04 05:06:07', first_name: 'Solo', local_id: 'C-00002' });
		expect(customer(fx(), 'C-00002')).toMatchObject({ first_name: 'Solo', last_name: '', email: '', city: '', local_id: 'C-00002' });
		expect(result.items[0]).toMatchObject({ id: '2', first_name: 'Solo', last_name: '' });
	});

	it('with Keep Fields Not Set off, rejects a record without Register Date before any request', async () => {
		const result = await fx().run({ parameters: update({ updateFields: { firstName: 'Solo' }, keepUnsetFields: false }) });
		expectInputError(fx(), result, 'Register Date', /a value is required/);
	});

	it('rejects a bad Update Field before reading the customer', async () => {
		const result = await fx().run({ parameters: update({ updateFields: { birthDate: '1985-13-01' } }) });
		expectInputError(fx(), result, 'Birth Date', /"1985-13-01" is not a date/);
	});

	it('reports an unknown customer as the API\'s Not Found, without sending the update', async () => {
		const result = await fx().run({ parameters: update({ customerId: 'NOPE', updateFields: { city: 'Omsk' } }) });
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toContain('Not Found');
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.status])).toEqual([['GET', '/customer/NOPE', 404]]);
	});
});

describeOperation('customer', 'get', (fx) => {
	it('reads a customer by its ID and returns it simplified', async () => {
		const result = await fx().ok({ resource: 'customer', operation: 'get', customerId: 'C-00005' });
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.body])).toEqual([['GET', '/customer/C-00005', undefined]]);
		expect(requests[0].query).toEqual({});
		expect(result.items).toEqual([{ id: '5', type: 'customer', ...customer(fx(), 'C-00005') }]);
		expect(result.items[0]).toMatchObject({ local_id: 'C-00005', first_name: 'First5', email: 'customer5@example.com' });
	});

	it('returns the raw JSON:API resource without Simplify', async () => {
		const result = await fx().ok({ resource: 'customer', operation: 'get', customerId: 'C-00007', simplify: false });
		expect(result.items).toEqual([{ type: 'customer', id: '7', attributes: customer(fx(), 'C-00007') }]);
	});

	it('URL-encodes the customer ID in the path', async () => {
		await fx().ok({ resource: 'customer', operation: 'upsert', localId: 'A/B 7?', registerDate: '2024-01-01T00:00:00', additionalFields: { firstName: 'Slash' } });
		const result = await fx().ok({ resource: 'customer', operation: 'get', customerId: 'A/B 7?' });
		expect(fx().requests({ method: 'GET' }).map((entry) => entry.path)).toEqual(['/customer/A%2FB%207%3F']);
		expect(result.items[0]).toMatchObject({ local_id: 'A/B 7?', first_name: 'Slash' });
	});

	it('reads one customer per input item', async () => {
		const result = await fx().ok({ resource: 'customer', operation: 'get', customerId: '={{ $json.id }}' }, [
			{ id: 'C-00003' },
			{ id: 'C-00010' },
		]);
		expect(fx().requests({ method: 'GET' }).map((entry) => entry.path)).toEqual(['/customer/C-00003', '/customer/C-00010']);
		expect(result.items.map((item) => item.local_id)).toEqual(['C-00003', 'C-00010']);
		expect(result.raw.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('rejects an empty Customer Local ID before any request', async () => {
		const result = await fx().run({ parameters: { resource: 'customer', operation: 'get', customerId: '={{ "  " }}' } });
		expectInputError(fx(), result, 'Customer Local ID', /a value is required/);
	});
});

describeOperation('customer', 'getAll', (fx) => {
	const getAll = (extra: IDataObject = {}) => ({ resource: 'customer', operation: 'getAll', ...extra });

	it('sends Limit as the page size and the sort rules as a JSON array, and returns the records in that order', async () => {
		const result = await fx().ok(
			getAll({
				limit: 5,
				sort: { rule: [{ attribute: 'city', direction: 'asc' }, { attribute: 'id', direction: 'desc' }] },
			}),
		);
		const pages = apiRequests(fx());
		expect(pages).toHaveLength(1);
		expect(pages[0]).toMatchObject({ method: 'GET', path: '/customer' });
		expect(pages[0].query).toEqual({
			'page[number]': '1',
			'page[size]': '5',
			sort: JSON.stringify([
				{ attribute: 'city', direction: 'asc' },
				{ attribute: 'id', direction: 'desc' },
			]),
		});
		const all = [...fx().sandbox.store.customers].map((record) => ({ id: record.id, city: String(record.attributes.city) }));
		all.sort((a, b) => (a.city < b.city ? -1 : a.city > b.city ? 1 : b.id - a.id));
		expect(result.items.map((item) => item.id)).toEqual(all.slice(0, 5).map((record) => String(record.id)));
		expect(result.items[0]).toEqual({ id: String(all[0].id), type: 'customer', ...customer(fx(), `C-${String(all[0].id).padStart(5, '0')}`) });
	});

	it('Return All walks every page of the credential\'s page size', async () => {
		fx().engine.setCredential({ pageSize: 12 });
		const result = await fx().ok(getAll({ returnAll: true }));
		expect(result.items).toHaveLength(30);
		expect(result.items.map((item) => item.local_id)).toEqual(Array.from({ length: 30 }, (_, index) => `C-${String(index + 1).padStart(5, '0')}`));
		expect(apiRequests(fx()).map((entry) => [entry.query['page[number]'], entry.query['page[size]'], entry.query.sort])).toEqual([
			['1', '12', undefined],
			['2', '12', undefined],
			['3', '12', undefined],
		]);
	});

	describe('pagination variants: every record once, whatever the server leaves out', () => {
		const ids = (items: IDataObject[]) => items.map((item) => item.local_id);
		const expected = Array.from({ length: 25 }, (_, index) => `C-${String(index + 1).padStart(5, '0')}`);
		const pagesAsked = (sandbox: Fixture) => apiRequests(sandbox).map((entry) => [entry.query['page[number]'], entry.query['page[size]']]);
		const variants: Array<[string, object, string[][]]> = [
			// The server serves 10 where 100 were asked: page numbers count in its size.
			['a capped page size, with meta and links.next', {}, [['1', '100'], ['2', '100'], ['3', '100']]],
			['a capped page size, without links.next (meta.total decides)', { omitNextLink: true }, [['1', '100'], ['2', '100'], ['3', '100']]],
			// Neither: a short first page proves nothing; the short third one ends it after one empty read.
			['a capped page size, without links.next or meta', { omitNextLink: true, omitMeta: true }, [['1', '100'], ['2', '100'], ['3', '100'], ['4', '100']]],
		];
		for (const [name, options, pages] of variants) {
			it(name, async () => {
				await withFixture({ seed: { customers: 25 }, maxPageSize: 10, ...options }, {}, async (sandbox) => {
					const result = await sandbox.ok(getAll({ returnAll: true }));
					expect(ids(result.items)).toEqual(expected);
					expect(pagesAsked(sandbox)).toEqual(pages);
				});
			});
		}

		it('without links.next or meta and an uncapped page: a short page ends it, after one empty read when it divides the rest', async () => {
			await withFixture({ seed: { customers: 23 }, omitNextLink: true, omitMeta: true }, { pageSize: 10 }, async (sandbox) => {
				const result = await sandbox.ok(getAll({ returnAll: true }));
				expect(ids(result.items)).toEqual(expected.slice(0, 23));
				// 3 does not divide the 20 before it: the server's page size is not 3, so page 3 is the last.
				expect(pagesAsked(sandbox)).toEqual([['1', '10'], ['2', '10'], ['3', '10']]);
			});
			await withFixture({ seed: { customers: 25 }, omitNextLink: true, omitMeta: true }, { pageSize: 10 }, async (sandbox) => {
				const result = await sandbox.ok(getAll({ returnAll: true }));
				expect(ids(result.items)).toEqual(expected);
				// 5 divides the 20 before it: the server might serve 5 a page, so one more (empty) page is read.
				expect(pagesAsked(sandbox)).toEqual([['1', '10'], ['2', '10'], ['3', '10'], ['4', '10']]);
			});
		});

		it('Limit stays exact under a capped page size', async () => {
			await withFixture({ seed: { customers: 25 }, maxPageSize: 10, omitMeta: true, omitNextLink: true }, {}, async (sandbox) => {
				const result = await sandbox.ok(getAll({ limit: 12 }));
				expect(ids(result.items)).toEqual(expected.slice(0, 12));
				expect(pagesAsked(sandbox)).toEqual([['1', '12'], ['2', '12']]);
			});
		});
	});

	it('returns raw resources without Simplify', async () => {
		const result = await fx().ok(getAll({ limit: 2, simplify: false }));
		expect(result.items).toHaveLength(2);
		expect(result.items[0]).toMatchObject({ type: 'customer', id: '1', attributes: customer(fx(), 'C-00001') });
		expect(result.items[1]).toMatchObject({ type: 'customer', id: '2', attributes: { local_id: 'C-00002' } });
	});

	it('rejects a sort direction that is not asc or desc before any request', async () => {
		const result = await fx().run({ parameters: getAll({ sort: { rule: [{ attribute: 'city', direction: '={{ "up" }}' }] } }) });
		expectInputError(fx(), result, 'Sort', /direction "up" is not "asc" or "desc"/);
	});

	it('rejects a Limit below 1 before any request', async () => {
		const result = await fx().run({ parameters: getAll({ limit: '={{ 0 }}' }) });
		expectInputError(fx(), result, 'Limit', /0 is not a whole number of at least 1/);
	});
});

describeOperation('customer', 'getMailings', (fx) => {
	const getMailings = (extra: IDataObject = {}) => ({ resource: 'customer', operation: 'getMailings', customerId: 'C-00001', ...extra });

	it('lists the mailings a customer received', async () => {
		const result = await fx().ok(getMailings({ returnAll: true }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.query])).toEqual([
			['GET', '/customer/C-00001/mailing', { 'page[number]': '1', 'page[size]': '100' }],
		]);
		expect(result.items).toHaveLength(3);
		expect(result.items.map((item) => [item.type, item.channel, item.mailing_id, item.name])).toEqual([
			['mailing', 'email', 1, 'Email mailing 1'],
			['mailing', 'sms', 1, 'SMS mailing 1'],
			['mailing', 'push', 1, 'Push mailing 1'],
		]);
		expect(result.items[0]).toEqual({
			id: '1',
			type: 'mailing',
			channel: 'email',
			mailing_id: 1,
			name: 'Email mailing 1',
			subject: 'Subject 1',
			date: fx().sandbox.store.emailMailings.get(1)?.attributes.date,
			status: expect.stringMatching(/^(delivered|opened|clicked|bounced)$/),
		});
	});

	it('applies Limit as the page size and sends Sort', async () => {
		const result = await fx().ok(
			getMailings({ customerId: 'C-00001', limit: 2, sort: { rule: [{ attribute: 'channel', direction: 'desc' }] } }),
		);
		const [request] = apiRequests(fx());
		expect(request.path).toBe('/customer/C-00001/mailing');
		expect(request.query['page[size]']).toBe('2');
		expect(JSON.parse(request.query.sort)).toEqual([{ attribute: 'channel', direction: 'desc' }]);
		expect(result.items.map((item) => item.channel)).toEqual(['sms', 'push']);
	});

	it('rejects a missing Customer Local ID before any request', async () => {
		const result = await fx().run({ parameters: getMailings({ customerId: '={{ $json.id }}' }), items: [{ id: null }] });
		expectInputError(fx(), result, 'Customer Local ID', /a value is required/);
	});
});
