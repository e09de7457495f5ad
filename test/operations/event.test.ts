import type { IDataObject } from 'n8n-workflow';

import { sentAttributes, type Fixture } from '../harness/fixture';
import { apiRequests, describeOperation, expectInputError } from '../harness/operation';

const event = (fx: Fixture, id: number) => fx.sandbox.store.events.getById(id)?.attributes as IDataObject;

describeOperation('event', 'create', (fx) => {
	const create = (extra: IDataObject = {}) => ({ resource: 'event', operation: 'create', name: 'order_shipped', date: '2024-07-01T08:00:00', ...extra });

	it('creates an event with its customer and context variables entered as fields', async () => {
		const result = await fx().ok(
			create({
				additionalFields: { clientId: 'C-00001' },
				context: { pair: [{ key: 'order', value: 'O-1' }, { key: 'track', value: 'TR9' }] },
			}),
		);
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['POST', '/event', 201]]);
		expect(requests[0].headers.contentType).toMatch(/^application\/json/);
		expect(sentAttributes(requests[0])).toEqual({
			name: 'order_shipped',
			date: '2024-07-01 08:00:00',
			client_id: 'C-00001',
			context: { order: 'O-1', track: 'TR9' },
		});
		expect(event(fx(), 11)).toEqual({ name: 'order_shipped', date: '2024-07-01 08:00:00', client_id: 'C-00001', context: { order: 'O-1', track: 'TR9' } });
		expect(result.items).toEqual([{ id: '11', type: 'event', ...event(fx(), 11) }]);
	});

	it('creates a system event (no customer) with a JSON context, raw without Simplify', async () => {
		const result = await fx().ok(create({ name: 'sale_started', contextInput: 'json', contextJson: '{"discount": 20, "tags": ["a", "b"]}', simplify: false }));
		expect(sentAttributes(apiRequests(fx())[0])).toEqual({ name: 'sale_started', date: '2024-07-01 08:00:00', context: { discount: 20, tags: ['a', 'b'] } });
		expect(result.items).toEqual([{ type: 'event', id: '11', attributes: { name: 'sale_started', date: '2024-07-01 08:00:00', client_id: '', context: { discount: 20, tags: ['a', 'b'] } } }]);
	});

	it('creates one event per input item: every POST a new event', async () => {
		const items = [
			{ customer: 'C-00001', at: '2024-07-01 09:00:00', context: { n: 1 } },
			{ customer: 'C-00002', at: '2024-07-02T10:30:00', context: { n: 2 } },
			{ customer: 'C-00001', at: '2024-07-03T11:45:59', context: { n: 3 } },
		];
		const result = await fx().ok(
			create({ date: '={{ $json.at }}', additionalFields: { clientId: '={{ $json.customer }}' }, contextInput: 'json', contextJson: '={{ $json.context }}' }),
			items,
		);
		// Items run concurrently (n8n's routing engine); only their output order is guaranteed.
		const byN = (a: Record<string, unknown>, b: Record<string, unknown>) =>
			Number((a.context as { n: number }).n) - Number((b.context as { n: number }).n);
		expect(fx().requests({ method: 'POST', path: '/event' }).map(sentAttributes).sort(byN)).toEqual([
			{ name: 'order_shipped', date: '2024-07-01 09:00:00', client_id: 'C-00001', context: { n: 1 } },
			{ name: 'order_shipped', date: '2024-07-02 10:30:00', client_id: 'C-00002', context: { n: 2 } },
			{ name: 'order_shipped', date: '2024-07-03 11:45:59', client_id: 'C-00001', context: { n: 3 } },
		]);
		expect(result.items.map((item) => [item.client_id, (item.context as { n: number }).n])).toEqual([
			['C-00001', 1],
			['C-00002', 2],
			['C-00001', 3],
		]);
		expect(new Set(result.items.map((item) => item.id))).toEqual(new Set(['11', '12', '13']));
		expect(result.raw.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(fx().sandbox.store.events.size).toBe(13);
	});

	it('sends a Customer ID that is a whole number as a JSON number, as the POST types client_id; other IDs as text', async () => {
		const ids = ['1042', 1043, 'C-00001', '007', '9007199254740993', '12.5'];
		await fx().ok(create({ additionalFields: { clientId: '={{ $json.id }}' } }), ids.map((id) => ({ id })));
		expect(fx().requests({ method: 'POST', path: '/event' }).map((entry) => sentAttributes(entry).client_id)).toEqual([
			1042,
			1043,
			'C-00001',
			'007',
			'9007199254740993',
			'12.5',
		]);
	});

	it('with Continue On Fail, an item with a bad date gives an error item and the others are created', async () => {
		const result = await fx().run({
			parameters: create({ date: '={{ $json.at }}' }),
			items: [{ at: '2024-07-01 09:00:00' }, { at: 'yesterday' }, { at: '2024-07-03 09:00:00' }],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.raw.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[1]).toEqual({
			error: expect.stringMatching(/^Invalid value for "Date" in item 1: "yesterday" is not a date/),
			details: expect.stringContaining('nothing was sent'),
		});
		expect([result.items[0].date, result.items[2].date]).toEqual(['2024-07-01 09:00:00', '2024-07-03 09:00:00']);
		expect(fx().requests({ method: 'POST', path: '/event' })).toHaveLength(2);
	});

	it.each([
		['a missing Event Name', { name: '={{ $json.name }}' }, 'Event Name', /a value is required/],
		['a Date that is not a date', { date: '01/07/2024' }, 'Date', /"01\/07\/2024" is not a date/],
		['a context JSON that is not an object', { contextInput: 'json', contextJson: '["a"]' }, 'Context (JSON)', /expected a JSON object/],
		['malformed context JSON', { contextInput: 'json', contextJson: "{'a': 1}" }, 'Context (JSON)', /not valid JSON/],
		['a context variable without a key', { context: { pair: [{ key: '={{ "" }}', value: 'x' }] } }, 'Context 1: Key', /a value is required/],
	])('rejects %s before any request', async (_case, override, field, problem) => {
		const result = await fx().run({ parameters: create(override) });
		expect(fx().sandbox.store.events.size).toBe(10);
		expectInputError(fx(), result, field, problem);
	});
});

