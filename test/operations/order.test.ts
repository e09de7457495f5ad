import type { IDataObject } from 'n8n-workflow';

import { sentAttributes, type Fixture } from '../harness/fixture';
import { apiRequests, describeOperation, expectInputError } from '../harness/operation';

const order = (fx: Fixture, localId: string) => fx.sandbox.store.orders.get(localId)?.attributes as IDataObject;

describeOperation('order', 'upsert', (fx) => {
	const upsert = (extra: IDataObject = {}) => ({ resource: 'order', operation: 'upsert', localId: 'O-9001', date: '2024-06-01T10:20:30', ...extra });

	it('creates an order with lines entered as fields, line custom attributes beside the standard ones', async () => {
		const result = await fx().ok(
			upsert({
				lines: {
					line: [
						{ localId: 'L1', productId: 'P-00001', price: 100, cnt: 2, sum: 200, customAttributes: '{"color":"red","size":42}' },
						{ localId: 'L2', productId: 'P-00002', price: 50.5, cnt: 1, sum: 50.5, clientId: 'C-00001' },
					],
				},
				additionalFields: { clientId: 'C-00001', number: 'A-1', statusName: 'paid', itemsCnt: 3, itemsSum: 250.5 },
				customAttributes: { attribute: [{ name: 'channel', value: 'web' }] },
			}),
		);
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['POST', '/order', 201]]);
		const lines = [
			{ local_id: 'L1', product_id: 'P-00001', price: 100, cnt: 2, sum: 200, color: 'red', size: 42 },
			{ local_id: 'L2', product_id: 'P-00002', price: 50.5, cnt: 1, sum: 50.5, client_id: 'C-00001' },
		];
		expect(sentAttributes(requests[0])).toEqual({
			local_id: 'O-9001',
			date: '2024-06-01 10:20:30',
			client_id: 'C-00001',
			number: 'A-1',
			status_name: 'paid',
			items_cnt: 3,
			items_sum: 250.5,
			items: lines,
			channel: 'web',
		});
		const stored = order(fx(), 'O-9001');
		expect(stored).toMatchObject({ local_id: 'O-9001', status_name: 'paid', channel: 'web' });
		expect(stored.items).toEqual([{ ...lines[0], client_id: '' }, lines[1]]);
		expect(result.items).toEqual([{ id: '31', type: 'order', ...stored }]);
	});

	it('takes lines as JSON from an expression, one order per input item, and returns raw resources without Simplify', async () => {
		const items = [
			{ id: 'J-1', lines: [{ local_id: 'J-1-1', product_id: 'P-00003', price: 10, cnt: 1, sum: 10, gift: 'Y' }] },
			{ id: 'J-2', lines: [] },
		];
		const result = await fx().ok(upsert({ localId: '={{ $json.id }}', linesInput: 'json', linesJson: '={{ $json.lines }}', simplify: false }), items);
		expect(apiRequests(fx()).map((entry) => sentAttributes(entry))).toEqual([
			{ local_id: 'J-1', date: '2024-06-01 10:20:30', items: items[0].lines },
			{ local_id: 'J-2', date: '2024-06-01 10:20:30', items: [] },
		]);
		expect(result.items).toEqual([
			{ type: 'order', id: '31', attributes: order(fx(), 'J-1') },
			{ type: 'order', id: '32', attributes: order(fx(), 'J-2') },
		]);
		expect(order(fx(), 'J-1').items).toEqual([{ ...items[0].lines[0], client_id: '' }]);
		expect(result.raw.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('replaces an existing order: fields and lines not sent are emptied', async () => {
		expect((order(fx(), 'O-00003').items as unknown[]).length).toBeGreaterThan(0);
		await fx().ok(upsert({ localId: 'O-00003', additionalFields: { number: 'R-3' } }));
		const [post] = apiRequests(fx());
		expect(post.status).toBe(200);
		expect(sentAttributes(post)).toEqual({ local_id: 'O-00003', date: '2024-06-01 10:20:30', number: 'R-3' });
		expect(order(fx(), 'O-00003')).toMatchObject({ number: 'R-3', client_id: '', status_name: '', items_cnt: 0, items: [] });
	});

	it('surfaces the API\'s validation error for a JSON line without a product', async () => {
		const result = await fx().run({ parameters: upsert({ linesInput: 'json', linesJson: '[{"local_id":"L1","price":1,"cnt":1,"sum":1}]' }) });
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.httpCode).toBe('400');
		expect(result.error?.message).toContain('Invalid Attribute');
		expect(result.error?.description).toContain('items.0.product_id: The items.0.product_id field is required.');
		expect(fx().sandbox.store.orders.has('O-9001')).toBe(false);
	});

	const line = { localId: 'L1', productId: 'P-1', price: 1, cnt: 1, sum: 1 };
	it.each([
		['a missing Order Local ID', { localId: '={{ $json.id }}' }, 'Order Local ID', /a value is required/],
		['a Date that is not a date', { date: '2024-06-01 25:00:00' }, 'Date', /is not a date/],
		['malformed lines JSON', { linesInput: 'json', linesJson: '[{"local_id": }]' }, 'Lines (JSON)', /not valid JSON/],
		['lines JSON that is not an array of objects', { linesInput: 'json', linesJson: '[1, 2]' }, 'Lines (JSON)', /expected a JSON array of objects/],
		['a line without a price', { lines: { line: [{ ...line, price: '={{ "" }}' }] } }, 'Lines 1: Price', /a value is required/],
		['a line quantity that is not a number', { lines: { line: [line, { ...line, cnt: '={{ "two" }}' }] } }, 'Lines 2: Quantity', /"two" is not a number/],
		['malformed line custom attributes', { lines: { line: [{ ...line, customAttributes: '{"a":' }] } }, 'Lines 1: Custom Attributes (JSON)', /not valid JSON/],
		['line custom attributes that are not an object', { lines: { line: [{ ...line, customAttributes: '[1]' }] } }, 'Lines 1: Custom Attributes (JSON)', /expected a JSON object/],
		['an Items Sum that is not a number', { additionalFields: { itemsSum: '={{ "many" }}' } }, 'Items Sum', /"many" is not a number/],
		['a custom attribute without a name', { customAttributes: { attribute: [{ name: '', value: 'x' }] } }, 'Custom Attributes', /an attribute has no name/],
	])('rejects %s before any request', async (_case, override, field, problem) => {
		const result = await fx().run({ parameters: upsert(override) });
		expect(fx().sandbox.store.orders.has('O-9001')).toBe(false);
		expectInputError(fx(), result, field, problem);
	});
});

