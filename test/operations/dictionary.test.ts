import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { sentAttributes, type Fixture } from '../harness/fixture';
import { apiRequests, describeOperation, expectInputError, rl, withFixture } from '../harness/operation';

/**
 * Dictionaries and dictionary items: the node builds both resources from one definition, one level
 * apart in the path (nodes/LoymaxSc/resources/dictionary), so they share their cases here, one table
 * entry per level; the cases only one of them has stay in its own blocks.
 */
interface Level {
	resource: 'dictionary' | 'dictionaryItem';
	noun: 'dictionary' | 'item';
	aNoun: 'a dictionary' | 'an item';
	type: 'dictionary' | 'dictionary-item';
	store: 'dictionaries' | 'dictionaryItems';
	/** The record's locator parameter, and its label in input errors. */
	id: { param: 'dictionaryId' | 'itemId'; label: 'Dictionary' | 'Item' };
	/** Parameters every call has (items: those of dictionary 2, unless a case names another). */
	base: INodeParameters;
	/** The collection of `base`, and the Platform ids of its seeded records. */
	path: string;
	ids: number[];
	/** Attributes of seeded record `id`. */
	seeded: (id: number) => IDataObject;
	/** Platform id of the next record created. */
	nextId: number;
	/** What the platform adds to a new record. */
	computed: IDataObject;
	/** Attributes the platform computes: an update never sends them back. */
	readOnly: string[];
	/** One Update Field, and the attribute it sets. */
	change: { field: string; attribute: string; value: string };
	/** Parameters of an update without reading first that leave out the name the API requires. */
	nameless: INodeParameters;
	/** Delete's acknowledgement of record `id`. */
	deleted: (id: number) => IDataObject;
}

const DICTIONARY: Level = {
	resource: 'dictionary',
	noun: 'dictionary',
	aNoun: 'a dictionary',
	type: 'dictionary',
	store: 'dictionaries',
	id: { param: 'dictionaryId', label: 'Dictionary' },
	base: {},
	path: '/dictionary',
	// Dictionary 1 is a system dictionary.
	ids: [1, 2],
	seeded: (d) => ({ name: `Dictionary ${d}`, code: `dict${d}`, local_id: `DICT-0000${d}`, is_system: d === 1 ? 'Y' : 'N' }),
	nextId: 3,
	computed: { local_id: '', is_system: 'N' },
	readOnly: ['is_system'],
	change: { field: 'localId', attribute: 'local_id', value: 'EXT-2' },
	nameless: { updateFields: { code: 'new', localId: 'EXT-2' } },
	deleted: (d) => ({ deleted: true, dictionary_id: String(d) }),
};

const ITEM: Level = {
	resource: 'dictionaryItem',
	noun: 'item',
	aNoun: 'an item',
	type: 'dictionary-item',
	store: 'dictionaryItems',
	id: { param: 'itemId', label: 'Item' },
	base: { dictionaryId: rl('2', 'list') },
	path: '/dictionary/2/item',
	// Seeded items have global Platform ids: dictionary d holds items 3d-2, 3d-1 and 3d.
	ids: [4, 5, 6],
	seeded: (id) => {
		const k = ((id - 1) % 3) + 1;
		const d = Math.floor((id - 1) / 3) + 1;
		return { dictionary_id: d, name: `Item ${k}`, code: `item${k}`, value: `value ${d}.${k}` };
	},
	nextId: 7,
	computed: { dictionary_id: 2 },
	readOnly: ['dictionary_id'],
	change: { field: 'name', attribute: 'name', value: 'Renamed' },
	nameless: { customAttributes: { attribute: [{ name: 'value', value: 'v' }] } },
	deleted: (id) => ({ deleted: true, dictionary_id: '2', item_id: String(id) }),
};

const params = (level: Level, operation: string, extra: INodeParameters = {}): INodeParameters => ({
	resource: level.resource,
	operation,
	...level.base,
	...extra,
});
const simplified = (level: Level, id: number) => ({ id: String(id), type: level.type, ...level.seeded(id) });
const without = (attributes: IDataObject, keys: string[]) => Object.fromEntries(Object.entries(attributes).filter(([key]) => !keys.includes(key)));