describeOperation('event', 'update', (fx) => {
	const update = (extra: IDataObject = {}) => ({ resource: 'event', operation: 'update', eventId: '2', ...extra });

	it('keeps fields not set by default: reads the event, then sends it merged', async () => {
		const before = structuredClone(event(fx(), 2));
		const result = await fx().ok(update({ updateFields: { name: 'login' } }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
			['GET', '/event/2', 200],
			['PATCH', '/event/2', 200],
		]);
		expect(requests[1].headers.contentType).toMatch(/^application\/json/);
		expect(sentAttributes(requests[1])).toEqual({ ...before, name: 'login' });
		expect(event(fx(), 2)).toEqual({ ...before, name: 'login' });
		expect(result.items).toEqual([{ id: '2', type: 'event', ...before, name: 'login' }]);
	});

	it('sends a kept Customer ID as text, as the PATCH types client_id, also when the event holds a number', async () => {
		await fx().ok({ resource: 'event', operation: 'create', name: 'login', date: '2024-07-01T08:00:00', additionalFields: { clientId: '1042' } });
		expect(event(fx(), 11).client_id).toBe(1042);
		await fx().ok({ resource: 'event', operation: 'update', eventId: '11', updateFields: { name: 'logout' } });
		expect(sentAttributes(fx().requests({ method: 'PATCH' })[0])).toMatchObject({ name: 'logout', client_id: '1042' });
		expect(event(fx(), 11)).toMatchObject({ name: 'logout', client_id: '1042' });
	});

	it('replaces the context with the new variables', async () => {
		const before = structuredClone(event(fx(), 2));
		await fx().ok(update({ context: { pair: [{ key: 'coupon', value: 'SPRING' }] } }));
		expect(sentAttributes(fx().requests({ method: 'PATCH' })[0])).toEqual({ ...before, context: { coupon: 'SPRING' } });
		expect(event(fx(), 2).context).toEqual({ coupon: 'SPRING' });
	});

	it('with Keep Fields Not Set off, sends only the given fields and the API empties the rest', async () => {
		const result = await fx().ok(update({ updateFields: { date: '2024-08-08T08:08:08' }, keepUnsetFields: false, simplify: false }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, sentAttributes(entry)])).toEqual([
			['PATCH', '/event/2', { date: '2024-08-08 08:08:08' }],
		]);
		expect(event(fx(), 2)).toEqual({ name: '', date: '2024-08-08 08:08:08', client_id: '', context: {} });
		expect(result.items).toEqual([{ type: 'event', id: '2', attributes: event(fx(), 2) }]);
	});

	it('with Keep Fields Not Set off, rejects an update without Date before any request', async () => {
		const result = await fx().run({ parameters: update({ updateFields: { name: 'login' }, keepUnsetFields: false }) });
		expectInputError(fx(), result, 'Date', /a value is required/);
	});

	it('rejects a missing Event ID before any request', async () => {
		const result = await fx().run({ parameters: update({ eventId: '={{ $json.id }}', updateFields: { name: 'x' } }) });
		expectInputError(fx(), result, 'Event ID', /a value is required/);
	});
});

