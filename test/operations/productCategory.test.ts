import type { INodeParameters } from 'n8n-workflow';

import { createFixture, sentAttributes, type Fixture } from '../harness/fixture';
import { apiRequests, describeOperation } from '../harness/operation';
import type { SandboxOptions } from '../sandbox';

const category = (operation: string, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'productCategory',
	operation,
	...extra,
});

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

describeOperation('productCategory', 'upsert', (fx) => {
	it('creates a category under a parent, with custom attributes, in the JSON:API envelope', async () => {
		const result = await fx().ok(
			category('upsert', {
				localId: 'TEA',
				name: 'Tea',
				additionalFields: { parentId: 'CAT-00001' },
				customAttributes: { attribute: [{ name: 'sort_order', value: '3' }] },
			}),
		);
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['POST', '/category', 201]]);
		expect(requests[0].body).toEqual({ data: { attributes: { local_id: 'TEA', name: 'Tea', parent_id: 'CAT-00001', sort_order: '3' } } });
		expect(result.items).toEqual([
			{ id: '6', type: 'category', local_id: 'TEA', name: 'Tea', parent_id: 'CAT-00001', sort_order: '3' },
		]);
		expect(fx().sandbox.store.categories.get('TEA')?.attributes).toEqual({
			local_id: 'TEA',
			name: 'Tea',
			parent_id: 'CAT-00001',
			sort_order: '3',
		});
	});

	it('replaces an existing category (the parent not sent is emptied) and returns the raw resource when not simplified', async () => {
		const result = await fx().ok(category('upsert', { localId: 'CAT-00002', name: 'Top level now', simplify: false }));
		const [post] = fx().requests({ method: 'POST', path: '/category' });
		expect(post.status).toBe(200);
		expect(sentAttributes(post)).toEqual({ local_id: 'CAT-00002', name: 'Top level now' });
		expect(result.items).toEqual([
			{ type: 'category', id: '2', attributes: { local_id: 'CAT-00002', name: 'Top level now', parent_id: '' } },
		]);
		expect(fx().sandbox.store.categories.get('CAT-00002')?.attributes.parent_id).toBe('');
		expect(fx().sandbox.store.categories.size).toBe(5);
	});

	it('sends a flat body when the credential asks for it, and the flat API accepts it', async () => {
		await withFixture({ envelope: 'flat' }, { bodyFormat: 'flat' }, async (flat) => {
			const result = await flat.ok(category('upsert', { localId: 'FLAT', name: 'Flat', additionalFields: { parentId: 'CAT-00001' } }));
			const [post] = flat.requests({ method: 'POST', path: '/category' });
			expect(post.body).toEqual({ local_id: 'FLAT', name: 'Flat', parent_id: 'CAT-00001' });
			expect(post.status).toBe(201);
			expect(result.items[0]).toMatchObject({ type: 'category', local_id: 'FLAT', parent_id: 'CAT-00001' });
		});
	});

	it('rejects a missing name or category ID before any request', async () => {
		await expectInputError(fx(), category('upsert', { localId: 'C-1', name: '={{ $json.name }}' }), 'Name', 'a value is required');
		await expectInputError(fx(), category('upsert', { localId: '={{ "" }}', name: 'Tea' }), 'Category ID', 'a value is required');
	});
});

describeOperation('productCategory', 'update', (fx) => {
	it('keeps fields not set by default: reads the category, then sends the merged record', async () => {
		const result = await fx().ok(category('update', { itemId: 'CAT-00003', updateFields: { name: 'Coffee' } }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
			['GET', '/category/CAT-00003', 200],
			['PATCH', '/category/CAT-00003', 200],
		]);
		expect(sentAttributes(requests[1])).toEqual({ local_id: 'CAT-00003', name: 'Coffee', parent_id: 'CAT-00001' });
		expect(result.items).toEqual([{ id: '3', type: 'category', local_id: 'CAT-00003', name: 'Coffee', parent_id: 'CAT-00001' }]);
		expect(fx().sandbox.store.categories.get('CAT-00003')?.attributes).toEqual({
			local_id: 'CAT-00003',
			name: 'Coffee',
			parent_id: 'CAT-00001',
		});
	});

	it('moves a category to another parent, keeping its name', async () => {
		const result = await fx().ok(category('update', { itemId: 'CAT-00004', updateFields: { parentId: 'CAT-00002' } }));
		expect(sentAttributes(fx().requests({ method: 'PATCH' })[0])).toEqual({ local_id: 'CAT-00004', name: 'Category 4', parent_id: 'CAT-00002' });
		expect(result.items[0]).toMatchObject({ name: 'Category 4', parent_id: 'CAT-00002' });
	});

	it('with "Keep Fields Not Set" off sends only the given fields (and the ID from the path), without reading first', async () => {
		const result = await fx().ok(category('update', { itemId: 'CAT-00005', updateFields: { name: 'Only name' }, keepUnsetFields: false }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path])).toEqual([['PATCH', '/category/CAT-00005']]);
		// The API requires local_id in the body; the node knows it from "Category ID".
		expect(sentAttributes(requests[0])).toEqual({ local_id: 'CAT-00005', name: 'Only name' });
		expect(result.items[0]).toMatchObject({ local_id: 'CAT-00005', name: 'Only name', parent_id: '' });
	});

	it('fails with the API\'s 404 for an unknown category, without sending the update', async () => {
		const result = await fx().run({ parameters: category('update', { itemId: 'CAT-99999', updateFields: { name: 'X' } }) });
		expect(result.error?.message).toBe('Loymax SC error: Not Found');
		expect(result.error?.httpCode).toBe('404');
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.status])).toEqual([['GET', 404]]);
	});

	it('rejects a missing category ID before any request', async () => {
		await expectInputError(fx(), category('update', { itemId: '={{ $json.id }}', updateFields: { name: 'X' } }), 'Category ID', 'a value is required');
	});
});

