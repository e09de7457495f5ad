import type { INodeParameters } from 'n8n-workflow';

import { apiRequests, describeOperation, expectInputError, rl, withFixture } from '../harness/operation';

const poll = (operation: string, extra: INodeParameters = {}): INodeParameters => ({ resource: 'poll', operation, ...extra });

const QUESTIONS = [
	{ id: 1, text: 'How satisfied are you?', type: 'rating', options: ['1', '2', '3', '4', '5'] },
	{ id: 2, text: 'Would you recommend us?', type: 'single', options: ['Yes', 'No'] },
];

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
		expect(result.error?.message).toMatch(/^Loymax SC error: Not Found \(.+ "[^"]+"\)$/);
		expect(result.error?.httpCode).toBe('404');
		expect(apiRequests(fx()).map((entry) => [entry.path, entry.status])).toEqual([['/communication/poll/99', 404]]);
	});

	it('rejects an ID that is not a number, and a missing one, before any request', async () => {
		const reject = async (pollId: INodeParameters[string]) => fx().run({ parameters: poll('get', { pollId }) });
		expectInputError(fx(), await reject(rl('Poll 1', 'list')), 'Poll', '"Poll 1" is not a Loymax SC ID (a number)');
		expectInputError(fx(), await reject(rl('={{ "-1" }}')), 'Poll', '"-1" is not a Loymax SC ID (a number)');
		expectInputError(fx(), await reject(rl('={{ "" }}')), 'Poll', 'a value is required');
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
		const result = await fx().run({
			parameters: poll('getAll', { returnAll: true, sort: { rule: [{ attribute: 'name', direction: '={{ "DESC" }}' }] } }),
		});
		expectInputError(fx(), result, 'Sort', 'direction "DESC" is not "asc" or "desc"');
	});
});
