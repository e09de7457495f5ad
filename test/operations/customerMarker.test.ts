import type { IDataObject } from 'n8n-workflow';

import { sentAttributes, type Fixture } from '../harness/fixture';
import { apiRequests, describeOperation, expectInputError } from '../harness/operation';

const markers = (fx: Fixture, platformId: number) => [...fx.sandbox.store.markersOf(platformId)].sort();

describeOperation('customerMarker', 'add', (fx) => {
	const add = (extra: IDataObject = {}) => ({ resource: 'customerMarker', operation: 'add', customerId: 'C-00002', markerName: 'newsletter', ...extra });

	it('looks up the Platform ID when it is not given, then attaches the marker', async () => {
		expect(markers(fx(), 2)).toEqual([]);
		const result = await fx().ok(add());
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
			['GET', '/customer/C-00002', 200],
			['POST', '/customer/C-00002/marker', 201],
		]);
		// The Platform ID read as a JSON:API id (a string) goes as the number the reference types.
		expect(requests[1].body).toEqual({ data: { attributes: { name: 'newsletter', client_id: 2 } } });
		const id = String(fx().sandbox.store.markerIds.get('newsletter'));
		expect(result.items).toEqual([{ id, type: 'marker', name: 'newsletter' }]);
		expect(markers(fx(), 2)).toEqual(['newsletter']);
	});

	it('takes the Platform ID from an API that sends JSON:API ids as numbers', async () => {
		fx().sandbox.options.numericIds = true;
		const result = await fx().ok(add());
		expect(apiRequests(fx())[1].body).toEqual({ data: { attributes: { name: 'newsletter', client_id: 2 } } });
		expect(result.items).toEqual([{ id: fx().sandbox.store.markerIds.get('newsletter'), type: 'marker', name: 'newsletter' }]);
	});

	it('uses a given Platform Customer ID without the lookup, and returns the raw resource without Simplify', async () => {
		const result = await fx().ok(add({ additionalFields: { platformCustomerId: '2' }, simplify: false }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, sentAttributes(entry)])).toEqual([
			['POST', '/customer/C-00002/marker', { name: 'newsletter', client_id: 2 }],
		]);
		expect(result.items).toEqual([{ type: 'marker', id: expect.stringMatching(/^\d+$/), attributes: { name: 'newsletter' } }]);
		expect(markers(fx(), 2)).toEqual(['newsletter']);
	});

	it('attaches a marker per input item, each to its own customer', async () => {
		const items = [
			{ id: 'C-00004', marker: 'gold' },
			{ id: 'C-00005', marker: 'silver' },
			{ id: 'C-00004', marker: 'silver' },
		];
		const result = await fx().ok(add({ customerId: '={{ $json.id }}', markerName: '={{ $json.marker }}' }), items);
		expect(fx().requests({ method: 'POST', path: /\/marker$/ }).map((entry) => [entry.path, sentAttributes(entry)])).toEqual([
			['/customer/C-00004/marker', { name: 'gold', client_id: 4 }],
			['/customer/C-00005/marker', { name: 'silver', client_id: 5 }],
			['/customer/C-00004/marker', { name: 'silver', client_id: 4 }],
		]);
		expect(result.items.map((item) => item.name)).toEqual(['gold', 'silver', 'silver']);
		expect(result.raw.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(markers(fx(), 4)).toEqual(['gold', 'silver']);
		expect(markers(fx(), 5)).toEqual(['silver']);
	});

	it('surfaces the API\'s validation error for a Platform Customer ID of another customer', async () => {
		const result = await fx().run({ parameters: add({ additionalFields: { platformCustomerId: '5' } }) });
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.httpCode).toBe('422');
		expect(result.error?.message).toContain('Validation Failed');
		expect(result.error?.description).toContain("client_id: must be the customer's Platform id (2)");
		expect(markers(fx(), 2)).toEqual([]);
	});

	it('rejects a missing Marker Name before any request', async () => {
		const result = await fx().run({ parameters: add({ markerName: '={{ $json.marker }}' }) });
		expectInputError(fx(), result, 'Marker Name', /a value is required/);
	});

	it('rejects a Platform Customer ID that is not digits before any request, 0 included', async () => {
		const problem = (id: string) => `"${id}" is not a Loymax SC ID (digits, not 0); leave it empty to look it up`;
		// 0 was the field's old default: a workflow saved with it must not send client_id 0.
		for (const [value, shown] of [[2.5, '2.5'], [0, '0'], ['0', '0'], ['C-00002', 'C-00002'], ['-2', '-2']] as const) {
			const result = await fx().run({ parameters: add({ additionalFields: { platformCustomerId: value } }) });
			expectInputError(fx(), result, 'Platform Customer ID', problem(shown));
		}
	});

	it('refuses an ID above 2^53 before any request: a JSON number would round it', async () => {
		const big = '9007199254740993';
		const result = await fx().run({ parameters: add({ additionalFields: { platformCustomerId: big } }) });
		expectInputError(fx(), result, 'Platform Customer ID', `"${big}" is larger than a JSON number carries exactly`);
	});

	it('an empty Platform Customer ID means "look it up", never client_id 0', async () => {
		await fx().ok(add({ additionalFields: { platformCustomerId: '' } }));
		expect(apiRequests(fx()).map((entry) => [entry.method, sentAttributes(entry).client_id])).toEqual([
			['GET', undefined],
			['POST', 2],
		]);
	});

	it('fails clearly, without the marker request, when the lookup gives no usable ID', async () => {
		fx().sandbox.inject({
			kind: 'status',
			status: 200,
			match: { method: 'GET', path: '/customer/C-00002' },
			body: { data: { type: 'customer', attributes: { local_id: 'C-00002' } } },
		});
		const result = await fx().run({ parameters: add() });
		expect(result.error?.message).toBe(
			'Could not find the Platform Customer ID of customer "C-00002": Loymax SC answered without a usable ID (null); enter Platform Customer ID instead',
		);
		expect(apiRequests(fx()).map((entry) => entry.method)).toEqual(['GET']);
		// A number beyond 2^53 would be rounded: refused as well.
		fx().sandbox.inject({
			kind: 'status',
			status: 200,
			match: { method: 'GET', path: '/customer/C-00002' },
			body: '{"data":{"type":"customer","id":9007199254740993,"attributes":{}}}',
		});
		const rounded = await fx().run({ parameters: add() });
		expect(rounded.error?.message).toMatch(/^Could not find the Platform Customer ID of customer "C-00002": Loymax SC answered without a usable ID \(9007199254740992\)/);
		expect(fx().requests({ method: 'POST', path: /\/marker$/ })).toEqual([]);
	});

	it('fails with the API\'s 404 for an unknown customer, before the marker request', async () => {
		const result = await fx().run({ parameters: add({ customerId: 'C-99999' }) });
		expect([result.error?.message, result.error?.httpCode]).toEqual(['Loymax SC error: Not Found (Customer Local ID "C-99999")', '404']);
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path])).toEqual([['GET', '/customer/C-99999']]);
	});
});

