import type { INodeParameters } from 'n8n-workflow';

import { sentAttributes, type Fixture } from '../harness/fixture';
import { apiRequests, describeOperation, expectInputError, rl, withFixture } from '../harness/operation';

/**
 * Email, SMS and push mailings: the node builds the three resources from one definition
 * (nodes/LoymaxSc/resources/mailing), so they share their cases here, one table entry per channel.
 */
interface Channel {
	resource: 'emailMailing' | 'smsMailing' | 'pushMailing';
	path: '/communication/email' | '/communication/sms' | '/communication/push';
	type: 'email-mailing' | 'sms-mailing' | 'push-mailing';
	/** Label of the mailing field, named in input errors. */
	label: string;
	/** Seeded mailings are called "<name> <n>". */
	name: string;
	/** The sandbox collection, which is also the seed count's name. */
	store: 'emailMailings' | 'smsMailings' | 'pushMailings';
}

const channels: Record<'email' | 'sms' | 'push', Channel> = {
	email: { resource: 'emailMailing', path: '/communication/email', type: 'email-mailing', label: 'Email Mailing', name: 'Email mailing', store: 'emailMailings' },
	sms: { resource: 'smsMailing', path: '/communication/sms', type: 'sms-mailing', label: 'SMS Mailing', name: 'SMS mailing', store: 'smsMailings' },
	push: { resource: 'pushMailing', path: '/communication/push', type: 'push-mailing', label: 'Push Mailing', name: 'Push mailing', store: 'pushMailings' },
};

const RECIPIENT_STATUSES = ['delivered', 'opened', 'clicked', 'bounced'];

const mailing = (channel: Channel, operation: string, extra: INodeParameters = {}): INodeParameters => ({
	resource: channel.resource,
	operation,
	...extra,
});
const stored = (fx: Fixture, channel: Channel, id: string) => fx.sandbox.store[channel.store].get(id)!.attributes;

function getCases(fx: () => Fixture, channel: Channel) {
	const { path, type, label, name } = channel;
	const get = (extra: INodeParameters) => mailing(channel, 'get', extra);

	it('reads a mailing with its statistics, chosen by ID or from the list', async () => {
		const byId = await fx().ok(get({ mailingId: rl('2') }));
		const fromList = await fx().ok(get({ mailingId: rl('1', 'list') }));
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.query, entry.status])).toEqual([
			['GET', `${path}/2`, {}, 200],
			['GET', `${path}/1`, {}, 200],
		]);
		expect(byId.items).toEqual([{ id: '2', type: type, ...stored(fx(), channel, '2') }]);
		expect(byId.items[0]).toMatchObject({ name: `${name} 2`, subject: 'Subject 2', status: 'sent', sent: 10, delivered: 9, opened: 5, clicked: 1 });
		expect(fromList.items[0]).toMatchObject({ id: '1', type: type, name: `${name} 1` });
	});

	it('returns the raw JSON:API resource when not simplified', async () => {
		const result = await fx().ok(get({ mailingId: rl('3'), simplify: false }));
		expect(result.items).toEqual([{ type: type, id: '3', attributes: stored(fx(), channel, '3') }]);
	});

	it('fails with the API\'s 404 for an unknown mailing', async () => {
		const result = await fx().run({ parameters: get({ mailingId: rl('99') }) });
		expect(result.error?.message).toMatch(/^Loymax SC error: Not Found \(.+ "[^"]+"\)$/);
		expect(result.error?.httpCode).toBe('404');
		expect(apiRequests(fx()).map((entry) => [entry.path, entry.status])).toEqual([[`${path}/99`, 404]]);
	});

	it('rejects an ID that is not a number, and a missing one, before any request', async () => {
		const reject = async (mailingId: INodeParameters[string]) => fx().run({ parameters: get({ mailingId }) });
		expectInputError(fx(), await reject(rl('abc', 'list')), label, '"abc" is not a Loymax SC ID (a number)');
		expectInputError(fx(), await reject(rl('={{ "7x" }}')), label, '"7x" is not a Loymax SC ID (a number)');
		expectInputError(fx(), await reject(rl('={{ $json.mailing }}')), label, 'a value is required');
	});
}

