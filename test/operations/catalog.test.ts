import type { INodeParameters } from 'n8n-workflow';

import { sentAttributes, type Fixture } from '../harness/fixture';
import { apiRequests, describeOperation, expectInputError, withFixture } from '../harness/operation';

/**
 * Products and product categories: the node builds both resources from one definition
 * (nodes/LoymaxSc/resources/catalog), so they share their cases here, one table entry per resource;
 * the cases only one of them has stay in its own blocks.
 */
interface CatalogItem {
	resource: 'product' | 'productCategory';
	noun: 'product' | 'category';
	path: '/product' | '/category';
	type: 'product' | 'category';
	store: 'products' | 'categories';
	/** Label of the ID field, named in input errors. */
	idLabel: 'Product Local ID' | 'Category Local ID';
	/** The one parent reference: what it is, the name of its field, and the attribute it sets. */
	parent: { noun: 'category' | 'parent category'; param: 'categoryId' | 'parentId'; attribute: 'category_id' | 'parent_id' };
	/** How many the sandbox seeds, and the attributes of seeded record `n` (Platform id `n`). */
	seedCount: number;
	seeded: (n: number) => Record<string, string>;
	/** A custom attribute the API keeps. */
	custom: [name: string, value: string];
	/** An ID no record has. */
	unknownId: string;
	/** Sort rules for Get Many, and the Platform ids of all seeded records in that order. */
	sorted: { rules: INodeParameters[]; ids: string[] };
}

const pad = (n: number) => String(n).padStart(5, '0');

const PRODUCT: CatalogItem = {
	resource: 'product',
	noun: 'product',
	path: '/product',
	type: 'product',
	store: 'products',
	idLabel: 'Product Local ID',
	parent: { noun: 'category', param: 'categoryId', attribute: 'category_id' },
	// 10 products over the 5 categories.
	seedCount: 10,
	seeded: (n) => ({ local_id: `P-${pad(n)}`, name: `Product ${n}`, category_id: `CAT-${pad(((n - 1) % 5) + 1)}` }),
	custom: ['brand', 'Leafy'],
	unknownId: 'P-99999',
	sorted: {
		rules: [
			{ attribute: 'category_id', direction: 'desc' },
			{ attribute: 'name', direction: 'asc' },
		],
		// CAT-00005 holds products 5 and 10 ("Product 10" < "Product 5"), and so on down.
		ids: ['10', '5', '4', '9', '3', '8', '2', '7', '1', '6'],
	},
};

const CATEGORY: CatalogItem = {
	resource: 'productCategory',
	noun: 'category',
	path: '/category',
	type: 'category',
	store: 'categories',
	idLabel: 'Category Local ID',
	parent: { noun: 'parent category', param: 'parentId', attribute: 'parent_id' },
	// Category 1 is the root of the others.
	seedCount: 5,
	seeded: (n) => ({ local_id: `CAT-${pad(n)}`, name: `Category ${n}`, parent_id: n === 1 ? '' : 'CAT-00001' }),
	custom: ['sort_order', '3'],
	unknownId: 'CAT-99999',
	sorted: { rules: [{ attribute: 'local_id', direction: 'desc' }], ids: ['5', '4', '3', '2', '1'] },
};

const params = (item: CatalogItem, operation: string, extra: INodeParameters = {}): INodeParameters => ({
	resource: item.resource,
	operation,
	...extra,
});
const stored = (fx: Fixture, item: CatalogItem) => fx.sandbox.store[item.store];
const simplified = (item: CatalogItem, n: number) => ({ id: String(n), type: item.type, ...item.seeded(n) });

