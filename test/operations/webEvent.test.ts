import type { IDataObject } from 'n8n-workflow';

import { sentAttributes } from '../harness/fixture';
import { apiRequests, describeOperation, expectInputError } from '../harness/operation';

describeOperation('webEvent', 'create', (fx) => {
	const create = (extra: IDataObject = {}) => ({
		resource: 'webEvent',
		operation: 'create',
		clientId: 'C-00001',
		sessionId: 'session-1',
		name: 'product_view',
		date: '2024-05-01T10:00:00',
		...extra,
	});

	it('sends a web event with its optional fields; the API queues it', async () => {
		const result = await fx().ok(
			create({
				additionalFields: { sourceCode: 'site', categoryId: 'CAT-00001', productId: 'P-00002', quantity: 2, price: 10.5, container: 'cart' },
			}),
		);
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['POST', '/web_event', 202]]);
		const sent = {
			client_id: 'C-00001',
			session_id: 'session-1',
			name: 'product_view',
			date: '2024-05-01 10:00:00',
			source_code: 'site',
			category_id: 'CAT-00001',
			product_id: 'P-00002',
			quantity: 2,
			price: 10.5,
			container: 'cart',
		};
		expect(requests[0].body).toEqual({ data: { attributes: sent } });
		expect(result.items).toEqual([{ status: 'queued', client_id: sent.client_id, session_id: sent.session_id, name: sent.name }]);
		expect(fx().sandbox.store.webEvents).toEqual([sent]);
	});

	it('sends one web event per input item, with paired output', async () => {
		const items = [
			{ customer: 'C-00001', session: 's-1', event: 'user_visit', at: '2024-05-01 10:00:00' },
			{ customer: 'C-00002', session: 's-2', event: 'cart_add', at: '2024-05-01T10:05:00Z', qty: 3 },
			{ customer: 'C-00003', session: 's-3', event: 'checkout', at: '2024-05-01T10:10:00.250+03:00' },
		];
		const result = await fx().ok(
			create({
				clientId: '={{ $json.customer }}',
				sessionId: '={{ $json.session }}',
				name: '={{ $json.event }}',
				date: '={{ $json.at }}',
				additionalFields: { quantity: '={{ $json.qty ?? 1 }}' },
			}),
			items,
		);
		expect(apiRequests(fx()).map((entry) => sentAttributes(entry))).toEqual([
			{ client_id: 'C-00001', session_id: 's-1', name: 'user_visit', date: '2024-05-01 10:00:00', quantity: 1 },
			// Instants in the workflow's zone (n8n's default, America/New_York, UTC-4 in May).
			{ client_id: 'C-00002', session_id: 's-2', name: 'cart_add', date: '2024-05-01 06:05:00', quantity: 3 },
			{ client_id: 'C-00003', session_id: 's-3', name: 'checkout', date: '2024-05-01 03:10:00', quantity: 1 },
		]);
		expect(result.items).toEqual([
			{ status: 'queued', client_id: 'C-00001', session_id: 's-1', name: 'user_visit' },
			{ status: 'queued', client_id: 'C-00002', session_id: 's-2', name: 'cart_add' },
			{ status: 'queued', client_id: 'C-00003', session_id: 's-3', name: 'checkout' },
		]);
		expect(result.raw.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(fx().sandbox.store.webEvents.map((event) => event.name)).toEqual(['user_visit', 'cart_add', 'checkout']);
	});

	it.each([
		['a missing Session ID', { sessionId: '={{ $json.session }}' }, 'Session ID', /a value is required/],
		['a missing Customer Local ID', { clientId: '={{ "" }}' }, 'Customer Local ID', /a value is required/],
		['a Date that is not a date', { date: '2024-05-01T10:00:99' }, 'Date', /is not a date/],
		['a Quantity that is not a number', { additionalFields: { quantity: '={{ "two" }}' } }, 'Quantity', /"two" is not a number/],
	])('rejects %s before any request', async (_case, override, field, problem) => {
		const result = await fx().run({ parameters: create(override) });
		expect(fx().sandbox.store.webEvents).toEqual([]);
		expectInputError(fx(), result, field, problem);
	});
});
