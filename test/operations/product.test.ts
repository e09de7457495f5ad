import type { INodeParameters } from 'n8n-workflow';

import { createFixture, sentAttributes, type Fixture } from '../harness/fixture';
import { apiRequests, describeOperation } from '../harness/operation';
import type { SandboxOptions } from '../sandbox';

const product = (operation: string, extra: INodeParameters = {}): INodeParameters => ({ resource: 'product', operation, ...extra });

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

describeOperation('product', 'upsert', (fx) => {
	it('creates a product with its category and custom attributes, in the JSON:API envelope', async () => {
		const result = await fx().ok(
			product('upsert', {
				localId: 'SKU-1',
				name: 'Green tea',
				additionalFields: { categoryId: 'CAT-00002' },
				customAttributes: { attribute: [{ name: 'brand', value: 'Leafy' }] },
			}),
		);
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['POST', '/product', 201]]);
		expect(requests[0].body).toEqual({
			data: { attributes: { local_id: 'SKU-1', name: 'Green tea', category_id: 'CAT-00002', brand: 'Leafy' } },
		});
		expect(result.items).toEqual([
			{ id: '11', type: 'product', local_id: 'SKU-1', name: 'Green tea', category_id: 'CAT-00002', brand: 'Leafy' },
		]);
		expect(fx().sandbox.store.products.get('SKU-1')?.attributes).toEqual({
			local_id: 'SKU-1',
			name: 'Green tea',
			category_id: 'CAT-00002',
			brand: 'Leafy',
		});
	});

	it('replaces an existing product (fields not sent are emptied) and returns the raw resource when not simplified', async () => {
		const result = await fx().ok(product('upsert', { localId: 'P-00001', name: 'Renamed', simplify: false }));
		const [post] = fx().requests({ method: 'POST', path: '/product' });
		expect(post.status).toBe(200);
		expect(sentAttributes(post)).toEqual({ local_id: 'P-00001', name: 'Renamed' });
		expect(result.items).toEqual([
			{ type: 'product', id: '1', attributes: { local_id: 'P-00001', name: 'Renamed', category_id: '' } },
		]);
		expect(fx().sandbox.store.products.get('P-00001')?.attributes.category_id).toBe('');
		expect(fx().sandbox.store.products.size).toBe(10);
	});

	it('sends one request per input item, values from expressions, output paired with its item', async () => {
		const items = [
			{ sku: 'A-1', title: 'Apple' },
			{ sku: 'B-2', title: 'Banana' },
		];
		const result = await fx().ok(product('upsert', { localId: '={{ $json.sku }}', name: '={{ $json.title }}' }), items);
		expect(fx().requests({ method: 'POST', path: '/product' }).map(sentAttributes)).toEqual([
			{ local_id: 'A-1', name: 'Apple' },
			{ local_id: 'B-2', name: 'Banana' },
		]);
		expect(result.items.map((item) => [item.local_id, item.name])).toEqual([
			['A-1', 'Apple'],
			['B-2', 'Banana'],
		]);
		expect(result.raw.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('repeats the upsert after a server error: an upsert by local ID is safe to repeat', async () => {
		fx().sandbox.inject({ kind: 'status', status: 503, match: { method: 'POST', path: '/product' } });
		const result = await fx().ok(product('upsert', { localId: 'RETRY-1', name: 'Retried' }));
		expect(fx().requests({ method: 'POST', path: '/product' }).map((entry) => entry.status)).toEqual([503, 201]);
		expect(result.items[0]).toMatchObject({ local_id: 'RETRY-1', name: 'Retried' });
	});

	it('sends a flat body when the credential asks for it, and the flat API accepts it', async () => {
		await withFixture({ envelope: 'flat' }, { bodyFormat: 'flat' }, async (flat) => {
			const result = await flat.ok(product('upsert', { localId: 'FLAT-1', name: 'Flat', additionalFields: { categoryId: 'CAT-00001' } }));
			const [post] = flat.requests({ method: 'POST', path: '/product' });
			expect(post.body).toEqual({ local_id: 'FLAT-1', name: 'Flat', category_id: 'CAT-00001' });
			expect(post.status).toBe(201);
			expect(result.items[0]).toMatchObject({ type: 'product', local_id: 'FLAT-1', name: 'Flat' });
			expect(flat.sandbox.store.products.has('FLAT-1')).toBe(true);
		});
	});

	it('fails clearly when the instance expects flat bodies and the credential sends the envelope', async () => {
		await withFixture({ envelope: 'flat' }, {}, async (flat) => {
			const result = await flat.run({ parameters: product('upsert', { localId: 'ENV-1', name: 'Wrapped' }) });
			expect(result.error?.message).toBe('Loymax SC error: Invalid request body (body: expected a flat JSON object of attributes (envelope is flat))');
			expect(result.error?.httpCode).toBe('400');
			expect(result.error?.description).toMatch(/body: expected a flat JSON object of attributes/);
			expect(flat.requests({ method: 'POST', path: '/product' })).toHaveLength(1);
			expect(flat.sandbox.store.products.has('ENV-1')).toBe(false);
		});
	});

	it('rejects a missing name or product ID before any request', async () => {
		await expectInputError(fx(), product('upsert', { localId: 'X-1', name: '={{ $json.title }}' }), 'Name', 'a value is required');
		await expectInputError(fx(), product('upsert', { localId: '={{ "  " }}', name: 'Tea' }), 'Product ID', 'a value is required');
	});

	it('rejects a custom attribute without a name before any request', async () => {
		await expectInputError(
			fx(),
			product('upsert', { localId: 'X-1', name: 'Tea', customAttributes: { attribute: [{ name: ' ', value: 'x' }] } }),
			'Custom Attributes',
			'an attribute has no name',
		);
	});

	it('names the failing item: earlier items are sent, the bad one is not', async () => {
		const result = await fx().run({
			parameters: product('upsert', { localId: '={{ $json.sku }}', name: '={{ $json.title }}' }),
			items: [{ sku: 'OK-1', title: 'Fine' }, { sku: 'BAD-2' }],
		});
		expect(result.error?.message).toBe('Invalid value for "Name" in item 1: a value is required');
		expect(fx().requests({ method: 'POST', path: '/product' }).map(sentAttributes)).toEqual([{ local_id: 'OK-1', name: 'Fine' }]);
		expect(fx().sandbox.store.products.has('BAD-2')).toBe(false);
	});
});

describeOperation('product', 'update', (fx) => {
	it('keeps fields not set by default: reads the product, then sends the merged record', async () => {
		const result = await fx().ok(
			product('update', {
				itemId: 'P-00003',
				updateFields: { name: 'Renamed' },
				customAttributes: { attribute: [{ name: 'colour', value: 'red' }] },
			}),
		);
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
			['GET', '/product/P-00003', 200],
			['PATCH', '/product/P-00003', 200],
		]);
		expect(sentAttributes(requests[1])).toEqual({ local_id: 'P-00003', name: 'Renamed', category_id: 'CAT-00003', colour: 'red' });
		expect(result.items).toEqual([
			{ id: '3', type: 'product', local_id: 'P-00003', name: 'Renamed', category_id: 'CAT-00003', colour: 'red' },
		]);
		expect(fx().sandbox.store.products.get('P-00003')?.attributes).toMatchObject({ name: 'Renamed', category_id: 'CAT-00003' });
	});

	it('with "Keep Fields Not Set" off sends only the given fields (and the ID from the path), without reading first', async () => {
		const result = await fx().ok(product('update', { itemId: 'P-00004', updateFields: { name: 'Only name' }, keepUnsetFields: false }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path])).toEqual([['PATCH', '/product/P-00004']]);
		// The API requires local_id in the body; the node knows it from "Product ID".
		expect(sentAttributes(requests[0])).toEqual({ local_id: 'P-00004', name: 'Only name' });
		expect(result.items[0]).toMatchObject({ local_id: 'P-00004', name: 'Only name', category_id: '' });
	});

	it('with "Keep Fields Not Set" off and every required field given, sends exactly those fields', async () => {
		const result = await fx().ok(
			product('update', {
				itemId: 'P-00005',
				updateFields: { name: 'Complete', categoryId: 'CAT-00001' },
				customAttributes: { attribute: [{ name: 'local_id', value: 'P-00005' }] },
				keepUnsetFields: false,
			}),
		);
		const requests = apiRequests(fx());
		expect(requests.map((entry) => entry.method)).toEqual(['PATCH']);
		expect(sentAttributes(requests[0])).toEqual({ name: 'Complete', category_id: 'CAT-00001', local_id: 'P-00005' });
		expect(result.items[0]).toEqual({ id: '5', type: 'product', local_id: 'P-00005', name: 'Complete', category_id: 'CAT-00001' });
	});

	it('fails with the API\'s 404 for an unknown product, without sending the update', async () => {
		const result = await fx().run({ parameters: product('update', { itemId: 'NOPE-1', updateFields: { name: 'X' } }) });
		expect(result.error?.message).toBe('Loymax SC error: Not Found');
		expect(result.error?.httpCode).toBe('404');
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.status])).toEqual([['GET', '/product/NOPE-1', 404]]);
	});

	it('rejects a missing product ID before any request', async () => {
		await expectInputError(fx(), product('update', { itemId: '={{ "" }}', updateFields: { name: 'X' } }), 'Product ID', 'a value is required');
	});
});

