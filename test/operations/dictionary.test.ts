import type { INodeParameters } from 'n8n-workflow';

import { createFixture, sentAttributes, type Fixture } from '../harness/fixture';
import { apiRequests, describeOperation } from '../harness/operation';
import type { SandboxOptions } from '../sandbox';

const dictionary = (operation: string, extra: INodeParameters = {}): INodeParameters => ({ resource: 'dictionary', operation, ...extra });
const rl = (value: string, mode: 'id' | 'list' = 'id') => ({ __rl: true, mode, value });

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

describeOperation('dictionary', 'create', (fx) => {
	it('creates a dictionary as application/json in the envelope and returns it', async () => {
		const result = await fx().ok(dictionary('create', { name: 'Colours', code: 'colours' }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.headers.contentType, entry.status])).toEqual([
			['POST', '/dictionary', 'application/json', 201],
		]);
		expect(requests[0].body).toEqual({ data: { attributes: { name: 'Colours', code: 'colours' } } });
		expect(result.items).toEqual([{ id: '3', type: 'dictionary', name: 'Colours', code: 'colours', local_id: '', is_system: 'N' }]);
		expect(fx().sandbox.store.dictionaries.get(3)?.attributes).toMatchObject({ name: 'Colours', code: 'colours' });
	});

	it('returns the raw JSON:API resource when not simplified', async () => {
		const result = await fx().ok(dictionary('create', { name: 'Sizes', code: 'sizes', simplify: false }));
		expect(result.items).toEqual([{ type: 'dictionary', id: '3', attributes: { name: 'Sizes', code: 'sizes', local_id: '', is_system: 'N' } }]);
	});

	it('surfaces the API\'s 422 for a code already taken, naming the field', async () => {
		const result = await fx().run({ parameters: dictionary('create', { name: 'Again', code: 'dict2' }) });
		expect(result.error?.message).toBe('Loymax SC error: Validation Failed (code: has already been taken)');
		expect(result.error?.httpCode).toBe('422');
		expect(result.error?.description).toBe('code: has already been taken');
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.status])).toEqual([['POST', 422]]);
		expect(fx().sandbox.store.dictionaries.size).toBe(2);
	});

	it('does not repeat a create after a server error: a repeat could create a duplicate', async () => {
		fx().sandbox.inject({ kind: 'status', status: 503, match: { method: 'POST', path: '/dictionary' } });
		const result = await fx().run({ parameters: dictionary('create', { name: 'Once', code: 'once' }) });
		expect(result.error?.message).toMatch(/^Loymax SC answered with HTTP 503/);
		expect(result.error?.description).toMatch(/not repeated/);
		expect(fx().requests({ method: 'POST', path: '/dictionary' })).toHaveLength(1);
	});

	it('sends a flat body when the credential asks for it, and the flat API accepts it', async () => {
		await withFixture({ envelope: 'flat' }, { bodyFormat: 'flat' }, async (flat) => {
			const result = await flat.ok(dictionary('create', { name: 'Flat', code: 'flat' }));
			const [post] = flat.requests({ method: 'POST', path: '/dictionary' });
			expect(post.body).toEqual({ name: 'Flat', code: 'flat' });
			expect(post.status).toBe(201);
			expect(result.items[0]).toMatchObject({ type: 'dictionary', name: 'Flat', code: 'flat' });
		});
	});

	it('fails clearly when the instance expects flat bodies and the credential sends the envelope', async () => {
		await withFixture({ envelope: 'flat' }, {}, async (flat) => {
			const result = await flat.run({ parameters: dictionary('create', { name: 'Wrapped', code: 'wrapped' }) });
			expect(result.error?.message).toMatch(/^Loymax SC error: Invalid request body \(body: expected a flat JSON object/);
			expect(result.error?.httpCode).toBe('400');
			expect(result.error?.description).toContain('expected a flat JSON object of attributes');
			expect(flat.sandbox.store.dictionaries.size).toBe(2);
		});
	});

	it('rejects a missing name or code before any request', async () => {
		await expectInputError(fx(), dictionary('create', { name: '={{ $json.name }}', code: 'c' }), 'Name', 'a value is required');
		await expectInputError(fx(), dictionary('create', { name: 'N', code: '={{ "  " }}' }), 'Code', 'a value is required');
	});
});