function getAllCases(fx: () => Fixture, channel: Channel) {
	const { path, type, name } = channel;
	const getAll = (extra: INodeParameters) => mailing(channel, 'getAll', extra);

	it('Return All follows the pages with the credential\'s page size', async () => {
		await withFixture({ seed: { [channel.store]: 5 } }, { pageSize: 2 }, async (small) => {
			const result = await small.ok(getAll({ returnAll: true }));
			expect(small.requests({ method: 'GET' }).map((entry) => [entry.path, entry.query])).toEqual([
				[path, { 'page[number]': '1', 'page[size]': '2' }],
				[path, { 'page[number]': '2', 'page[size]': '2' }],
				[path, { 'page[number]': '3', 'page[size]': '2' }],
			]);
			expect(result.items.map((item) => [item.id, item.type, item.name])).toEqual(
				[1, 2, 3, 4, 5].map((m) => [String(m), type, `${name} ${m}`]),
			);
		});
	});

	it('Limit returns exactly that many', async () => {
		const result = await fx().ok(getAll({ returnAll: false, limit: 2 }));
		expect(result.items.map((item) => item.id)).toEqual(['1', '2']);
		expect(apiRequests(fx()).map((entry) => [entry.path, entry.query])).toEqual([[path, { 'page[number]': '1', 'page[size]': '2' }]]);
	});

	it('sends the sort rules as JSON and returns the mailings in that order, raw when not simplified', async () => {
		await withFixture({ seed: { [channel.store]: 5 } }, {}, async (five) => {
			const result = await five.ok(
				getAll({
					returnAll: true,
					sort: { rule: [{ attribute: 'status', direction: 'asc' }, { attribute: 'id', direction: 'desc' }] },
					simplify: false,
				}),
			);
			const [page] = five.requests({ method: 'GET', path: path });
			expect(JSON.parse(page.query.sort)).toEqual([
				{ attribute: 'status', direction: 'asc' },
				{ attribute: 'id', direction: 'desc' },
			]);
			// Seeded statuses: 1-3 sent, 4 scheduled, 5 draft.
			expect(result.items.map((item) => item.id)).toEqual(['5', '4', '3', '2', '1']);
			expect(result.items[0]).toEqual({
				type: type,
				id: '5',
				attributes: stored(five, channel, '5'),
				links: { self: `${five.sandbox.url}${path}/5` },
			});
		});
	});

	it('rejects an unknown sort direction before any request', async () => {
		const result = await fx().run({
			parameters: getAll({ returnAll: true, sort: { rule: [{ attribute: 'date', direction: '={{ "newest" }}' }] } }),
		});
		expectInputError(fx(), result, 'Sort', 'direction "newest" is not "asc" or "desc"');
	});
}