describeOperation('customerMarker', 'getAll', (fx) => {
	it('lists the markers of a customer with Sort and Limit', async () => {
		fx().sandbox.store.markersOf(1).add('alpha');
		fx().sandbox.store.markersOf(1).add('beta');
		const result = await fx().ok({
			resource: 'customerMarker',
			operation: 'getAll',
			customerId: 'C-00001',
			limit: 2,
			sort: { rule: [{ attribute: 'name', direction: 'asc' }] },
		});
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.query])).toEqual([
			['GET', '/customer/C-00001/marker', { 'page[number]': '1', 'page[size]': '2', sort: '[{"attribute":"name","direction":"asc"}]' }],
		]);
		expect(result.items).toEqual([
			{ id: String(fx().sandbox.store.markerId('alpha')), type: 'marker', name: 'alpha' },
			{ id: String(fx().sandbox.store.markerId('beta')), type: 'marker', name: 'beta' },
		]);
	});

	it('Return All gives every marker, raw without Simplify', async () => {
		const result = await fx().ok({ resource: 'customerMarker', operation: 'getAll', customerId: 'C-00011', returnAll: true, simplify: false });
		expect(apiRequests(fx()).map((entry) => [entry.path, entry.query['page[size]']])).toEqual([['/customer/C-00011/marker', '100']]);
		expect(result.items).toEqual([
			{ type: 'marker', id: '1', attributes: { name: 'vip' }, links: { self: `${fx().sandbox.url}/customer/C-00011/marker/1` } },
		]);
	});
});

describeOperation('customerMarker', 'remove', (fx) => {
	const remove = (extra: IDataObject = {}) => ({ resource: 'customerMarker', operation: 'remove', customerId: 'C-00001', markerName: 'vip', ...extra });

	it('looks up the Platform ID, then detaches the marker with a DELETE carrying name and client_id', async () => {
		expect(markers(fx(), 1)).toEqual(['vip']);
		const result = await fx().ok(remove());
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
			['GET', '/customer/C-00001', 200],
			['DELETE', '/customer/C-00001/marker', 204],
		]);
		expect(requests[1].body).toEqual({ data: { attributes: { name: 'vip', client_id: 1 } } });
		expect(result.items).toEqual([{ deleted: true, customer_id: 'C-00001', name: 'vip' }]);
		expect(markers(fx(), 1)).toEqual([]);
	});

	it('detaches for each input item, with a given Platform Customer ID', async () => {
		const result = await fx().ok(
			remove({ customerId: '={{ $json.id }}', additionalFields: { platformCustomerId: '={{ $json.platformId }}' } }),
			[
				{ id: 'C-00001', platformId: 1 },
				{ id: 'C-00021', platformId: 21 },
			],
		);
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, sentAttributes(entry)])).toEqual([
			['DELETE', '/customer/C-00001/marker', { name: 'vip', client_id: 1 }],
			['DELETE', '/customer/C-00021/marker', { name: 'vip', client_id: 21 }],
		]);
		expect(result.items).toEqual([
			{ deleted: true, customer_id: 'C-00001', name: 'vip' },
			{ deleted: true, customer_id: 'C-00021', name: 'vip' },
		]);
		expect(result.raw.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect([...markers(fx(), 1), ...markers(fx(), 21)]).toEqual([]);
	});

	it('reports a marker that is not attached as the API\'s Not Found', async () => {
		const result = await fx().run({ parameters: remove({ customerId: 'C-00002' }) });
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.httpCode).toBe('404');
		expect(result.error?.message).toContain('Not Found');
		expect(fx().requests({ method: 'DELETE' }).map((entry) => entry.status)).toEqual([404]);
	});

	it('rejects a missing Marker Name before any request', async () => {
		const result = await fx().run({ parameters: remove({ markerName: '={{ "" }}' }) });
		expectInputError(fx(), result, 'Marker Name', /a value is required/);
	});
});
