import type { INodeParameters } from 'n8n-workflow';

import { createFixture, sentAttributes, type Fixture } from '../harness/fixture';
import { apiRequests, describeOperation } from '../harness/operation';
import type { SandboxOptions } from '../sandbox';

const RESOURCE = 'pushMailing';
const PATH = '/communication/push';
const TYPE = 'push-mailing';
const LABEL = 'Push Mailing';
const NAME = 'Push mailing';

const mailing = (operation: string, extra: INodeParameters = {}): INodeParameters => ({ resource: RESOURCE, operation, ...extra });
const rl = (value: string, mode: 'id' | 'list' = 'id') => ({ __rl: true, mode, value });
const RECIPIENT_STATUSES = ['delivered', 'opened', 'clicked', 'bounced'];

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

describeOperation('pushMailing', 'get', (fx) => {
	it('reads a mailing with its statistics, chosen by ID or from the list', async () => {
		const byId = await fx().ok(mailing('get', { mailingId: rl('2') }));
		const fromList = await fx().ok(mailing('get', { mailingId: rl('1', 'list') }));
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.query, entry.status])).toEqual([
			['GET', `${PATH}/2`, {}, 200],
			['GET', `${PATH}/1`, {}, 200],
		]);
		const stored = fx().sandbox.store.pushMailings.get('2')!.attributes;
		expect(byId.items).toEqual([{ id: '2', type: TYPE, ...stored }]);
		expect(byId.items[0]).toMatchObject({ name: `${NAME} 2`, subject: 'Subject 2', status: 'sent', sent: 10, delivered: 9, opened: 5, clicked: 1 });
		expect(fromList.items[0]).toMatchObject({ id: '1', type: TYPE, name: `${NAME} 1` });
	});

	it('returns the raw JSON:API resource when not simplified', async () => {
		const result = await fx().ok(mailing('get', { mailingId: rl('3'), simplify: false }));
		expect(result.items).toEqual([{ type: TYPE, id: '3', attributes: fx().sandbox.store.pushMailings.get('3')!.attributes }]);
	});

	it('fails with the API\'s 404 for an unknown mailing', async () => {
		const result = await fx().run({ parameters: mailing('get', { mailingId: rl('99') }) });
		expect(result.error?.message).toBe('Loymax SC error: Not Found');
		expect(result.error?.httpCode).toBe('404');
		expect(apiRequests(fx()).map((entry) => [entry.path, entry.status])).toEqual([[`${PATH}/99`, 404]]);
	});

	it('rejects an ID that is not a number, and a missing one, before any request', async () => {
		await expectInputError(fx(), mailing('get', { mailingId: rl('abc', 'list') }), LABEL, '"abc" is not a Loymax SC ID (a number)');
		await expectInputError(fx(), mailing('get', { mailingId: rl('={{ "7x" }}') }), LABEL, '"7x" is not a Loymax SC ID (a number)');
		await expectInputError(fx(), mailing('get', { mailingId: rl('={{ $json.mailing }}') }), LABEL, 'a value is required');
	});
});

describeOperation('pushMailing', 'getAll', (fx) => {
	it('Return All follows the pages with the credential\'s page size', async () => {
		await withFixture({ seed: { pushMailings: 5 } }, { pageSize: 2 }, async (small) => {
			const result = await small.ok(mailing('getAll', { returnAll: true }));
			expect(small.requests({ method: 'GET' }).map((entry) => [entry.path, entry.query])).toEqual([
				[PATH, { 'page[number]': '1', 'page[size]': '2' }],
				[PATH, { 'page[number]': '2', 'page[size]': '2' }],
				[PATH, { 'page[number]': '3', 'page[size]': '2' }],
			]);
			expect(result.items.map((item) => [item.id, item.type, item.name])).toEqual(
				[1, 2, 3, 4, 5].map((m) => [String(m), TYPE, `${NAME} ${m}`]),
			);
		});
	});

	it('Limit returns exactly that many', async () => {
		const result = await fx().ok(mailing('getAll', { returnAll: false, limit: 2 }));
		expect(result.items.map((item) => item.id)).toEqual(['1', '2']);
		expect(apiRequests(fx()).map((entry) => [entry.path, entry.query])).toEqual([[PATH, { 'page[number]': '1', 'page[size]': '2' }]]);
	});

	it('sends the sort rules as JSON and returns the mailings in that order, raw when not simplified', async () => {
		await withFixture({ seed: { pushMailings: 5 } }, {}, async (five) => {
			const result = await five.ok(
				mailing('getAll', {
					returnAll: true,
					sort: { rule: [{ attribute: 'status', direction: 'asc' }, { attribute: 'id', direction: 'desc' }] },
					simplify: false,
				}),
			);
			const [page] = five.requests({ method: 'GET', path: PATH });
			expect(JSON.parse(page.query.sort)).toEqual([
				{ attribute: 'status', direction: 'asc' },
				{ attribute: 'id', direction: 'desc' },
			]);
			// Seeded statuses: 1-3 sent, 4 scheduled, 5 draft.
			expect(result.items.map((item) => item.id)).toEqual(['5', '4', '3', '2', '1']);
			expect(result.items[0]).toEqual({
				type: TYPE,
				id: '5',
				attributes: five.sandbox.store.pushMailings.get('5')!.attributes,
				links: { self: `${five.sandbox.url}${PATH}/5` },
			});
		});
	});

	it('rejects an unknown sort direction before any request', async () => {
		await expectInputError(
			fx(),
			mailing('getAll', { returnAll: true, sort: { rule: [{ attribute: 'date', direction: '={{ "newest" }}' }] } }),
			'Sort',
			'direction "newest" is not "asc" or "desc"',
		);
	});
});