describeOperation('dictionary', 'update', (fx) => {
	it('keeps fields not set by default: reads the dictionary, then sends the merged record', async () => {
		const result = await fx().ok(dictionary('update', { dictionaryId: rl('2', 'list'), updateFields: { localId: 'EXT-2' } }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
			['GET', '/dictionary/2', 200],
			['PATCH', '/dictionary/2', 200],
		]);
		expect(sentAttributes(requests[1])).toMatchObject({ name: 'Dictionary 2', code: 'dict2', local_id: 'EXT-2' });
		expect(result.items).toEqual([{ id: '2', type: 'dictionary', name: 'Dictionary 2', code: 'dict2', local_id: 'EXT-2', is_system: 'N' }]);
		expect(fx().sandbox.store.dictionaries.get(2)?.attributes).toMatchObject({ name: 'Dictionary 2', code: 'dict2', local_id: 'EXT-2' });
	});

	it('with "Keep Fields Not Set" off sends only the given fields, without reading first', async () => {
		const result = await fx().ok(dictionary('update', { dictionaryId: rl('2'), updateFields: { name: 'Only name' }, keepUnsetFields: false }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path])).toEqual([['PATCH', '/dictionary/2']]);
		expect(sentAttributes(requests[0])).toEqual({ name: 'Only name' });
		// The API replaces the record: the code not sent is emptied.
		expect(result.items[0]).toMatchObject({ id: '2', name: 'Only name', code: '' });
	});

	it('surfaces the API\'s 422 when the new code belongs to another dictionary', async () => {
		const result = await fx().run({ parameters: dictionary('update', { dictionaryId: rl('2'), updateFields: { code: 'dict1' } }) });
		expect(result.error?.message).toBe('Loymax SC error: Validation Failed (code: has already been taken)');
		expect(result.error?.description).toBe('code: has already been taken');
		expect(fx().sandbox.store.dictionaries.get(2)?.attributes.code).toBe('dict2');
	});

	it('fails with the API\'s 404 for an unknown dictionary, without sending the update', async () => {
		const result = await fx().run({ parameters: dictionary('update', { dictionaryId: rl('12'), updateFields: { name: 'X' } }) });
		expect(result.error?.message).toBe('Loymax SC error: Not Found');
		expect(result.error?.httpCode).toBe('404');
		expect(apiRequests(fx()).map((entry) => entry.method)).toEqual(['GET']);
	});

	it('rejects a body without the required name and an ID that is not a number, before any request', async () => {
		await expectInputError(
			fx(),
			dictionary('update', { dictionaryId: rl('2'), updateFields: { code: 'new' }, keepUnsetFields: false }),
			'Name',
			'a value is required (the API rejects the record without it)',
		);
		await expectInputError(
			fx(),
			dictionary('update', { dictionaryId: rl('dict2', 'list'), updateFields: { name: 'X' } }),
			'Dictionary',
			'"dict2" is not a Loymax SC ID (a number)',
		);
	});
});

describeOperation('dictionary', 'get', (fx) => {
	it('reads a dictionary by ID', async () => {
		const result = await fx().ok(dictionary('get', { dictionaryId: rl('1') }));
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.status])).toEqual([['GET', '/dictionary/1', 200]]);
		expect(result.items).toEqual([{ id: '1', type: 'dictionary', name: 'Dictionary 1', code: 'dict1', local_id: '', is_system: 'Y' }]);
	});

	it('returns the raw JSON:API resource when not simplified', async () => {
		const result = await fx().ok(dictionary('get', { dictionaryId: rl('2', 'list'), simplify: false }));
		expect(result.items).toEqual([{ type: 'dictionary', id: '2', attributes: { name: 'Dictionary 2', code: 'dict2', local_id: '', is_system: 'N' } }]);
	});

	it('fails with the API\'s 404 for an unknown dictionary', async () => {
		const result = await fx().run({ parameters: dictionary('get', { dictionaryId: rl('3') }) });
		expect(result.error?.message).toBe('Loymax SC error: Not Found');
		expect(result.error?.httpCode).toBe('404');
	});

	it('rejects an ID that is not a number before any request', async () => {
		await expectInputError(fx(), dictionary('get', { dictionaryId: rl('={{ "2; DROP" }}') }), 'Dictionary', '"2; DROP" is not a Loymax SC ID (a number)');
	});
});