describeOperation('productCategory', 'get', (fx) => {
	it('reads a category by its local ID, simplified', async () => {
		const result = await fx().ok(category('get', { itemId: 'CAT-00001' }));
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.status])).toEqual([['GET', '/category/CAT-00001', 200]]);
		expect(result.items).toEqual([{ id: '1', type: 'category', local_id: 'CAT-00001', name: 'Category 1', parent_id: '' }]);
	});

	it('returns the raw JSON:API resource when not simplified', async () => {
		const result = await fx().ok(category('get', { itemId: 'CAT-00002', simplify: false }));
		expect(result.items).toEqual([
			{ type: 'category', id: '2', attributes: { local_id: 'CAT-00002', name: 'Category 2', parent_id: 'CAT-00001' } },
		]);
	});

	it('URL-encodes the ID in the path', async () => {
		fx().sandbox.store.categories.insert({ local_id: 'Food & Drink/Tea', name: 'Tea', parent_id: '' });
		const result = await fx().ok(category('get', { itemId: 'Food & Drink/Tea' }));
		expect(apiRequests(fx())[0].path).toBe('/category/Food%20%26%20Drink%2FTea');
		expect(result.items[0]).toMatchObject({ local_id: 'Food & Drink/Tea', name: 'Tea' });
	});

	it('fails with the API\'s 404 for an unknown category', async () => {
		const result = await fx().run({ parameters: category('get', { itemId: 'CAT-00042' }) });
		expect(result.error?.message).toBe('Loymax SC error: Not Found');
		expect(result.error?.httpCode).toBe('404');
	});

	it('rejects a missing category ID before any request', async () => {
		await expectInputError(fx(), category('get', { itemId: '={{ "" }}' }), 'Category ID', 'a value is required');
	});
});

describeOperation('productCategory', 'getAll', (fx) => {
	it('Return All follows the pages with the credential\'s page size', async () => {
		await withFixture({}, { pageSize: 2 }, async (small) => {
			const result = await small.ok(category('getAll', { returnAll: true }));
			expect(small.requests({ method: 'GET', path: '/category' }).map((entry) => entry.query)).toEqual([
				{ 'page[number]': '1', 'page[size]': '2' },
				{ 'page[number]': '2', 'page[size]': '2' },
				{ 'page[number]': '3', 'page[size]': '2' },
			]);
			expect(result.items.map((item) => item.local_id)).toEqual(['CAT-00001', 'CAT-00002', 'CAT-00003', 'CAT-00004', 'CAT-00005']);
			expect(result.items[1]).toEqual({ id: '2', type: 'category', local_id: 'CAT-00002', name: 'Category 2', parent_id: 'CAT-00001' });
		});
	});

	it('Limit returns exactly that many', async () => {
		const result = await fx().ok(category('getAll', { returnAll: false, limit: 2 }));
		expect(result.items.map((item) => item.local_id)).toEqual(['CAT-00001', 'CAT-00002']);
		expect(apiRequests(fx()).map((entry) => [entry.path, entry.query])).toEqual([['/category', { 'page[number]': '1', 'page[size]': '2' }]]);
	});

	it('sorts by the given rules and returns raw resources when not simplified', async () => {
		const result = await fx().ok(
			category('getAll', { returnAll: true, sort: { rule: [{ attribute: 'local_id', direction: 'desc' }] }, simplify: false }),
		);
		expect(JSON.parse(apiRequests(fx())[0].query.sort)).toEqual([{ attribute: 'local_id', direction: 'desc' }]);
		expect(result.items.map((item) => item.id)).toEqual(['5', '4', '3', '2', '1']);
		expect(result.items[0]).toEqual({
			type: 'category',
			id: '5',
			attributes: { local_id: 'CAT-00005', name: 'Category 5', parent_id: 'CAT-00001' },
			links: { self: `${fx().sandbox.url}/category/CAT-00005` },
		});
	});

	it('rejects a sort rule without an attribute before any request', async () => {
		await expectInputError(
			fx(),
			category('getAll', { returnAll: true, sort: { rule: [{ attribute: '={{ "" }}', direction: 'asc' }] } }),
			'Sort',
			'a rule has no attribute',
		);
	});
});