function getRecipientsCases(fx: () => Fixture, channel: Channel) {
	const { path, label } = channel;
	const getRecipients = (extra: INodeParameters) => mailing(channel, 'getRecipients', extra);

	it('Return All lists every recipient over several pages', async () => {
		await withFixture({ seed: { customers: 30 } }, { pageSize: 4 }, async (small) => {
			const result = await small.ok(getRecipients({ mailingId: rl('1', 'list'), returnAll: true }));
			expect(small.requests({ method: 'GET' }).map((entry) => [entry.path, entry.query])).toEqual([
				[`${path}/1/customers`, { 'page[number]': '1', 'page[size]': '4' }],
				[`${path}/1/customers`, { 'page[number]': '2', 'page[size]': '4' }],
				[`${path}/1/customers`, { 'page[number]': '3', 'page[size]': '4' }],
			]);
			// Seeded customers n received mailing m when n % 3 === m % 3: 1, 4, ... 28.
			const numbers = Array.from({ length: 10 }, (_, index) => 1 + 3 * index);
			expect(result.items.map((item) => item.id)).toEqual(numbers.map(String));
			result.items.forEach((item, index) => {
				const n = numbers[index];
				expect(item).toEqual({
					id: String(n),
					type: 'mailing-customer',
					local_id: `C-${String(n).padStart(5, '0')}`,
					email: `customer${n}@example.com`,
					status: expect.any(String),
				});
				expect(RECIPIENT_STATUSES).toContain(item.status);
			});
		});
	});

	it('Limit and sort: exactly Limit recipients in the requested order', async () => {
		const result = await fx().ok(
			getRecipients({ mailingId: rl('2'), returnAll: false, limit: 3, sort: { rule: [{ attribute: 'local_id', direction: 'desc' }] } }),
		);
		const [page] = apiRequests(fx());
		expect(page.path).toBe(`${path}/2/customers`);
		expect(page.query['page[size]']).toBe('3');
		expect(JSON.parse(page.query.sort)).toEqual([{ attribute: 'local_id', direction: 'desc' }]);
		expect(result.items.map((item) => item.local_id)).toEqual(['C-00029', 'C-00026', 'C-00023']);
	});

	it('returns the raw recipients when not simplified, and nothing for a mailing not sent yet', async () => {
		await withFixture({ seed: { customers: 30, [channel.store]: 4 } }, {}, async (four) => {
			const raw = await four.ok(getRecipients({ mailingId: rl('3'), returnAll: false, limit: 1, simplify: false }));
			expect(raw.items).toEqual([
				{
					type: 'mailing-customer',
					id: '3',
					attributes: { local_id: 'C-00003', email: 'customer3@example.com', status: expect.any(String) },
					links: { self: `${four.sandbox.url}/customer/C-00003` },
				},
			]);
			// Mailing 4 is only scheduled: no recipients, one request, no error.
			const none = await four.ok(getRecipients({ mailingId: rl('4'), returnAll: true }));
			expect(none.items).toEqual([]);
			expect(four.requests({ method: 'GET', path: `${path}/4/customers` })).toHaveLength(1);
		});
	});

	it('fails with the API\'s 404 for an unknown mailing', async () => {
		const result = await fx().run({ parameters: getRecipients({ mailingId: rl('42'), returnAll: true }) });
		expect(result.error?.message).toMatch(/^Loymax SC error: Not Found \(.+ "[^"]+"\)$/);
		expect(result.error?.httpCode).toBe('404');
	});

	it('rejects an ID that is not a number and a limit below 1 before any request', async () => {
		const notANumber = await fx().run({ parameters: getRecipients({ mailingId: rl('={{ "first" }}'), returnAll: true }) });
		expectInputError(fx(), notANumber, label, '"first" is not a Loymax SC ID (a number)');
		const badLimit = await fx().run({ parameters: getRecipients({ mailingId: rl('1'), returnAll: false, limit: '={{ 2.5 }}' }) });
		expectInputError(fx(), badLimit, 'Limit', '2.5 is not a whole number of at least 1');
	});
}

describeOperation('emailMailing', 'get', (fx) => getCases(fx, channels.email));
describeOperation('emailMailing', 'getAll', (fx) => getAllCases(fx, channels.email));
describeOperation('emailMailing', 'getRecipients', (fx) => getRecipientsCases(fx, channels.email));

describeOperation('smsMailing', 'get', (fx) => getCases(fx, channels.sms));
describeOperation('smsMailing', 'getAll', (fx) => {
	getAllCases(fx, channels.sms);

	it('arrives at a normalised path even when the Base URL ends with slashes', async () => {
		fx().engine.setCredential({ baseUrl: `${fx().sandbox.url}//` });
		const result = await fx().ok(mailing(channels.sms, 'getAll', { returnAll: false, limit: 1 }));
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.status])).toEqual([['GET', '/communication/sms', 200]]);
		expect(result.items).toEqual([{ id: '1', type: 'sms-mailing', ...fx().sandbox.store.smsMailings.get('1')!.attributes }]);
	});
});
describeOperation('smsMailing', 'getRecipients', (fx) => getRecipientsCases(fx, channels.sms));

describeOperation('pushMailing', 'get', (fx) => getCases(fx, channels.push));
describeOperation('pushMailing', 'getAll', (fx) => getAllCases(fx, channels.push));
describeOperation('pushMailing', 'getRecipients', (fx) => getRecipientsCases(fx, channels.push));

