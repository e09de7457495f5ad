import type { INodeParameters } from 'n8n-workflow';

import { createFixture, sentAttributes, type Fixture } from '../harness/fixture';
import { apiRequests, describeOperation } from '../harness/operation';
import type { SandboxOptions } from '../sandbox';

const rl = (value: string, mode: 'id' | 'list' = 'id') => ({ __rl: true, mode, value });
const item = (operation: string, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'dictionaryItem',
	operation,
	dictionaryId: rl('2', 'list'),
	...extra,
});

/** Seeded items have global Platform ids: dictionary 2 holds items 4, 5 and 6. */
const seeded = (id: number) => {
	const k = ((id - 1) % 3) + 1;
	const d = Math.floor((id - 1) / 3) + 1;
	return { id: String(id), type: 'dictionary-item', dictionary_id: d, name: `Item ${k}`, code: `item${k}`, value: `value ${d}.${k}` };
};

async function withFixture(sandboxOptions: SandboxOptions, credential: Record<string, unknown>, test: (fx: Fixture) => Promise<void>) {
	const fx = await createFixture(sandboxOptions, credential as never);
	try {
		await test(fx);
	} finally {
		await fx.close();
	}
}

/** A bad input fails the item with a message naming the field and the item, and sends nothing. */
async function expectInputError(fx: Fixture, parameters: INodeParameters, field: string, problem: string) {
	const result = await fx.run({ parameters });
	expect(result.items).toEqual([]);
	expect(result.error?.message).toBe(`Invalid value for "${field}" in item 0: ${problem}`);
	expect(result.error?.description).toMatch(/nothing was sent to Loymax SC/);
	// The node throws a NodeOperationError; n8n's routing engine hands it on as NodeApiError without an HTTP code.
	expect(result.error?.name === 'NodeOperationError' || result.error?.httpCode === 'none').toBe(true);
	expect(fx.sandbox.log).toHaveLength(0);
}

describeOperation('dictionaryItem', 'create', (fx) => {
	it('creates an item in the dictionary with custom attributes, as application/json in the envelope', async () => {
		const result = await fx().ok(
			item('create', { name: 'Red', code: 'red', customAttributes: { attribute: [{ name: 'value', value: '#ff0000' }] } }),
		);
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.headers.contentType, entry.status])).toEqual([
			['POST', '/dictionary/2/item', 'application/json', 201],
		]);
		expect(requests[0].body).toEqual({ data: { attributes: { name: 'Red', code: 'red', value: '#ff0000' } } });
		expect(result.items).toEqual([{ id: '7', type: 'dictionary-item', dictionary_id: 2, name: 'Red', code: 'red', value: '#ff0000' }]);
		expect(fx().sandbox.store.dictionaryItems.get(7)?.attributes).toEqual({ dictionary_id: 2, name: 'Red', code: 'red', value: '#ff0000' });
	});

	it('returns the raw JSON:API resource when not simplified', async () => {
		const result = await fx().ok(item('create', { dictionaryId: rl('1'), name: 'Blue', code: 'blue', simplify: false }));
		expect(fx().requests({ method: 'POST' }).at(-1)?.path).toBe('/dictionary/1/item');
		expect(result.items).toEqual([{ type: 'dictionary-item', id: '7', attributes: { dictionary_id: 1, name: 'Blue', code: 'blue' } }]);
	});

	it('sends a flat body when the credential asks for it, and the flat API accepts it', async () => {
		await withFixture({ envelope: 'flat' }, { bodyFormat: 'flat' }, async (flat) => {
			const result = await flat.ok(item('create', { name: 'Flat', code: 'flat' }));
			const [post] = flat.requests({ method: 'POST', path: '/dictionary/2/item' });
			expect(post.body).toEqual({ name: 'Flat', code: 'flat' });
			expect(post.status).toBe(201);
			expect(result.items[0]).toMatchObject({ dictionary_id: 2, name: 'Flat', code: 'flat' });
		});
	});

	it('fails with the API\'s 404 for an unknown dictionary', async () => {
		const result = await fx().run({ parameters: item('create', { dictionaryId: rl('9'), name: 'X', code: 'x' }) });
		expect(result.error?.message).toBe('Loymax SC error: Not Found');
		expect(result.error?.httpCode).toBe('404');
		expect(fx().sandbox.store.dictionaryItems.size).toBe(6);
	});

	it('rejects a missing name or code and a dictionary ID that is not a number before any request', async () => {
		await expectInputError(fx(), item('create', { name: '={{ $json.name }}', code: 'c' }), 'Name', 'a value is required');
		await expectInputError(fx(), item('create', { name: 'N', code: '={{ "" }}' }), 'Code', 'a value is required');
		await expectInputError(fx(), item('create', { dictionaryId: rl('colours', 'list'), name: 'N', code: 'c' }), 'Dictionary', '"colours" is not a Loymax SC ID (a number)');
	});
});