describeOperation('order', 'update', (fx) => {
	const update = (extra: IDataObject = {}) => ({ resource: 'order', operation: 'update', orderId: 'O-00002', ...extra });

	it('keeps fields not set by default: reads the order, then sends the merged record with its lines', async () => {
		const before = structuredClone(order(fx(), 'O-00002'));
		const result = await fx().ok(update({ updateFields: { statusName: 'delivered', itemsSum: 1999.99 } }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
			['GET', '/order/O-00002', 200],
			['PATCH', '/order/O-00002', 200],
		]);
		expect(sentAttributes(requests[1])).toEqual({ ...before, status_name: 'delivered', items_sum: 1999.99 });
		const after = order(fx(), 'O-00002');
		expect(after).toEqual({ ...before, status_name: 'delivered', items_sum: 1999.99 });
		expect(result.items).toEqual([{ id: '2', type: 'order', ...after }]);
	});

	it('replaces all lines with the new ones and keeps the other fields', async () => {
		const before = structuredClone(order(fx(), 'O-00002'));
		await fx().ok(update({ lines: { line: [{ localId: 'N1', productId: 'P-00009', price: 5, cnt: 4, sum: 20 }] } }));
		const patch = fx().requests({ method: 'PATCH' })[0];
		expect(sentAttributes(patch)).toEqual({ ...before, items: [{ local_id: 'N1', product_id: 'P-00009', price: 5, cnt: 4, sum: 20 }] });
		expect(order(fx(), 'O-00002')).toMatchObject({
			number: before.number,
			client_id: before.client_id,
			items: [{ local_id: 'N1', product_id: 'P-00009', price: 5, cnt: 4, sum: 20, client_id: '' }],
		});
	});

	it('with Keep Fields Not Set off, sends only the given fields and the API empties the rest', async () => {
		const result = await fx().run({ parameters: update({ updateFields: { date: '2024-09-09T09:09:09', number: 'X-2' }, keepUnsetFields: false }) });
		expect(result.error?.message).toBeUndefined();
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['PATCH', '/order/O-00002', 200]]);
		// The order's ID may go in the body (the API knows it from the path); nothing else that was not given.
		const { local_id: localId, ...sent } = sentAttributes(requests[0]);
		expect([undefined, 'O-00002']).toContain(localId);
		expect(sent).toEqual({ date: '2024-09-09 09:09:09', number: 'X-2' });
		expect(order(fx(), 'O-00002')).toMatchObject({ local_id: 'O-00002', number: 'X-2', client_id: '', status_name: '', items: [] });
		expect(result.items).toEqual([{ id: '2', type: 'order', ...order(fx(), 'O-00002') }]);
	});

	it('with Keep Fields Not Set off, rejects an update without Date before any request', async () => {
		const result = await fx().run({ parameters: update({ updateFields: { number: 'X-2' }, keepUnsetFields: false }) });
		expectInputError(fx(), result, 'Date', /a value is required/);
	});

	it('rejects a bad line before reading the order', async () => {
		const result = await fx().run({ parameters: update({ linesInput: 'json', linesJson: '{"local_id":"L1"}' }) });
		expectInputError(fx(), result, 'Lines (JSON)', /expected a JSON array of objects/);
	});
});