describeOperation('product', 'get', (fx) => {
	it('reads a product by its local ID, simplified', async () => {
		const result = await fx().ok(product('get', { itemId: 'P-00004' }));
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.query, entry.status])).toEqual([
			['GET', '/product/P-00004', {}, 200],
		]);
		expect(result.items).toEqual([{ id: '4', type: 'product', local_id: 'P-00004', name: 'Product 4', category_id: 'CAT-00004' }]);
	});

	it('returns the raw JSON:API resource when not simplified', async () => {
		const result = await fx().ok(product('get', { itemId: 'P-00002', simplify: false }));
		expect(result.items).toEqual([
			{ type: 'product', id: '2', attributes: { local_id: 'P-00002', name: 'Product 2', category_id: 'CAT-00002' } },
		]);
	});

	it('URL-encodes the ID in the path', async () => {
		fx().sandbox.store.products.insert({ local_id: 'A/B 7?#', name: 'Odd', category_id: '' });
		const result = await fx().ok(product('get', { itemId: 'A/B 7?#' }));
		expect(apiRequests(fx())[0].path).toBe('/product/A%2FB%207%3F%23');
		expect(result.items[0]).toMatchObject({ local_id: 'A/B 7?#', name: 'Odd' });
	});

	it('fails with the API\'s 404 for an unknown product', async () => {
		const result = await fx().run({ parameters: product('get', { itemId: 'P-99999' }) });
		expect(result.error?.message).toBe('Loymax SC error: Not Found');
		expect(result.error?.httpCode).toBe('404');
		expect(apiRequests(fx())).toHaveLength(1);
	});

	it('rejects a missing product ID before any request', async () => {
		await expectInputError(fx(), product('get', { itemId: '={{ $json.sku }}' }), 'Product ID', 'a value is required');
	});
});