describeOperation('event', 'get', (fx) => {
	it('reads an event by its ID', async () => {
		const result = await fx().ok({ resource: 'event', operation: 'get', eventId: '2' });
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.query])).toEqual([['GET', '/event/2', {}]]);
		expect(result.items).toEqual([{ id: '2', type: 'event', ...event(fx(), 2) }]);
		expect(result.items[0]).toMatchObject({ client_id: 'C-00002', context: { seq: 2, source: 'seed' } });
	});

	it('reads one event per input item, raw without Simplify', async () => {
		const result = await fx().ok({ resource: 'event', operation: 'get', eventId: '={{ $json.id }}', simplify: false }, [{ id: 4 }, { id: '7' }]);
		expect(apiRequests(fx()).map((entry) => entry.path)).toEqual(['/event/4', '/event/7']);
		expect(result.items).toEqual([
			{ type: 'event', id: '4', attributes: event(fx(), 4) },
			{ type: 'event', id: '7', attributes: event(fx(), 7) },
		]);
		expect(result.raw.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('reports an unknown event as the API\'s Not Found', async () => {
		const result = await fx().run({ parameters: { resource: 'event', operation: 'get', eventId: '999' } });
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.httpCode).toBe('404');
		expect(result.error?.message).toContain('Not Found');
	});
});

describeOperation('event', 'getAll', (fx) => {
	it('applies Limit and a two-rule Sort', async () => {
		const result = await fx().ok({
			resource: 'event',
			operation: 'getAll',
			limit: 3,
			sort: { rule: [{ attribute: 'name', direction: 'asc' }, { attribute: 'date', direction: 'desc' }] },
		});
		const [request] = apiRequests(fx());
		expect([request.method, request.path, request.query['page[number]'], request.query['page[size]']]).toEqual(['GET', '/event', '1', '3']);
		expect(JSON.parse(request.query.sort)).toEqual([
			{ attribute: 'name', direction: 'asc' },
			{ attribute: 'date', direction: 'desc' },
		]);
		const all = [...fx().sandbox.store.events].map((record) => ({ id: String(record.id), name: String(record.attributes.name), date: String(record.attributes.date) }));
		all.sort((a, b) => (a.name !== b.name ? (a.name < b.name ? -1 : 1) : a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
		expect(result.items.map((item) => item.id)).toEqual(all.slice(0, 3).map((record) => record.id));
	});

	it('Return All gives every event', async () => {
		fx().engine.setCredential({ pageSize: 4 });
		const result = await fx().ok({ resource: 'event', operation: 'getAll', returnAll: true });
		expect(apiRequests(fx()).map((entry) => entry.query['page[number]'])).toEqual(['1', '2', '3']);
		expect(result.items.map((item) => item.id)).toEqual(Array.from({ length: 10 }, (_, index) => String(index + 1)));
		expect(result.items[3]).toEqual({ id: '4', type: 'event', ...event(fx(), 4) });
	});
});