describeOperation('pushMailing', 'getRecipients', (fx) => {
	it('Return All lists every recipient over several pages', async () => {
		await withFixture({ seed: { customers: 30 } }, { pageSize: 4 }, async (small) => {
			const result = await small.ok(mailing('getRecipients', { mailingId: rl('1', 'list'), returnAll: true }));
			expect(small.requests({ method: 'GET' }).map((entry) => [entry.path, entry.query])).toEqual([
				[`${PATH}/1/customers`, { 'page[number]': '1', 'page[size]': '4' }],
				[`${PATH}/1/customers`, { 'page[number]': '2', 'page[size]': '4' }],
				[`${PATH}/1/customers`, { 'page[number]': '3', 'page[size]': '4' }],
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
			mailing('getRecipients', { mailingId: rl('2'), returnAll: false, limit: 3, sort: { rule: [{ attribute: 'local_id', direction: 'desc' }] } }),
		);
		const [page] = apiRequests(fx());
		expect(page.path).toBe(`${PATH}/2/customers`);
		expect(page.query['page[size]']).toBe('3');
		expect(JSON.parse(page.query.sort)).toEqual([{ attribute: 'local_id', direction: 'desc' }]);
		expect(result.items.map((item) => item.local_id)).toEqual(['C-00029', 'C-00026', 'C-00023']);
	});

	it('returns the raw recipients when not simplified, and nothing for a mailing not sent yet', async () => {
		await withFixture({ seed: { customers: 30, pushMailings: 4 } }, {}, async (four) => {
			const raw = await four.ok(mailing('getRecipients', { mailingId: rl('3'), returnAll: false, limit: 1, simplify: false }));
			expect(raw.items).toEqual([
				{
					type: 'mailing-customer',
					id: '3',
					attributes: { local_id: 'C-00003', email: 'customer3@example.com', status: expect.any(String) },
					links: { self: `${four.sandbox.url}/customer/C-00003` },
				},
			]);
			// Mailing 4 is only scheduled: no recipients, one request, no error.
			const none = await four.ok(mailing('getRecipients', { mailingId: rl('4'), returnAll: true }));
			expect(none.items).toEqual([]);
			expect(four.requests({ method: 'GET', path: `${PATH}/4/customers` })).toHaveLength(1);
		});
	});

	it('fails with the API\'s 404 for an unknown mailing', async () => {
		const result = await fx().run({ parameters: mailing('getRecipients', { mailingId: rl('42'), returnAll: true }) });
		expect(result.error?.message).toBe('Loymax SC error: Not Found');
		expect(result.error?.httpCode).toBe('404');
	});

	it('rejects an ID that is not a number and a limit below 1 before any request', async () => {
		await expectInputError(
			fx(),
			mailing('getRecipients', { mailingId: rl('={{ "first" }}'), returnAll: true }),
			LABEL,
			'"first" is not a Loymax SC ID (a number)',
		);
		await expectInputError(
			fx(),
			mailing('getRecipients', { mailingId: rl('1'), returnAll: false, limit: '={{ 2.5 }}' }),
			'Limit',
			'2.5 is not a whole number of at least 1',
		);
	});
});

describeOperation('pushMailing', 'setMessageState', (fx) => {
	const state = (extra: INodeParameters = {}) =>
		mailing('setMessageState', { deviceId: 'device-42', state: 'Read', messageId: 'msg-1', ...extra });

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
		await expectInputError(fx(), state({ state: '={{ "Seen" }}' }), 'State', '"Seen" is not one of "Delivered", "Read"');
		await expectInputError(fx(), state({ deviceId: '={{ "" }}' }), 'Device ID', 'a value is required');
		await expectInputError(fx(), state({ messageId: '={{ $json.message }}' }), 'Message ID', 'a value is required');
		await expectInputError(fx(), state({ additionalFields: { sourceCode: '={{ "web" }}' } }), 'Source Code', '"web" is not a number');
		await expectInputError(fx(), state({ additionalFields: { sourceCode: 1.5 } }), 'Source Code', '1.5 is not a whole number');
	});
});