describeOperation('order', 'get', (fx) => {
	it('reads an order by its ID and returns it simplified', async () => {
		const result = await fx().ok({ resource: 'order', operation: 'get', orderId: 'O-00002' });
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.query])).toEqual([['GET', '/order/O-00002', {}]]);
		expect(result.items).toEqual([{ id: '2', type: 'order', ...order(fx(), 'O-00002') }]);
		expect(result.items[0]).toMatchObject({ local_id: 'O-00002', client_id: 'C-00002', items: expect.arrayContaining([expect.objectContaining({ local_id: 'O-00002-1' })]) });
	});

	it('URL-encodes the order ID and returns the raw resource without Simplify', async () => {
		await fx().ok({ resource: 'order', operation: 'upsert', localId: 'O/1 #2', date: '2024-01-01T00:00:00' });
		const result = await fx().ok({ resource: 'order', operation: 'get', orderId: 'O/1 #2', simplify: false });
		expect(fx().requests({ method: 'GET' }).map((entry) => entry.path)).toEqual(['/order/O%2F1%20%232']);
		expect(result.items).toEqual([{ type: 'order', id: '31', attributes: order(fx(), 'O/1 #2') }]);
	});

	it('reports an unknown order as the API\'s Not Found', async () => {
		const result = await fx().run({ parameters: { resource: 'order', operation: 'get', orderId: 'O-77777' } });
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.httpCode).toBe('404');
		expect(result.error?.message).toContain('Not Found');
	});
});

describeOperation('order', 'getAll', (fx) => {
	it('applies Limit and Sort', async () => {
		const result = await fx().ok({
			resource: 'order',
			operation: 'getAll',
			limit: 4,
			sort: { rule: [{ attribute: 'items_sum', direction: 'desc' }] },
		});
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.query])).toEqual([
			['GET', '/order', { 'page[number]': '1', 'page[size]': '4', sort: '[{"attribute":"items_sum","direction":"desc"}]' }],
		]);
		const sums = [...fx().sandbox.store.orders].map((record) => Number(record.attributes.items_sum)).sort((a, b) => b - a);
		expect(result.items.map((item) => item.items_sum)).toEqual(sums.slice(0, 4));
		expect(result.items.every((item) => item.type === 'order')).toBe(true);
	});

	it('Return All walks every page', async () => {
		fx().engine.setCredential({ pageSize: 8 });
		const result = await fx().ok({ resource: 'order', operation: 'getAll', returnAll: true });
		expect(apiRequests(fx()).map((entry) => entry.query['page[number]'])).toEqual(['1', '2', '3', '4']);
		expect(result.items.map((item) => item.local_id)).toEqual(Array.from({ length: 30 }, (_, index) => `O-${String(index + 1).padStart(5, '0')}`));
	});

	it('rejects a sort rule without an attribute before any request', async () => {
		const result = await fx().run({ parameters: { resource: 'order', operation: 'getAll', sort: { rule: [{ attribute: '={{ "" }}', direction: 'asc' }] } } });
		expectInputError(fx(), result, 'Sort', /a rule has no attribute/);
	});
});