describeOperation('dictionary', 'getAll', (fx) => {
	it('Return All follows the pages with the credential\'s page size, the same sort on every page', async () => {
		await withFixture({ seed: { dictionaries: 5 } }, { pageSize: 2 }, async (small) => {
			const result = await small.ok(dictionary('getAll', { returnAll: true, sort: { rule: [{ attribute: 'name', direction: 'desc' }] } }));
			const sort = JSON.stringify([{ attribute: 'name', direction: 'desc' }]);
			expect(small.requests({ method: 'GET' }).map((entry) => [entry.path, entry.query])).toEqual([
				['/dictionary', { 'page[number]': '1', 'page[size]': '2', sort }],
				['/dictionary', { 'page[number]': '2', 'page[size]': '2', sort }],
				['/dictionary', { 'page[number]': '3', 'page[size]': '2', sort }],
			]);
			expect(result.items.map((item) => [item.id, item.code])).toEqual([5, 4, 3, 2, 1].map((d) => [String(d), `dict${d}`]));
		});
	});

	it('Limit and sort: exactly Limit dictionaries in the requested order, raw when not simplified', async () => {
		const result = await fx().ok(
			dictionary('getAll', { returnAll: false, limit: 1, sort: { rule: [{ attribute: 'code', direction: 'desc' }] }, simplify: false }),
		);
		const [page] = apiRequests(fx());
		expect(page.query['page[size]']).toBe('1');
		expect(JSON.parse(page.query.sort)).toEqual([{ attribute: 'code', direction: 'desc' }]);
		expect(result.items).toEqual([
			{
				type: 'dictionary',
				id: '2',
				attributes: { name: 'Dictionary 2', code: 'dict2', local_id: '', is_system: 'N' },
				links: { self: `${fx().sandbox.url}/dictionary/2` },
			},
		]);
	});

	it('rejects an unknown sort direction before any request', async () => {
		await expectInputError(
			fx(),
			dictionary('getAll', { returnAll: true, sort: { rule: [{ attribute: 'name', direction: '={{ "z-a" }}' }] } }),
			'Sort',
			'direction "z-a" is not "asc" or "desc"',
		);
	});
});

describeOperation('dictionary', 'delete', (fx) => {
	it('deletes a dictionary: 204 from the API, an acknowledgement with the ID, gone from the store', async () => {
		const result = await fx().ok(dictionary('delete', { dictionaryId: rl('2', 'list') }));
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.status])).toEqual([['DELETE', '/dictionary/2', 204]]);
		expect(result.items).toEqual([{ deleted: true, dictionary_id: '2' }]);
		expect(fx().sandbox.store.dictionaries.has(2)).toBe(false);
	});

	it('surfaces the API\'s 403 for a system dictionary and leaves it in place', async () => {
		const result = await fx().run({ parameters: dictionary('delete', { dictionaryId: rl('1') }) });
		expect(result.error?.message).toBe('Loymax SC error: Forbidden (id: system dictionaries cannot be deleted)');
		expect(result.error?.httpCode).toBe('403');
		expect(result.error?.description).toBe('id: system dictionaries cannot be deleted');
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.status])).toEqual([['DELETE', 403]]);
		expect(fx().sandbox.store.dictionaries.has(1)).toBe(true);
	});

	it('fails with the API\'s 404 for an unknown dictionary', async () => {
		const result = await fx().run({ parameters: dictionary('delete', { dictionaryId: rl('8') }) });
		expect(result.error?.message).toBe('Loymax SC error: Not Found');
		expect(result.error?.httpCode).toBe('404');
	});

	it('with Continue On Fail, outputs the API error for the failing item and goes on', async () => {
		const result = await fx().run({
			parameters: dictionary('delete', { dictionaryId: rl('={{ $json.id }}') }),
			items: [{ id: '1' }, { id: '2' }],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([
			{ error: 'Loymax SC error: Forbidden (id: system dictionaries cannot be deleted)', details: 'id: system dictionaries cannot be deleted' },
			{ deleted: true, dictionary_id: '2' },
		]);
		expect(result.raw.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('rejects an ID that is not a number, and a missing one, before any request', async () => {
		await expectInputError(fx(), dictionary('delete', { dictionaryId: rl('dict2', 'list') }), 'Dictionary', '"dict2" is not a Loymax SC ID (a number)');
		await expectInputError(fx(), dictionary('delete', { dictionaryId: rl('={{ $json.id }}') }), 'Dictionary', 'a value is required');
	});
});