function upsertCases(fx: () => Fixture, item: CatalogItem) {
	const { path, type, parent, noun, idLabel } = item;
	const upsert = (extra: INodeParameters) => params(item, 'upsert', extra);

	it(`creates a ${noun} with its ${parent.noun} and custom attributes, in the JSON:API envelope`, async () => {
		const [customName, customValue] = item.custom;
		const attributes = { local_id: 'NEW-1', name: 'Green tea', [parent.attribute]: 'CAT-00002', [customName]: customValue };
		const result = await fx().ok(
			upsert({
				localId: 'NEW-1',
				name: 'Green tea',
				additionalFields: { [parent.param]: 'CAT-00002' },
				customAttributes: { attribute: [{ name: customName, value: customValue }] },
			}),
		);
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['POST', path, 201]]);
		expect(requests[0].body).toEqual({ data: { attributes } });
		expect(result.items).toEqual([{ id: String(item.seedCount + 1), type, ...attributes }]);
		expect(stored(fx(), item).get('NEW-1')?.attributes).toEqual(attributes);
	});

	it(`replaces an existing ${noun} (fields not sent, like its ${parent.noun}, are emptied) and returns the raw resource when not simplified`, async () => {
		const localId = item.seeded(2).local_id;
		const result = await fx().ok(upsert({ localId, name: 'Renamed', simplify: false }));
		const [post] = fx().requests({ method: 'POST', path });
		expect(post.status).toBe(200);
		expect(sentAttributes(post)).toEqual({ local_id: localId, name: 'Renamed' });
		expect(result.items).toEqual([{ type, id: '2', attributes: { local_id: localId, name: 'Renamed', [parent.attribute]: '' } }]);
		expect(stored(fx(), item).get(localId)?.attributes[parent.attribute]).toBe('');
		expect(stored(fx(), item).size).toBe(item.seedCount);
	});

	it('sends a flat body when the credential asks for it, and the flat API accepts it', async () => {
		await withFixture({ envelope: 'flat' }, { bodyFormat: 'flat' }, async (flat) => {
			const result = await flat.ok(upsert({ localId: 'FLAT-1', name: 'Flat', additionalFields: { [parent.param]: 'CAT-00001' } }));
			const [post] = flat.requests({ method: 'POST', path });
			expect(post.body).toEqual({ local_id: 'FLAT-1', name: 'Flat', [parent.attribute]: 'CAT-00001' });
			expect(post.status).toBe(201);
			expect(result.items[0]).toMatchObject({ type, local_id: 'FLAT-1', name: 'Flat', [parent.attribute]: 'CAT-00001' });
			expect(stored(flat, item).has('FLAT-1')).toBe(true);
		});
	});

	it(`rejects a missing name or ${noun} ID before any request`, async () => {
		const reject = async (extra: INodeParameters) => fx().run({ parameters: upsert(extra) });
		expectInputError(fx(), await reject({ localId: 'X-1', name: '={{ $json.name }}' }), 'Name', 'a value is required');
		expectInputError(fx(), await reject({ localId: '={{ "  " }}', name: 'Tea' }), idLabel, 'a value is required');
		expectInputError(fx(), await reject({ localId: '={{ "" }}', name: 'Tea' }), idLabel, 'a value is required');
	});
}

function updateCases(fx: () => Fixture, item: CatalogItem) {
	const { path, type, parent, noun, idLabel } = item;
	const update = (extra: INodeParameters) => params(item, 'update', extra);

	it(`keeps fields not set by default: reads the ${noun}, then sends the merged record`, async () => {
		const localId = item.seeded(3).local_id;
		const [customName, customValue] = item.custom;
		const merged = { ...item.seeded(3), name: 'Renamed', [customName]: customValue };
		const result = await fx().ok(
			update({ itemId: localId, updateFields: { name: 'Renamed' }, customAttributes: { attribute: [{ name: customName, value: customValue }] } }),
		);
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
			['GET', `${path}/${localId}`, 200],
			['PATCH', `${path}/${localId}`, 200],
		]);
		expect(sentAttributes(requests[1])).toEqual(merged);
		expect(result.items).toEqual([{ id: '3', type, ...merged }]);
		expect(stored(fx(), item).get(localId)?.attributes).toEqual(merged);
	});

	it('with "Keep Fields Not Set" off sends only the given fields (and the ID from the path), without reading first', async () => {
		const localId = item.seeded(4).local_id;
		const result = await fx().ok(update({ itemId: localId, updateFields: { name: 'Only name' }, keepUnsetFields: false }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path])).toEqual([['PATCH', `${path}/${localId}`]]);
		// The API requires local_id in the body; the node knows it from the ID field.
		expect(sentAttributes(requests[0])).toEqual({ local_id: localId, name: 'Only name' });
		expect(result.items[0]).toMatchObject({ local_id: localId, name: 'Only name', [parent.attribute]: '' });
	});

	it(`fails with the API's 404 for an unknown ${noun}, without sending the update`, async () => {
		const result = await fx().run({ parameters: update({ itemId: item.unknownId, updateFields: { name: 'X' } }) });
		expect(result.error?.message).toMatch(/^Loymax SC error: Not Found \(.+ "[^"]+"\)$/);
		expect(result.error?.httpCode).toBe('404');
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.status])).toEqual([['GET', `${path}/${item.unknownId}`, 404]]);
	});

	it(`rejects a missing ${noun} ID before any request`, async () => {
		const reject = async (itemId: string) => fx().run({ parameters: update({ itemId, updateFields: { name: 'X' } }) });
		expectInputError(fx(), await reject('={{ "" }}'), idLabel, 'a value is required');
		expectInputError(fx(), await reject('={{ $json.id }}'), idLabel, 'a value is required');
	});
}