describeOperation('pushMailing', 'setMessageState', (fx) => {
	const state = (extra: INodeParameters = {}) =>
		mailing(channels.push, 'setMessageState', { deviceId: 'device-42', state: 'Read', messageId: 'msg-1', ...extra });

	it('reports a state with the device ID in the device_id header', async () => {
		const result = await fx().ok(state({ additionalFields: { sourceCode: 7 } }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['POST', '/communication/push/state', 200]]);
		expect(requests[0].headers.deviceId).toBe('device-42');
		expect(requests[0].body).toEqual({ data: { attributes: { state: 'Read', message_id: 'msg-1', source_code: 7 } } });
		expect(fx().sandbox.store.pushStates).toEqual([{ state: 'Read', message_id: 'msg-1', source_code: 7, device_id: 'device-42' }]);
		expect(result.items).toHaveLength(1);
		expect(result.items[0]).toMatchObject({ status: 'success' });
	});

	it('sends the field whose name the docs lost through Custom Attributes; the API takes one such field', async () => {
		await fx().ok(state({ customAttributes: { attribute: [{ name: 'client_id', value: 'C-00001' }] } }));
		expect(sentAttributes(fx().requests({ method: 'POST', path: '/communication/push/state' })[0])).toEqual({ state: 'Read', message_id: 'msg-1', client_id: 'C-00001' });
		expect(fx().sandbox.store.pushStates).toEqual([{ state: 'Read', message_id: 'msg-1', source_code: '', client_id: 'C-00001', device_id: 'device-42' }]);
		// The docs list one unnamed field, not two.
		const two = await fx().run({
			parameters: state({ customAttributes: { attribute: [{ name: 'client_id', value: 'C-1' }, { name: 'token', value: 't' }] } }),
		});
		expect([two.error?.httpCode, two.error?.description]).toEqual(['422', expect.stringContaining('token: unknown field')]);
	});

	it('acknowledges with the keys it sent, so that each item says which message it was about', async () => {
		const result = await fx().ok(state({ deviceId: '={{ $json.device }}', messageId: '={{ $json.message }}', state: 'Delivered' }), [
			{ device: 'd-1', message: 'm-1' },
			{ device: 'd-2', message: 'm-2' },
		]);
		expect(
			fx()
				.requests({ method: 'POST', path: '/communication/push/state' })
				.map((entry) => [entry.headers.deviceId, sentAttributes(entry)]),
		).toEqual([
			['d-1', { state: 'Delivered', message_id: 'm-1' }],
			['d-2', { state: 'Delivered', message_id: 'm-2' }],
		]);
		expect(result.items).toEqual([
			expect.objectContaining({ status: 'success', message_id: 'm-1' }),
			expect.objectContaining({ status: 'success', message_id: 'm-2' }),
		]);
	});

	it('sends a flat body when the credential asks for it, and the flat API accepts it', async () => {
		await withFixture({ envelope: 'flat' }, { bodyFormat: 'flat' }, async (flat) => {
			await flat.ok(state({ state: 'Delivered' }));
			const [post] = flat.requests({ method: 'POST', path: '/communication/push/state' });
			expect(post.body).toEqual({ state: 'Delivered', message_id: 'msg-1' });
			expect(post.status).toBe(200);
			expect(flat.sandbox.store.pushStates).toEqual([{ state: 'Delivered', message_id: 'msg-1', source_code: '', device_id: 'device-42' }]);
		});
	});

	it('rejects an unknown state, a missing device ID or message ID and a bad source code before any request', async () => {
		const reject = async (extra: INodeParameters) => fx().run({ parameters: state(extra) });
		expectInputError(fx(), await reject({ state: '={{ "Seen" }}' }), 'State', '"Seen" is not one of "Delivered", "Read"');
		expectInputError(fx(), await reject({ deviceId: '={{ "" }}' }), 'Device ID', 'a value is required');
		expectInputError(fx(), await reject({ messageId: '={{ $json.message }}' }), 'Message ID', 'a value is required');
		expectInputError(fx(), await reject({ additionalFields: { sourceCode: '={{ "web" }}' } }), 'Source Code', '"web" is not a number');
		expectInputError(fx(), await reject({ additionalFields: { sourceCode: 1.5 } }), 'Source Code', '1.5 is not a whole number');
	});
});