function createCases(fx: () => Fixture, level: Level) {
	const { path, type } = level;
	const create = (extra: INodeParameters) => params(level, 'create', extra);

	it(`creates ${level.aNoun} from name and code only, as application/json in the envelope, and returns it`, async () => {
		const sent = { name: 'Red', code: 'red' };
		const attributes = { ...level.computed, ...sent };
		// The POST lists name* and code* and allows nothing else: custom attributes of an old workflow are not sent.
		const result = await fx().ok(create({ name: 'Red', code: 'red', customAttributes: { attribute: [{ name: 'value', value: '#f00' }] } }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.headers.contentType, entry.status])).toEqual([
			['POST', path, 'application/json', 201],
		]);
		expect(requests[0].body).toEqual({ data: { attributes: sent } });
		expect(result.items).toEqual([{ id: String(level.nextId), type, ...attributes }]);
		expect(fx().sandbox.store[level.store].get(level.nextId)?.attributes).toEqual(attributes);
	});

	it('sends a flat body when the credential asks for it, and the flat API accepts it', async () => {
		await withFixture({ envelope: 'flat' }, { bodyFormat: 'flat' }, async (flat) => {
			const result = await flat.ok(create({ name: 'Flat', code: 'flat' }));
			const [post] = flat.requests({ method: 'POST', path });
			expect(post.body).toEqual({ name: 'Flat', code: 'flat' });
			expect(post.status).toBe(201);
			expect(result.items[0]).toMatchObject({ type, ...level.computed, name: 'Flat', code: 'flat' });
		});
	});

	it('rejects a missing name or code before any request', async () => {
		const reject = async (extra: INodeParameters) => fx().run({ parameters: create(extra) });
		expectInputError(fx(), await reject({ name: '={{ $json.name }}', code: 'c' }), 'Name', 'a value is required');
		expectInputError(fx(), await reject({ name: 'N', code: '={{ "  " }}' }), 'Code', 'a value is required');
		expectInputError(fx(), await reject({ name: 'N', code: '={{ "" }}' }), 'Code', 'a value is required');
	});
}

function updateCases(fx: () => Fixture, level: Level) {
	const { path, type, change } = level;
	const id = level.ids[1];
	const update = (extra: INodeParameters) => params(level, 'update', extra);

	it(`keeps fields not set by default: reads the ${level.noun}, then sends the merged record`, async () => {
		const merged = { ...level.seeded(id), [change.attribute]: change.value };
		const result = await fx().ok(update({ [level.id.param]: rl(String(id), 'list'), updateFields: { [change.field]: change.value } }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
			['GET', `${path}/${id}`, 200],
			['PATCH', `${path}/${id}`, 200],
		]);
		// Everything read goes back, but for the attributes the platform computes.
		expect(sentAttributes(requests[1])).toEqual(without(merged, level.readOnly));
		expect(result.items).toEqual([{ id: String(id), type, ...merged }]);
		expect(fx().sandbox.store[level.store].get(id)?.attributes).toEqual(merged);
	});

	it(`rejects a body without the required name and ${level.aNoun} ID that is not a number, before any request`, async () => {
		const nameless = await fx().run({ parameters: update({ [level.id.param]: rl(String(id)), ...level.nameless, keepUnsetFields: false }) });
		expectInputError(fx(), nameless, 'Name', 'a value is required (the API rejects the record without it)');
		// The code is what one might pick by mistake.
		const code = String(level.seeded(id).code);
		const byCode = await fx().run({ parameters: update({ [level.id.param]: rl(code, 'list'), updateFields: { name: 'X' } }) });
		expectInputError(fx(), byCode, level.id.label, `"${code}" is not a Loymax SC ID (a number)`);
	});
}