describeOperation('dictionaryItem', 'update', (fx) => {
	it('keeps fields not set by default: reads the item, then sends the merged record', async () => {
		const result = await fx().ok(item('update', { itemId: rl('5', 'list'), updateFields: { name: 'Renamed' } }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
			['GET', '/dictionary/2/item/5', 200],
			['PATCH', '/dictionary/2/item/5', 200],
		]);
		expect(sentAttributes(requests[1])).toMatchObject({ name: 'Renamed', code: 'item2', value: 'value 2.2' });
		expect(result.items).toEqual([{ ...seeded(5), name: 'Renamed' }]);
		expect(fx().sandbox.store.dictionaryItems.get(5)?.attributes).toEqual({ dictionary_id: 2, name: 'Renamed', code: 'item2', value: 'value 2.2' });
	});

	it('changes a custom attribute, keeping the name', async () => {
		const result = await fx().ok(item('update', { itemId: rl('4'), customAttributes: { attribute: [{ name: 'value', value: 'new value' }] } }));
		expect(sentAttributes(fx().requests({ method: 'PATCH' })[0])).toMatchObject({ name: 'Item 1', code: 'item1', value: 'new value' });
		expect(result.items[0]).toMatchObject({ name: 'Item 1', value: 'new value' });
	});

	it('with "Keep Fields Not Set" off sends only the given fields, without reading first', async () => {
		const result = await fx().ok(
			item('update', {
				itemId: rl('6'),
				updateFields: { name: 'Only name' },
				customAttributes: { attribute: [{ name: 'code', value: 'item3' }] },
				keepUnsetFields: false,
			}),
		);
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path])).toEqual([['PATCH', '/dictionary/2/item/6']]);
		expect(sentAttributes(requests[0])).toEqual({ name: 'Only name', code: 'item3' });
		// The API replaces the record: the custom "value" not sent is gone.
		expect(result.items).toEqual([{ id: '6', type: 'dictionary-item', dictionary_id: 2, name: 'Only name', code: 'item3' }]);
	});

	it('fails with the API\'s 404 for an item of another dictionary, without sending the update', async () => {
		const result = await fx().run({ parameters: item('update', { dictionaryId: rl('1'), itemId: rl('5'), updateFields: { name: 'X' } }) });
		expect(result.error?.message).toBe('Loymax SC error: Not Found');
		expect(result.error?.httpCode).toBe('404');
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path])).toEqual([['GET', '/dictionary/1/item/5']]);
		expect(fx().sandbox.store.dictionaryItems.get(5)?.attributes.name).toBe('Item 2');
	});

	it('rejects a body without the required name and an item ID that is not a number, before any request', async () => {
		await expectInputError(
			fx(),
			item('update', { itemId: rl('5'), customAttributes: { attribute: [{ name: 'value', value: 'v' }] }, keepUnsetFields: false }),
			'Name',
			'a value is required (the API rejects the record without it)',
		);
		await expectInputError(fx(), item('update', { itemId: rl('item2', 'list'), updateFields: { name: 'X' } }), 'Item', '"item2" is not a Loymax SC ID (a number)');
	});
});