function getCases(fx: () => Fixture, item: CatalogItem) {
	const { path, type, parent, noun, idLabel } = item;
	const get = (extra: INodeParameters) => params(item, 'get', extra);

	it(`reads a ${noun} by its local ID, simplified`, async () => {
		const result = await fx().ok(get({ itemId: item.seeded(4).local_id }));
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.query, entry.status])).toEqual([
			['GET', `${path}/${item.seeded(4).local_id}`, {}, 200],
		]);
		expect(result.items).toEqual([simplified(item, 4)]);
	});

	it('returns the raw JSON:API resource when not simplified', async () => {
		const result = await fx().ok(get({ itemId: item.seeded(2).local_id, simplify: false }));
		expect(result.items).toEqual([{ type, id: '2', attributes: item.seeded(2) }]);
	});

	it('URL-encodes the ID in the path', async () => {
		const odd = [
			['A/B 7?#', 'A%2FB%207%3F%23'],
			['Food & Drink/Tea', 'Food%20%26%20Drink%2FTea'],
		];
		for (const [localId] of odd) stored(fx(), item).insert({ local_id: localId, name: 'Odd', [parent.attribute]: '' });
		const results = [];
		for (const [localId] of odd) results.push(await fx().ok(get({ itemId: localId })));
		expect(apiRequests(fx()).map((entry) => entry.path)).toEqual(odd.map(([, encoded]) => `${path}/${encoded}`));
		expect(results.map((result) => result.items[0])).toEqual(odd.map(([localId]) => expect.objectContaining({ local_id: localId, name: 'Odd' })));
	});

	it(`fails with the API's 404 for an unknown ${noun}`, async () => {
		const result = await fx().run({ parameters: get({ itemId: item.unknownId }) });
		expect(result.error?.message).toMatch(/^Loymax SC error: Not Found \(.+ "[^"]+"\)$/);
		expect(result.error?.httpCode).toBe('404');
		expect(apiRequests(fx())).toHaveLength(1);
	});

	it(`rejects a missing ${noun} ID before any request`, async () => {
		const reject = async (itemId: string) => fx().run({ parameters: get({ itemId }) });
		expectInputError(fx(), await reject('={{ $json.sku }}'), idLabel, 'a value is required');
		expectInputError(fx(), await reject('={{ "" }}'), idLabel, 'a value is required');
	});
}

function getAllCases(fx: () => Fixture, item: CatalogItem) {
	const { path, type, noun } = item;
	const getAll = (extra: INodeParameters) => params(item, 'getAll', extra);

	it(`Return All follows the pages: page size from the credential, every ${noun} once`, async () => {
		await withFixture({ seed: { [item.store]: 5 } }, { pageSize: 2 }, async (small) => {
			const result = await small.ok(getAll({ returnAll: true }));
			expect(small.requests({ method: 'GET', path }).map((entry) => [entry.path, entry.query])).toEqual([
				[path, { 'page[number]': '1', 'page[size]': '2' }],
				[path, { 'page[number]': '2', 'page[size]': '2' }],
				[path, { 'page[number]': '3', 'page[size]': '2' }],
			]);
			expect(result.items).toEqual([1, 2, 3, 4, 5].map((n) => simplified(item, n)));
		});
	});

	it('Limit returns exactly that many, asking for no more than needed', async () => {
		const result = await fx().ok(getAll({ returnAll: false, limit: 3 }));
		expect(result.items.map((record) => record.local_id)).toEqual([1, 2, 3].map((n) => item.seeded(n).local_id));
		expect(apiRequests(fx()).map((entry) => [entry.path, entry.query])).toEqual([[path, { 'page[number]': '1', 'page[size]': '3' }]]);
	});

	it('sends the sort rules as JSON and returns raw resources when not simplified', async () => {
		const result = await fx().ok(getAll({ returnAll: true, sort: { rule: item.sorted.rules }, simplify: false }));
		const [page] = apiRequests(fx());
		expect(JSON.parse(page.query.sort)).toEqual(item.sorted.rules);
		expect(result.items.map((record) => record.id)).toEqual(item.sorted.ids);
		expect(result.items.map((record) => (record.attributes as { local_id: string }).local_id)).toEqual(
			item.sorted.ids.map((id) => item.seeded(Number(id)).local_id),
		);
		const first = Number(item.sorted.ids[0]);
		expect(result.items[0]).toEqual({
			type,
			id: String(first),
			attributes: item.seeded(first),
			links: { self: `${fx().sandbox.url}${path}/${item.seeded(first).local_id}` },
		});
	});

	it('rejects an unknown sort direction, a sort rule without an attribute and a limit below 1 before any request', async () => {
		const reject = async (extra: INodeParameters) => fx().run({ parameters: getAll(extra) });
		const direction = await reject({ returnAll: true, sort: { rule: [{ attribute: 'name', direction: '={{ "up" }}' }] } });
		expectInputError(fx(), direction, 'Sort', 'direction "up" is not "asc" or "desc"');
		const attribute = await reject({ returnAll: true, sort: { rule: [{ attribute: '={{ "" }}', direction: 'asc' }] } });
		expectInputError(fx(), attribute, 'Sort', 'a rule has no attribute');
		expectInputError(fx(), await reject({ returnAll: false, limit: '={{ 0 }}' }), 'Limit', '0 is not a whole number of at least 1');
	});
}