function getCases(fx: () => Fixture, level: Level) {
	const get = (extra: INodeParameters) => params(level, 'get', extra);

	it(`reads ${level.aNoun} by ID`, async () => {
		const id = level.ids[0];
		const result = await fx().ok(get({ [level.id.param]: rl(String(id)) }));
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.status])).toEqual([['GET', `${level.path}/${id}`, 200]]);
		expect(result.items).toEqual([simplified(level, id)]);
	});

	it('rejects an ID that is not a number before any request', async () => {
		const reject = async (value: string) => fx().run({ parameters: get({ [level.id.param]: rl(value) }) });
		expectInputError(fx(), await reject('={{ "2; DROP" }}'), level.id.label, '"2; DROP" is not a Loymax SC ID (a number)');
		expectInputError(fx(), await reject('={{ "4a" }}'), level.id.label, '"4a" is not a Loymax SC ID (a number)');
	});
}

function deleteCases(fx: () => Fixture, level: Level) {
	const remove = (extra: INodeParameters) => params(level, 'delete', extra);

	it(`deletes ${level.aNoun}: 204 from the API, an acknowledgement with the ID, gone from the store and the list`, async () => {
		const id = level.ids.at(-1)!;
		const result = await fx().ok(remove({ [level.id.param]: rl(String(id), 'list') }));
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.status])).toEqual([['DELETE', `${level.path}/${id}`, 204]]);
		expect(result.items).toEqual([level.deleted(id)]);
		expect(fx().sandbox.store[level.store].has(id)).toBe(false);
		const rest = await fx().ok(params(level, 'getAll', { returnAll: true }));
		expect(rest.items.map((entry) => entry.id)).toEqual(level.ids.slice(0, -1).map(String));
	});

	it('rejects an ID that is not a number, and a missing one, before any request', async () => {
		const reject = async (value: string, mode?: 'list') => fx().run({ parameters: remove({ [level.id.param]: rl(value, mode) }) });
		const code = String(level.seeded(level.ids[1]).code);
		expectInputError(fx(), await reject(code, 'list'), level.id.label, `"${code}" is not a Loymax SC ID (a number)`);
		expectInputError(fx(), await reject('all', 'list'), level.id.label, '"all" is not a Loymax SC ID (a number)');
		expectInputError(fx(), await reject('={{ $json.id }}'), level.id.label, 'a value is required');
	});
}

const dictionary = (operation: string, extra: INodeParameters = {}) => params(DICTIONARY, operation, extra);
const item = (operation: string, extra: INodeParameters = {}) => params(ITEM, operation, extra);

describeOperation('dictionary', 'create', (fx) => {
	createCases(fx, DICTIONARY);

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

	it('fails clearly when the instance expects flat bodies and the credential insists on the envelope', async () => {
		await withFixture({ envelope: 'flat' }, { bodyFormat: 'envelope' }, async (flat) => {
			const result = await flat.run({ parameters: dictionary('create', { name: 'Wrapped', code: 'wrapped' }) });
			expect(result.error?.message).toBe('Loymax SC error: Invalid Attribute (name: The name field is required.; code: The code field is required.)');
			expect(result.error?.httpCode).toBe('400');
			expect(flat.requests({ method: 'POST', path: '/dictionary' })).toHaveLength(1);
			expect(flat.sandbox.store.dictionaries.size).toBe(2);
		});
	});
});

