import type { INodeParameters } from 'n8n-workflow';

import { createFixture, type Fixture } from '../harness/fixture';
import { apiRequests, describeOperation } from '../harness/operation';
import type { SandboxOptions } from '../sandbox';

const poll = (operation: string, extra: INodeParameters = {}): INodeParameters => ({ resource: 'poll', operation, ...extra });
const rl = (value: string, mode: 'id' | 'list' = 'id') => ({ __rl: true, mode, value });

const QUESTIONS = [
	{ id: 1, text: 'How satisfied are you?', type: 'rating', options: ['1', '2', '3', '4', '5'] },
	{ id: 2, text: 'Would you recommend us?', type: 'single', options: ['Yes', 'No'] },
];

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

describeOperation('poll', 'get', (fx) => {
	it('reads a poll with its questions, chosen by ID or from the list', async () => {
		const byId = await fx().ok(poll('get', { pollId: rl('2') }));
		const fromList = await fx().ok(poll('get', { pollId: rl('={{ $json.poll }}', 'list') }), [{ poll: 3 }]);
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.status])).toEqual([
			['GET', '/communication/poll/2', 200],
			['GET', '/communication/poll/3', 200],
		]);
		expect(byId.items).toEqual([{ id: '2', type: 'poll', name: 'Poll 2', status: 'closed', questions: QUESTIONS }]);
		expect(fromList.items).toEqual([{ id: '3', type: 'poll', name: 'Poll 3', status: 'active', questions: QUESTIONS }]);
	});

	it('also takes the ID as a plain value or expression instead of a locator object', async () => {
		const result = await fx().ok(poll('get', { pollId: '={{ $json.poll }}' }), [{ poll: '1' }, { poll: 2 }]);
		expect(apiRequests(fx()).map((entry) => entry.path)).toEqual(['/communication/poll/1', '/communication/poll/2']);
		expect(result.items.map((item) => item.name)).toEqual(['Poll 1', 'Poll 2']);
	});

	it('returns the raw JSON:API resource when not simplified', async () => {
		const result = await fx().ok(poll('get', { pollId: rl('1'), simplify: false }));
		expect(result.items).toEqual([{ type: 'poll', id: '1', attributes: { name: 'Poll 1', status: 'active', questions: QUESTIONS } }]);
	});

	it('fails with the API\'s 404 for an unknown poll', async () => {
		const result = await fx().run({ parameters: poll('get', { pollId: rl('99') }) });
		expect(result.error?.message).toBe('Loymax SC error: Not Found');
		expect(result.error?.httpCode).toBe('404');
		expect(apiRequests(fx()).map((entry) => [entry.path, entry.status])).toEqual([['/communication/poll/99', 404]]);
	});

	it('rejects an ID that is not a number, and a missing one, before any request', async () => {
		await expectInputError(fx(), poll('get', { pollId: rl('Poll 1', 'list') }), 'Poll', '"Poll 1" is not a Loymax SC ID (a number)');
		await expectInputError(fx(), poll('get', { pollId: rl('={{ "-1" }}') }), 'Poll', '"-1" is not a Loymax SC ID (a number)');
		await expectInputError(fx(), poll('get', { pollId: rl('={{ "" }}') }), 'Poll', 'a value is required');
	});
});

describeOperation('poll', 'getAll', (fx) => {
	it('Return All follows the pages with the credential\'s page size', async () => {
		await withFixture({}, { pageSize: 2 }, async (small) => {
			const result = await small.ok(poll('getAll', { returnAll: true }));
			expect(small.requests({ method: 'GET' }).map((entry) => [entry.path, entry.query])).toEqual([
				['/communication/poll', { 'page[number]': '1', 'page[size]': '2' }],
				['/communication/poll', { 'page[number]': '2', 'page[size]': '2' }],
			]);
			expect(result.items).toEqual([1, 2, 3].map((m) => ({ id: String(m), type: 'poll', name: `Poll ${m}`, status: m % 2 ? 'active' : 'closed', questions: QUESTIONS })));
		});
	});

	it('Limit returns exactly that many, raw when not simplified', async () => {
		const result = await fx().ok(poll('getAll', { returnAll: false, limit: 1, simplify: false }));
		expect(apiRequests(fx()).map((entry) => entry.query)).toEqual([{ 'page[number]': '1', 'page[size]': '1' }]);
		expect(result.items).toEqual([
			{
				type: 'poll',
				id: '1',
				attributes: { name: 'Poll 1', status: 'active', questions: QUESTIONS },
				links: { self: `${fx().sandbox.url}/communication/poll/1` },
			},
		]);
	});

	it('sends the sort rules as JSON and returns the polls in that order', async () => {
		const result = await fx().ok(
			poll('getAll', { returnAll: true, sort: { rule: [{ attribute: 'status', direction: 'desc' }, { attribute: 'name', direction: 'desc' }] } }),
		);
		expect(JSON.parse(apiRequests(fx())[0].query.sort)).toEqual([
			{ attribute: 'status', direction: 'desc' },
			{ attribute: 'name', direction: 'desc' },
		]);
		expect(result.items.map((item) => item.name)).toEqual(['Poll 2', 'Poll 3', 'Poll 1']);
	});

	it('rejects an unknown sort direction before any request', async () => {
		await expectInputError(
			fx(),
			poll('getAll', { returnAll: true, sort: { rule: [{ attribute: 'name', direction: '={{ "DESC" }}' }] } }),
			'Sort',
			'direction "DESC" is not "asc" or "desc"',
		);
	});
});
