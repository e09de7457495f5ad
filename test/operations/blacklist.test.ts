import type { INodeParameters } from 'n8n-workflow';

import { apiRequests, describeOperation, expectInputError, withFixture } from '../harness/operation';

const blacklist = (extra: INodeParameters = {}): INodeParameters => ({ resource: 'blacklist', operation: 'getAll', listType: 'email', ...extra });

describeOperation('blacklist', 'getAll', (fx) => {
	it('lists blacklisted email addresses and phone numbers from their own paths', async () => {
		const emails = await fx().ok(blacklist({ returnAll: true }));
		const phones = await fx().ok(blacklist({ listType: 'phone', returnAll: true }));
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.query, entry.status])).toEqual([
			['GET', '/black-list/email', { 'page[number]': '1', 'page[size]': '100' }, 200],
			['GET', '/black-list/phone', { 'page[number]': '1', 'page[size]': '100' }, 200],
		]);
		const store = fx().sandbox.store;
		expect(emails.items).toEqual([1, 2, 3].map((n) => ({ id: String(n), type: 'black-list', ...store.blacklistEmails.get(n)!.attributes })));
		expect(emails.items.map((item) => item.value)).toEqual(['blocked1@example.com', 'blocked2@example.com', 'blocked3@example.com']);
		expect(phones.items.map((item) => item.value)).toEqual(['79990000001', '79990000002', '79990000003']);
		expect(phones.items[0]).toEqual({ id: '1', type: 'black-list', ...store.blacklistPhones.get(1)!.attributes });
	});

	it('Return All follows the pages with the credential\'s page size', async () => {
		await withFixture({ seed: { blacklistPhones: 5 } }, { pageSize: 2 }, async (small) => {
			const result = await small.ok(blacklist({ listType: 'phone', returnAll: true }));
			expect(small.requests({ method: 'GET' }).map((entry) => [entry.path, entry.query['page[number]'], entry.query['page[size]']])).toEqual([
				['/black-list/phone', '1', '2'],
				['/black-list/phone', '2', '2'],
				['/black-list/phone', '3', '2'],
			]);
			expect(result.items.map((item) => item.id)).toEqual(['1', '2', '3', '4', '5']);
		});
	});

	it('Limit returns exactly that many, raw when not simplified', async () => {
		const result = await fx().ok(blacklist({ returnAll: false, limit: 2, simplify: false }));
		expect(apiRequests(fx()).map((entry) => entry.query)).toEqual([{ 'page[number]': '1', 'page[size]': '2' }]);
		expect(result.items).toEqual([1, 2].map((n) => ({
			type: 'black-list',
			id: String(n),
			attributes: fx().sandbox.store.blacklistEmails.get(n)!.attributes,
			links: { self: `${fx().sandbox.url}/black-list/email/${n}` },
		})));
	});

	it('sends the sort rules as JSON and returns the entries in that order', async () => {
		const result = await fx().ok(blacklist({ returnAll: true, sort: { rule: [{ attribute: 'date', direction: 'desc' }] } }));
		expect(JSON.parse(apiRequests(fx())[0].query.sort)).toEqual([{ attribute: 'date', direction: 'desc' }]);
		const dates = result.items.map((item) => String(item.date));
		expect(dates).toHaveLength(3);
		expect(dates).toEqual([...dates].sort().reverse());
	});

	it('rejects an unknown list type before any request', async () => {
		const result = await fx().run({ parameters: blacklist({ listType: '={{ "fax" }}', returnAll: true }) });
		expectInputError(fx(), result, 'Type', '"fax" is not one of "email", "phone"');
	});
});