describeOperation('dictionary', 'update', (fx) => {
	updateCases(fx, DICTIONARY);

	it('with "Keep Fields Not Set" off sends only the given fields, without reading first', async () => {
		const result = await fx().ok(
			dictionary('update', { dictionaryId: rl('2'), updateFields: { name: 'Only name', localId: 'EXT-2' }, keepUnsetFields: false }),
		);
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path])).toEqual([['PATCH', '/dictionary/2']]);
		expect(sentAttributes(requests[0])).toEqual({ name: 'Only name', local_id: 'EXT-2' });
		// The API replaces the record: the code not sent is emptied.
		expect(result.items[0]).toMatchObject({ id: '2', name: 'Only name', local_id: 'EXT-2', code: '' });
	});

	it('fills the required Local ID from the dictionary read by Keep Fields Not Set', async () => {
		await fx().ok(dictionary('update', { dictionaryId: rl('2'), updateFields: { name: 'Renamed' } }));
		expect(sentAttributes(fx().requests({ method: 'PATCH' })[0])).toEqual({ name: 'Renamed', code: 'dict2', local_id: 'DICT-00002' });
	});

	it('never sends an empty Local ID: a clear error before the update instead of the API\'s 400', async () => {
		// Without reading first, the item must give it.
		const unread = await fx().run({ parameters: dictionary('update', { dictionaryId: rl('2'), updateFields: { name: 'N' }, keepUnsetFields: false }) });
		expectInputError(fx(), unread, 'Local ID', 'a value is required (the API rejects the record without it)');
		// A dictionary made by Create has none (the POST cannot set it): read, then stop before the PATCH.
		await fx().ok(dictionary('create', { name: 'New', code: 'new' }));
		fx().sandbox.clearLog();
		const read = await fx().run({ parameters: dictionary('update', { dictionaryId: rl('3'), updateFields: { name: 'N' } }) });
		expect(read.error?.message).toBe('Invalid value for "Local ID" in item 0: a value is required (the API rejects the record without it)');
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path])).toEqual([['GET', '/dictionary/3']]);
		expect(fx().sandbox.store.dictionaries.get(3)?.attributes).toMatchObject({ name: 'New', local_id: '' });
		// The sandbox answers such a PATCH as the API did: 400 "The local_id field is required.".
		const raw = await fetch(`${fx().sandbox.url}/dictionary/3`, {
			method: 'PATCH',
			headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${fx().sandbox.issueToken('demo@loymaxsc.local')}` },
			body: JSON.stringify({ data: { attributes: { name: 'N', code: 'new', local_id: '' } } }),
		});
		expect([raw.status, ((await raw.json()) as { errors: Array<{ validation: unknown }> }).errors[0].validation]).toEqual([
			400,
			{ local_id: ['The local_id field is required.'] },
		]);
	});

	it('sends custom attributes: the dictionary PATCH allows any parameters', async () => {
		const result = await fx().ok(
			dictionary('update', { dictionaryId: rl('2'), customAttributes: { attribute: [{ name: 'colour', value: 'red' }] } }),
		);
		expect(sentAttributes(fx().requests({ method: 'PATCH' })[0])).toMatchObject({ local_id: 'DICT-00002', colour: 'red' });
		expect(result.items[0]).toMatchObject({ id: '2', colour: 'red' });
	});

	it('surfaces the API\'s 422 when the new code belongs to another dictionary', async () => {
		const result = await fx().run({ parameters: dictionary('update', { dictionaryId: rl('2'), updateFields: { code: 'dict1' } }) });
		expect(result.error?.message).toBe('Loymax SC error: Validation Failed (code: has already been taken)');
		expect(result.error?.description).toBe('code: has already been taken');
		expect(fx().sandbox.store.dictionaries.get(2)?.attributes.code).toBe('dict2');
	});

	it('fails with the API\'s 404 for an unknown dictionary, without sending the update', async () => {
		const result = await fx().run({ parameters: dictionary('update', { dictionaryId: rl('12'), updateFields: { name: 'X' } }) });
		expect(result.error?.message).toMatch(/^Loymax SC error: Not Found \(.+ "[^"]+"\)$/);
		expect(result.error?.httpCode).toBe('404');
		expect(apiRequests(fx()).map((entry) => entry.method)).toEqual(['GET']);
	});
});

describeOperation('dictionary', 'get', (fx) => {
	getCases(fx, DICTIONARY);

	it('returns the raw JSON:API resource when not simplified', async () => {
		const result = await fx().ok(dictionary('get', { dictionaryId: rl('2', 'list'), simplify: false }));
		expect(result.items).toEqual([{ type: 'dictionary', id: '2', attributes: { name: 'Dictionary 2', code: 'dict2', local_id: 'DICT-00002', is_system: 'N' } }]);
	});

	it('fails with the API\'s 404 for an unknown dictionary', async () => {
		const result = await fx().run({ parameters: dictionary('get', { dictionaryId: rl('3') }) });
		expect(result.error?.message).toMatch(/^Loymax SC error: Not Found \(.+ "[^"]+"\)$/);
		expect(result.error?.httpCode).toBe('404');
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
				attributes: { name: 'Dictionary 2', code: 'dict2', local_id: 'DICT-00002', is_system: 'N' },
				links: { self: `${fx().sandbox.url}/dictionary/2` },
			},
		]);
	});

	it('rejects an unknown sort direction before any request', async () => {
		const result = await fx().run({
			parameters: dictionary('getAll', { returnAll: true, sort: { rule: [{ attribute: 'name', direction: '={{ "z-a" }}' }] } }),
		});
		expectInputError(fx(), result, 'Sort', 'direction "z-a" is not "asc" or "desc"');
	});
});

describeOperation('dictionary', 'delete', (fx) => {
	deleteCases(fx, DICTIONARY);

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
		expect(result.error?.message).toMatch(/^Loymax SC error: Not Found \(.+ "[^"]+"\)$/);
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
});

describeOperation('dictionaryItem', 'create', (fx) => {
	createCases(fx, ITEM);

	it('returns the raw JSON:API resource when not simplified', async () => {
		const result = await fx().ok(item('create', { dictionaryId: rl('1'), name: 'Blue', code: 'blue', simplify: false }));
		expect(fx().requests({ method: 'POST' }).at(-1)?.path).toBe('/dictionary/1/item');
		expect(result.items).toEqual([{ type: 'dictionary-item', id: '7', attributes: { dictionary_id: 1, name: 'Blue', code: 'blue' } }]);
	});

	it('fails with the API\'s 404 for an unknown dictionary', async () => {
		const result = await fx().run({ parameters: item('create', { dictionaryId: rl('9'), name: 'X', code: 'x' }) });
		expect(result.error?.message).toMatch(/^Loymax SC error: Not Found \(.+ "[^"]+"\)$/);
		expect(result.error?.httpCode).toBe('404');
		expect(fx().sandbox.store.dictionaryItems.size).toBe(6);
	});

	it('rejects a dictionary ID that is not a number before any request', async () => {
		const result = await fx().run({ parameters: item('create', { dictionaryId: rl('colours', 'list'), name: 'N', code: 'c' }) });
		expectInputError(fx(), result, 'Dictionary', '"colours" is not a Loymax SC ID (a number)');
	});
});

describeOperation('dictionaryItem', 'update', (fx) => {
	updateCases(fx, ITEM);

	it('changes a custom attribute, keeping the name', async () => {
		const result = await fx().ok(item('update', { itemId: rl('4'), customAttributes: { attribute: [{ name: 'value', value: 'new value' }] } }));
		expect(sentAttributes(fx().requests({ method: 'PATCH' })[0])).toMatchObject({ name: 'Item 1', code: 'item1', value: 'new value' });
		expect(result.items[0]).toMatchObject({ name: 'Item 1', value: 'new value' });
	});

	it('with "Keep Fields Not Set" off sends only the given fields, without reading first', async () => {
		const result = await fx().ok(
			item('update', {
				itemId: rl('6'),
				updateFields: { name: 'Only name' },
				customAttributes: { attribute: [{ name: 'code', value: 'item3' }] },
				keepUnsetFields: false,
			}),
		);
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path])).toEqual([['PATCH', '/dictionary/2/item/6']]);
		expect(sentAttributes(requests[0])).toEqual({ name: 'Only name', code: 'item3' });
		// The API replaces the record: the custom "value" not sent is gone.
		expect(result.items).toEqual([{ id: '6', type: 'dictionary-item', dictionary_id: 2, name: 'Only name', code: 'item3' }]);
	});

	it('fails with the API\'s 404 for an item of another dictionary, without sending the update', async () => {
		const result = await fx().run({ parameters: item('update', { dictionaryId: rl('1'), itemId: rl('5'), updateFields: { name: 'X' } }) });
		expect(result.error?.message).toMatch(/^Loymax SC error: Not Found \(.+ "[^"]+"\)$/);
		expect(result.error?.httpCode).toBe('404');
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path])).toEqual([['GET', '/dictionary/1/item/5']]);
		expect(fx().sandbox.store.dictionaryItems.get(5)?.attributes.name).toBe('Item 2');
	});
});

describeOperation('dictionaryItem', 'get', (fx) => {
	getCases(fx, ITEM);

	it('returns the raw JSON:API resource when not simplified', async () => {
		const result = await fx().ok(item('get', { dictionaryId: rl('1'), itemId: rl('3', 'list'), simplify: false }));
		expect(result.items).toEqual([{ type: 'dictionary-item', id: '3', attributes: ITEM.seeded(3) }]);
	});

	it('fails with the API\'s 404 for an item of another dictionary', async () => {
		const result = await fx().run({ parameters: item('get', { dictionaryId: rl('1'), itemId: rl('4') }) });
		expect(result.error?.message).toMatch(/^Loymax SC error: Not Found \(.+ "[^"]+"\)$/);
		expect(result.error?.httpCode).toBe('404');
		expect(apiRequests(fx()).map((entry) => [entry.path, entry.status])).toEqual([['/dictionary/1/item/4', 404]]);
	});

	it('rejects a missing dictionary before any request', async () => {
		const result = await fx().run({ parameters: item('get', { dictionaryId: rl('={{ $json.dictionary }}'), itemId: rl('4') }) });
		expectInputError(fx(), result, 'Dictionary', 'a value is required');
	});
});

describeOperation('dictionaryItem', 'getAll', (fx) => {
	it('Return All lists the items of one dictionary over several pages', async () => {
		await withFixture({}, { pageSize: 2 }, async (small) => {
			const result = await small.ok(item('getAll', { returnAll: true }));
			expect(small.requests({ method: 'GET' }).map((entry) => [entry.path, entry.query])).toEqual([
				['/dictionary/2/item', { 'page[number]': '1', 'page[size]': '2' }],
				['/dictionary/2/item', { 'page[number]': '2', 'page[size]': '2' }],
			]);
			expect(result.items).toEqual([4, 5, 6].map((id) => simplified(ITEM, id)));
		});
	});

	it('Limit and sort: exactly Limit items in the requested order, raw when not simplified', async () => {
		const result = await fx().ok(
			item('getAll', { dictionaryId: rl('1'), returnAll: false, limit: 2, sort: { rule: [{ attribute: 'code', direction: 'desc' }] }, simplify: false }),
		);
		const [page] = apiRequests(fx());
		expect(page.path).toBe('/dictionary/1/item');
		expect(page.query['page[size]']).toBe('2');
		expect(JSON.parse(page.query.sort)).toEqual([{ attribute: 'code', direction: 'desc' }]);
		expect(result.items.map((entry) => entry.id)).toEqual(['3', '2']);
		expect(result.items[0]).toEqual({
			type: 'dictionary-item',
			id: '3',
			attributes: ITEM.seeded(3),
			links: { self: `${fx().sandbox.url}/dictionary/1/item/3` },
		});
	});

	it('fails with the API\'s 404 for an unknown dictionary', async () => {
		const result = await fx().run({ parameters: item('getAll', { dictionaryId: rl('9'), returnAll: true }) });
		expect(result.error?.message).toMatch(/^Loymax SC error: Not Found \(.+ "[^"]+"\)$/);
		expect(result.error?.httpCode).toBe('404');
	});

	it('rejects a dictionary ID that is not a number before any request', async () => {
		const result = await fx().run({ parameters: item('getAll', { dictionaryId: rl('Dictionary 2', 'list'), returnAll: true }) });
		expectInputError(fx(), result, 'Dictionary', '"Dictionary 2" is not a Loymax SC ID (a number)');
	});
});

describeOperation('dictionaryItem', 'delete', (fx) => {
	deleteCases(fx, ITEM);

	it('fails with the API\'s 404 for an item of another dictionary and leaves it in place', async () => {
		const result = await fx().run({ parameters: item('delete', { dictionaryId: rl('1'), itemId: rl('6') }) });
		expect(result.error?.message).toMatch(/^Loymax SC error: Not Found \(.+ "[^"]+"\)$/);
		expect(result.error?.httpCode).toBe('404');
		expect(fx().sandbox.store.dictionaryItems.has(6)).toBe(true);
	});
});