describeOperation('product', 'getAll', (fx) => {
	it('Return All follows the pages: page size from the credential, every product once', async () => {
		await withFixture({ seed: { products: 5 } }, { pageSize: 2 }, async (small) => {
			const result = await small.ok(product('getAll', { returnAll: true }));
			const pages = small.requests({ method: 'GET', path: '/product' });
			expect(pages.map((entry) => [entry.path, entry.query])).toEqual([
				['/product', { 'page[number]': '1', 'page[size]': '2' }],
				['/product', { 'page[number]': '2', 'page[size]': '2' }],
				['/product', { 'page[number]': '3', 'page[size]': '2' }],
			]);
			expect(result.items.map((item) => item.local_id)).toEqual(['P-00001', 'P-00002', 'P-00003', 'P-00004', 'P-00005']);
			expect(result.items[0]).toEqual({ id: '1', type: 'product', local_id: 'P-00001', name: 'Product 1', category_id: 'CAT-00001' });
		});
	});

	it('Limit returns exactly that many, asking for no more than needed', async () => {
		const result = await fx().ok(product('getAll', { returnAll: false, limit: 3 }));
		expect(result.items.map((item) => item.local_id)).toEqual(['P-00001', 'P-00002', 'P-00003']);
		expect(apiRequests(fx()).map((entry) => entry.query)).toEqual([{ 'page[number]': '1', 'page[size]': '3' }]);
	});

	it('Limit larger than the page size spans pages and is cut exactly', async () => {
		await withFixture({}, { pageSize: 2 }, async (small) => {
			const result = await small.ok(product('getAll', { returnAll: false, limit: 3 }));
			expect(result.items.map((item) => item.local_id)).toEqual(['P-00001', 'P-00002', 'P-00003']);
			expect(small.requests({ method: 'GET', path: '/product' }).map((entry) => entry.query['page[number]'])).toEqual(['1', '2']);
		});
	});

	it('sends the sort rules as JSON and returns raw resources when not simplified', async () => {
		const result = await fx().ok(
			product('getAll', {
				returnAll: true,
				sort: { rule: [{ attribute: 'category_id', direction: 'desc' }, { attribute: 'name', direction: 'asc' }] },
				simplify: false,
			}),
		);
		const [page] = apiRequests(fx());
		expect(JSON.parse(page.query.sort)).toEqual([
			{ attribute: 'category_id', direction: 'desc' },
			{ attribute: 'name', direction: 'asc' },
		]);
		// 10 products over 5 categories: CAT-00005 holds products 5 and 10 ("Product 10" < "Product 5").
		expect(result.items.slice(0, 2).map((item) => (item.attributes as { local_id: string }).local_id)).toEqual(['P-00010', 'P-00005']);
		expect(result.items[0]).toEqual({
			type: 'product',
			id: '10',
			attributes: { local_id: 'P-00010', name: 'Product 10', category_id: 'CAT-00005' },
			links: { self: `${fx().sandbox.url}/product/P-00010` },
		});
		expect(result.items).toHaveLength(10);
	});

	it('rejects an unknown sort direction and a limit below 1 before any request', async () => {
		await expectInputError(
			fx(),
			product('getAll', { returnAll: true, sort: { rule: [{ attribute: 'name', direction: '={{ "up" }}' }] } }),
			'Sort',
			'direction "up" is not "asc" or "desc"',
		);
		await expectInputError(fx(), product('getAll', { returnAll: false, limit: '={{ 0 }}' }), 'Limit', '0 is not a whole number of at least 1');
	});

	it('surfaces the API\'s 400 for an attribute it cannot sort by', async () => {
		const result = await fx().run({
			parameters: product('getAll', { returnAll: true, sort: { rule: [{ attribute: '={{ "colour" }}', direction: 'asc' }] } }),
		});
		expect(result.error?.message).toBe('Loymax SC error: Invalid sort');
		expect(result.error?.httpCode).toBe('400');
	});
});