describeOperation('dictionaryItem', 'get', (fx) => {
	it('reads an item of a dictionary', async () => {
		const result = await fx().ok(item('get', { itemId: rl('4') }));
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.status])).toEqual([['GET', '/dictionary/2/item/4', 200]]);
		expect(result.items).toEqual([seeded(4)]);
	});

	it('returns the raw JSON:API resource when not simplified', async () => {
		const result = await fx().ok(item('get', { dictionaryId: rl('1'), itemId: rl('3', 'list'), simplify: false }));
		const { id, type, ...attributes } = seeded(3);
		expect(result.items).toEqual([{ type, id, attributes }]);
	});

	it('fails with the API\'s 404 for an item of another dictionary', async () => {
		const result = await fx().run({ parameters: item('get', { dictionaryId: rl('1'), itemId: rl('4') }) });
		expect(result.error?.message).toBe('Loymax SC error: Not Found');
		expect(result.error?.httpCode).toBe('404');
		expect(apiRequests(fx()).map((entry) => [entry.path, entry.status])).toEqual([['/dictionary/1/item/4', 404]]);
	});

	it('rejects a missing dictionary and an item ID that is not a number before any request', async () => {
		await expectInputError(fx(), item('get', { dictionaryId: rl('={{ $json.dictionary }}'), itemId: rl('4') }), 'Dictionary', 'a value is required');
		await expectInputError(fx(), item('get', { itemId: rl('={{ "4a" }}') }), 'Item', '"4a" is not a Loymax SC ID (a number)');
	});
});

describeOperation('dictionaryItem', 'getAll', (fx) => {
	it('Return All lists the items of one dictionary over several pages', async () => {
		await withFixture({}, { pageSize: 2 }, async (small) => {
			const result = await small.ok(item('getAll', { returnAll: true }));
			expect(small.requests({ method: 'GET' }).map((entry) => [entry.path, entry.query])).toEqual([
				['/dictionary/2/item', { 'page[number]': '1', 'page[size]': '2' }],
				['/dictionary/2/item', { 'page[number]': '2', 'page[size]': '2' }],
			]);
			expect(result.items).toEqual([seeded(4), seeded(5), seeded(6)]);
		});
	});

	it('Limit and sort: exactly Limit items in the requested order, raw when not simplified', async () => {
		const result = await fx().ok(
			item('getAll', { dictionaryId: rl('1'), returnAll: false, limit: 2, sort: { rule: [{ attribute: 'code', direction: 'desc' }] }, simplify: false }),
		);
		const [page] = apiRequests(fx());
		expect(page.path).toBe('/dictionary/1/item');
		expect(page.query['page[size]']).toBe('2');
		expect(JSON.parse(page.query.sort)).toEqual([{ attribute: 'code', direction: 'desc' }]);
		expect(result.items.map((entry) => entry.id)).toEqual(['3', '2']);
		const { id, type, ...attributes } = seeded(3);
		expect(result.items[0]).toEqual({ type, id, attributes, links: { self: `${fx().sandbox.url}/dictionary/1/item/3` } });
	});

	it('fails with the API\'s 404 for an unknown dictionary', async () => {
		const result = await fx().run({ parameters: item('getAll', { dictionaryId: rl('9'), returnAll: true }) });
		expect(result.error?.message).toBe('Loymax SC error: Not Found');
		expect(result.error?.httpCode).toBe('404');
	});

	it('rejects a dictionary ID that is not a number before any request', async () => {
		await expectInputError(fx(), item('getAll', { dictionaryId: rl('Dictionary 2', 'list'), returnAll: true }), 'Dictionary', '"Dictionary 2" is not a Loymax SC ID (a number)');
	});
});

describeOperation('dictionaryItem', 'delete', (fx) => {
	it('deletes an item: 204 from the API, an acknowledgement with both IDs, gone from the store', async () => {
		const result = await fx().ok(item('delete', { itemId: rl('6', 'list') }));
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.status])).toEqual([['DELETE', '/dictionary/2/item/6', 204]]);
		expect(result.items).toEqual([{ deleted: true, dictionary_id: '2', item_id: '6' }]);
		expect(fx().sandbox.store.dictionaryItems.has(6)).toBe(false);
		const rest = await fx().ok(item('getAll', { returnAll: true }));
		expect(rest.items.map((entry) => entry.id)).toEqual(['4', '5']);
	});

	it('fails with the API\'s 404 for an item of another dictionary and leaves it in place', async () => {
		const result = await fx().run({ parameters: item('delete', { dictionaryId: rl('1'), itemId: rl('6') }) });
		expect(result.error?.message).toBe('Loymax SC error: Not Found');
		expect(result.error?.httpCode).toBe('404');
		expect(fx().sandbox.store.dictionaryItems.has(6)).toBe(true);
	});

	it('rejects a missing item and an ID that is not a number before any request', async () => {
		await expectInputError(fx(), item('delete', { itemId: rl('={{ $json.item }}') }), 'Item', 'a value is required');
		await expectInputError(fx(), item('delete', { itemId: rl('all', 'list') }), 'Item', '"all" is not a Loymax SC ID (a number)');
	});
});