const product = (operation: string, extra: INodeParameters = {}) => params(PRODUCT, operation, extra);
const category = (operation: string, extra: INodeParameters = {}) => params(CATEGORY, operation, extra);

describeOperation('product', 'upsert', (fx) => {
	upsertCases(fx, PRODUCT);

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

	it('fails clearly when the instance expects flat bodies and the credential insists on the envelope', async () => {
		await withFixture({ envelope: 'flat' }, { bodyFormat: 'envelope' }, async (flat) => {
			const result = await flat.run({ parameters: product('upsert', { localId: 'ENV-1', name: 'Wrapped' }) });
			expect(result.error?.message).toBe(
				'Loymax SC error: Invalid Attribute (local_id: The local_id field is required.; name: The name field is required.)',
			);
			expect(result.error?.httpCode).toBe('400');
			expect(flat.requests({ method: 'POST', path: '/product' })).toHaveLength(1);
			expect(flat.sandbox.store.products.has('ENV-1')).toBe(false);
		});
	});

	it('rejects a custom attribute without a name before any request', async () => {
		const result = await fx().run({
			parameters: product('upsert', { localId: 'X-1', name: 'Tea', customAttributes: { attribute: [{ name: ' ', value: 'x' }] } }),
		});
		expectInputError(fx(), result, 'Custom Attributes', 'an attribute has no name');
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
	updateCases(fx, PRODUCT);

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
});

describeOperation('product', 'get', (fx) => getCases(fx, PRODUCT));

describeOperation('product', 'getAll', (fx) => {
	getAllCases(fx, PRODUCT);

	it('Limit larger than the page size spans pages and is cut exactly', async () => {
		await withFixture({}, { pageSize: 2 }, async (small) => {
			const result = await small.ok(product('getAll', { returnAll: false, limit: 3 }));
			expect(result.items.map((item) => item.local_id)).toEqual(['P-00001', 'P-00002', 'P-00003']);
			expect(small.requests({ method: 'GET', path: '/product' }).map((entry) => entry.query['page[number]'])).toEqual(['1', '2']);
		});
	});

	it('surfaces the API\'s 400 for an attribute it cannot sort by', async () => {
		const result = await fx().run({
			parameters: product('getAll', { returnAll: true, sort: { rule: [{ attribute: '={{ "colour" }}', direction: 'asc' }] } }),
		});
		expect(result.error?.message).toBe('Loymax SC error: Invalid sort');
		expect(result.error?.httpCode).toBe('400');
	});
});

describeOperation('productCategory', 'upsert', (fx) => upsertCases(fx, CATEGORY));

describeOperation('productCategory', 'update', (fx) => {
	updateCases(fx, CATEGORY);

	it('moves a category to another parent, keeping its name', async () => {
		const result = await fx().ok(category('update', { itemId: 'CAT-00004', updateFields: { parentId: 'CAT-00002' } }));
		expect(sentAttributes(fx().requests({ method: 'PATCH' })[0])).toEqual({ local_id: 'CAT-00004', name: 'Category 4', parent_id: 'CAT-00002' });
		expect(result.items[0]).toMatchObject({ name: 'Category 4', parent_id: 'CAT-00002' });
	});
});

describeOperation('productCategory', 'get', (fx) => getCases(fx, CATEGORY));
describeOperation('productCategory', 'getAll', (fx) => getAllCases(fx, CATEGORY));
