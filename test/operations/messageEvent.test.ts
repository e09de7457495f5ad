import type { INodeParameters } from 'n8n-workflow';

import { apiRequests, describeOperation, expectInputError, withFixture } from '../harness/operation';

const event = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'messageEvent',
	operation: 'create',
	channel: 'email',
	eventType: 'open',
	messageId: 'msg-100',
	externalClientId: 'C-00001',
	...extra,
});

describeOperation('messageEvent', 'create', (fx) => {
	it('logs an event on the channel\'s path, in the {"data":[...]} body the endpoint takes', async () => {
		const result = await fx().ok(event({ channel: 'sms', eventType: 'click', messageId: 'sms-7', externalClientId: 'C-00002' }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['POST', '/communication/sms/events', 200]]);
		expect(requests[0].body).toEqual({ data: [{ type: 'click', message_id: 'sms-7', external_client_id: 'C-00002' }] });
		expect(fx().sandbox.store.messageEvents).toEqual([
			{ channel: 'sms', type: 'click', message_id: 'sms-7', external_client_id: 'C-00002' },
		]);
		expect(result.items).toHaveLength(1);
		expect(result.items[0]).toMatchObject({ success: true, channel: 'sms' });
	});

	it('logs one event per input item on every channel, values from expressions', async () => {
		const items = [
			{ channel: 'bot', type: 'delivered', message: 'b-1', customer: 'C-00003' },
			{ channel: 'push', type: 'unsubscribe', message: 'p-1', customer: 'C-00004' },
			{ channel: 'email', type: 'spam', message: 'e-1', customer: 'C-00005' },
		];
		const result = await fx().ok(
			event({
				channel: '={{ $json.channel }}',
				eventType: '={{ $json.type }}',
				messageId: '={{ $json.message }}',
				externalClientId: '={{ $json.customer }}',
			}),
			items,
		);
		expect(apiRequests(fx()).map((entry) => [entry.path, entry.body])).toEqual(
			items.map((item) => [
				`/communication/${item.channel}/events`,
				{ data: [{ type: item.type, message_id: item.message, external_client_id: item.customer }] },
			]),
		);
		expect(fx().sandbox.store.messageEvents.map((stored) => stored.channel)).toEqual(['bot', 'push', 'email']);
		expect(result.items.map((item) => item.channel)).toEqual(['bot', 'push', 'email']);
		expect(result.raw.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('acknowledges with the keys it sent, so that each item says which message it was about', async () => {
		const result = await fx().ok(event({ messageId: 'msg-200', externalClientId: 'C-00009' }));
		expect(result.items).toEqual([expect.objectContaining({ success: true, channel: 'email', message_id: 'msg-200' })]);
	});

	it('does not repeat the event after a server error: a repeat would log it twice', async () => {
		fx().sandbox.inject({ kind: 'status', status: 502, match: { method: 'POST', path: '/communication/email/events' } });
		const result = await fx().run({ parameters: event() });
		expect(result.error?.message).toMatch(/^Loymax SC answered with HTTP 502/);
		expect(result.error?.description).toMatch(/not repeated/);
		expect(fx().requests({ method: 'POST', path: '/communication/email/events' })).toHaveLength(1);
		expect(fx().sandbox.store.messageEvents).toEqual([]);
	});

	it('keeps its own {"data":[...]} body under a Flat credential, as Loymax\'s OpenAPI file shows it', async () => {
		await withFixture({}, { bodyFormat: 'flat' }, async (flat) => {
			await flat.ok(event());
			const [post] = flat.requests({ method: 'POST', path: '/communication/email/events' });
			expect(post.body).toEqual({ data: [{ type: 'open', message_id: 'msg-100', external_client_id: 'C-00001' }] });
			expect(post.status).toBe(200);
			expect(flat.sandbox.store.messageEvents).toHaveLength(1);
		});
	});

	it('rejects an unknown event type or channel and missing IDs before any request', async () => {
		const reject = async (extra: INodeParameters) => fx().run({ parameters: event(extra) });
		const eventTypes = '"click", "delivered", "open", "spam", "unsubscribe"';
		expectInputError(fx(), await reject({ eventType: '={{ "bounce" }}' }), 'Event Type', `"bounce" is not one of ${eventTypes}`);
		expectInputError(fx(), await reject({ channel: '={{ "fax" }}' }), 'Channel', '"fax" is not one of "bot", "email", "push", "sms"');
		expectInputError(fx(), await reject({ messageId: '={{ $json.id }}' }), 'Message ID', 'a value is required');
		expectInputError(fx(), await reject({ externalClientId: '={{ " " }}' }), 'Customer Local ID', 'a value is required');
	});
});
