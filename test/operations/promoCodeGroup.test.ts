import type { INodeParameters } from 'n8n-workflow';

import { sentAttributes } from '../harness/fixture';
import { apiRequests, describeOperation, expectInputError, rl, withFixture } from '../harness/operation';

const group = (operation: string, extra: INodeParameters = {}): INodeParameters => ({ resource: 'promoCodeGroup', operation, ...extra });

describeOperation('promoCodeGroup', 'upsert', (fx) => {
	it('creates a group with custom attributes and returns it with its code counts', async () => {
		const result = await fx().ok(
			group('upsert', { localId: 'SPRING', name: 'Spring sale', customAttributes: { attribute: [{ name: 'campaign', value: 'spring-24' }] } }),
		);
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['POST', '/promocode-group', 201]]);
		expect(requests[0].body).toEqual({ data: { attributes: { local_id: 'SPRING', name: 'Spring sale', campaign: 'spring-24' } } });
		expect(result.items).toEqual([
			{ id: '4', type: 'promocode-group', local_id: 'SPRING', name: 'Spring sale', campaign: 'spring-24', codes_total: 0, codes_free: 0 },
		]);
		expect(fx().sandbox.store.promoCodeGroups.get(4)?.attributes).toMatchObject({ local_id: 'SPRING', name: 'Spring sale' });
	});

	it('updates the group with the same local ID in place, raw when not simplified', async () => {
		const result = await fx().ok(group('upsert', { localId: 'PG-00001', name: 'Renamed group', simplify: false }));
		const [post] = fx().requests({ method: 'POST', path: '/promocode-group' });
		expect(post.status).toBe(200);
		expect(sentAttributes(post)).toEqual({ local_id: 'PG-00001', name: 'Renamed group' });
		expect(result.items).toEqual([
			{ type: 'promocode-group', id: '1', attributes: { local_id: 'PG-00001', name: 'Renamed group', codes_total: 5, codes_free: 4 } },
		]);
		expect(fx().sandbox.store.promoCodeGroups.size).toBe(3);
	});

	it('sends a flat body when the credential asks for it, and the flat API accepts it', async () => {
		await withFixture({ envelope: 'flat' }, { bodyFormat: 'flat' }, async (flat) => {
			const result = await flat.ok(group('upsert', { localId: 'FLAT', name: 'Flat group' }));
			const [post] = flat.requests({ method: 'POST', path: '/promocode-group' });
			expect(post.body).toEqual({ local_id: 'FLAT', name: 'Flat group' });
			expect(post.status).toBe(201);
			expect(result.items[0]).toMatchObject({ local_id: 'FLAT', name: 'Flat group' });
		});
	});

	it('rejects a missing local ID or name before any request', async () => {
		const reject = async (extra: INodeParameters) => fx().run({ parameters: group('upsert', extra) });
		expectInputError(fx(), await reject({ localId: '={{ $json.code }}', name: 'X' }), 'Group Local ID', 'a value is required');
		expectInputError(fx(), await reject({ localId: 'X', name: '={{ "" }}' }), 'Name', 'a value is required');
	});
});

describeOperation('promoCodeGroup', 'update', (fx) => {
	it('keeps fields not set by default: reads the group, then sends the merged record', async () => {
		const result = await fx().ok(group('update', { groupId: rl('2', 'list'), updateFields: { name: 'Summer sale' } }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
			['GET', '/promocode-group/2', 200],
			['PATCH', '/promocode-group/2', 200],
		]);
		expect(sentAttributes(requests[1])).toMatchObject({ local_id: 'PG-00002', name: 'Summer sale' });
		expect(result.items).toEqual([
			{ id: '2', type: 'promocode-group', local_id: 'PG-00002', name: 'Summer sale', codes_total: 5, codes_free: 4 },
		]);
		expect(fx().sandbox.store.promoCodeGroups.get(2)?.attributes).toMatchObject({ local_id: 'PG-00002', name: 'Summer sale' });
	});

	it('with "Keep Fields Not Set" off sends only the given fields, without reading first', async () => {
		const result = await fx().ok(
			group('update', { groupId: rl('3'), updateFields: { name: 'New name', localId: 'PG-NEW' }, keepUnsetFields: false }),
		);
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path])).toEqual([['PATCH', '/promocode-group/3']]);
		expect(sentAttributes(requests[0])).toEqual({ name: 'New name', local_id: 'PG-NEW' });
		expect(result.items[0]).toMatchObject({ id: '3', local_id: 'PG-NEW', name: 'New name' });
	});

	it('with "Keep Fields Not Set" off rejects a body without the local ID the API requires, before any request', async () => {
		const result = await fx().run({ parameters: group('update', { groupId: rl('3'), updateFields: { name: 'New name' }, keepUnsetFields: false }) });
		expectInputError(fx(), result, 'Group Local ID', 'a value is required (the API rejects the record without it)');
	});

	it('surfaces the API\'s 422 when the new local ID belongs to another group', async () => {
		const result = await fx().run({ parameters: group('update', { groupId: rl('3'), updateFields: { localId: 'PG-00001' } }) });
		expect(result.error?.message).toBe('Loymax SC error: Validation Failed (local_id: has already been taken)');
		expect(result.error?.httpCode).toBe('422');
		expect(result.error?.description).toContain('local_id: has already been taken');
		expect(fx().sandbox.store.promoCodeGroups.get(3)?.attributes.local_id).toBe('PG-00003');
	});

	it('fails with the API\'s 404 for an unknown group, without sending the update', async () => {
		const result = await fx().run({ parameters: group('update', { groupId: rl('77'), updateFields: { name: 'X' } }) });
		expect(result.error?.message).toMatch(/^Loymax SC error: Not Found \(.+ "[^"]+"\)$/);
		expect(result.error?.httpCode).toBe('404');
		expect(apiRequests(fx()).map((entry) => entry.method)).toEqual(['GET']);
	});

	it('rejects an ID that is not a number before any request', async () => {
		const result = await fx().run({ parameters: group('update', { groupId: rl('PG-00001', 'list'), updateFields: { name: 'X' } }) });
		expectInputError(fx(), result, 'Promo Code Group', '"PG-00001" is not a Loymax SC ID (a number)');
	});
});

describeOperation('promoCodeGroup', 'get', (fx) => {
	it('reads a group with its code counts', async () => {
		const result = await fx().ok(group('get', { groupId: rl('1') }));
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.status])).toEqual([['GET', '/promocode-group/1', 200]]);
		expect(result.items).toEqual([{ id: '1', type: 'promocode-group', local_id: 'PG-00001', name: 'Promo group 1', codes_total: 5, codes_free: 4 }]);
	});

	it('returns the raw JSON:API resource when not simplified', async () => {
		const result = await fx().ok(group('get', { groupId: rl('2', 'list'), simplify: false }));
		expect(result.items).toEqual([
			{ type: 'promocode-group', id: '2', attributes: { local_id: 'PG-00002', name: 'Promo group 2', codes_total: 5, codes_free: 4 } },
		]);
	});

	it('fails with the API\'s 404 for an unknown group', async () => {
		const result = await fx().run({ parameters: group('get', { groupId: rl('404') }) });
		expect(result.error?.message).toMatch(/^Loymax SC error: Not Found \(.+ "[^"]+"\)$/);
		expect(result.error?.httpCode).toBe('404');
	});

	it('rejects an ID that is not a number before any request', async () => {
		const result = await fx().run({ parameters: group('get', { groupId: rl('={{ "1.5" }}') }) });
		expectInputError(fx(), result, 'Promo Code Group', '"1.5" is not a Loymax SC ID (a number)');
	});
});

describeOperation('promoCodeGroup', 'getAll', (fx) => {
	it('Return All follows the pages with the credential\'s page size', async () => {
		await withFixture({}, { pageSize: 2 }, async (small) => {
			const result = await small.ok(group('getAll', { returnAll: true }));
			expect(small.requests({ method: 'GET' }).map((entry) => [entry.path, entry.query])).toEqual([
				['/promocode-group', { 'page[number]': '1', 'page[size]': '2' }],
				['/promocode-group', { 'page[number]': '2', 'page[size]': '2' }],
			]);
			expect(result.items).toEqual(
				[1, 2, 3].map((n) => ({ id: String(n), type: 'promocode-group', local_id: `PG-0000${n}`, name: `Promo group ${n}`, codes_total: 5, codes_free: 4 })),
			);
		});
	});

	it('Limit and sort: exactly Limit groups in the requested order, raw when not simplified', async () => {
		const result = await fx().ok(
			group('getAll', { returnAll: false, limit: 2, sort: { rule: [{ attribute: 'name', direction: 'desc' }] }, simplify: false }),
		);
		const [page] = apiRequests(fx());
		expect(page.query['page[size]']).toBe('2');
		expect(JSON.parse(page.query.sort)).toEqual([{ attribute: 'name', direction: 'desc' }]);
		expect(result.items.map((item) => item.id)).toEqual(['3', '2']);
		expect(result.items[0]).toEqual({
			type: 'promocode-group',
			id: '3',
			attributes: { local_id: 'PG-00003', name: 'Promo group 3', codes_total: 5, codes_free: 4 },
			links: { self: `${fx().sandbox.url}/promocode-group/3` },
		});
	});

	it('rejects an unknown sort direction before any request', async () => {
		const result = await fx().run({
			parameters: group('getAll', { returnAll: true, sort: { rule: [{ attribute: 'id', direction: '={{ "random" }}' }] } }),
		});
		expectInputError(fx(), result, 'Sort', 'direction "random" is not "asc" or "desc"');
	});
});

describeOperation('promoCodeGroup', 'delete', (fx) => {
	it('deletes a group: 204 from the API, an acknowledgement with the ID, gone from the store', async () => {
		const result = await fx().ok(group('delete', { groupId: rl('3', 'list') }));
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.body, entry.status])).toEqual([
			['DELETE', '/promocode-group/3', undefined, 204],
		]);
		expect(result.items).toEqual([{ deleted: true, group_id: '3' }]);
		expect(fx().sandbox.store.promoCodeGroups.has(3)).toBe(false);
		const again = await fx().run({ parameters: group('get', { groupId: rl('3') }) });
		expect(again.error?.httpCode).toBe('404');
	});

	it('fails with the API\'s 404 for an unknown group', async () => {
		const result = await fx().run({ parameters: group('delete', { groupId: rl('55') }) });
		expect(result.error?.message).toMatch(/^Loymax SC error: Not Found \(.+ "[^"]+"\)$/);
		expect(result.error?.httpCode).toBe('404');
		expect(fx().sandbox.store.promoCodeGroups.size).toBe(3);
	});

	it('rejects an ID that is not a number, and a missing one, before any request', async () => {
		const reject = async (groupId: INodeParameters[string]) => fx().run({ parameters: group('delete', { groupId }) });
		expectInputError(fx(), await reject(rl('three', 'list')), 'Promo Code Group', '"three" is not a Loymax SC ID (a number)');
		expectInputError(fx(), await reject(rl('={{ $json.id }}')), 'Promo Code Group', 'a value is required');
	});
});

describeOperation('promoCodeGroup', 'uploadCodes', (fx) => {
	it('addresses the group by its local_id, splits the codes on commas, semicolons and new lines, and reports what was added', async () => {
		const result = await fx().ok(group('uploadCodes', { groupLocalId: 'PG-00001', codes: 'NEW-1, NEW-2;PG1-CODE1\n NEW-3 ,,' }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['POST', '/promocode-group/PG-00001/codes', 200]]);
		expect(sentAttributes(requests[0])).toEqual({ codes: ['NEW-1', 'NEW-2', 'PG1-CODE1', 'NEW-3'] });
		expect(result.items).toEqual([{ status: 'success', added: 3, skipped: 1, group_local_id: 'PG-00001' }]);
		expect([...fx().sandbox.store.promoCodesOf(1).codes]).toEqual(expect.arrayContaining(['NEW-1', 'NEW-2', 'NEW-3']));
		const read = await fx().ok(group('get', { groupId: rl('1') }));
		expect(read.items[0]).toMatchObject({ codes_total: 8, codes_free: 7 });
	});

	it('takes any local_id, URL-encoded, and an array of codes from an expression', async () => {
		await fx().ok(group('upsert', { localId: 'Spring 24/A', name: 'Spring' }));
		const result = await fx().ok(group('uploadCodes', { groupLocalId: '={{ $json.group }}', codes: '={{ $json.codes }}' }), [
			{ group: 'Spring 24/A', codes: ['A-1', ' A-2 '] },
		]);
		const [post] = fx().requests({ method: 'POST', path: /\/codes$/ });
		expect(post.path).toBe('/promocode-group/Spring%2024%2FA/codes');
		expect(sentAttributes(post)).toEqual({ codes: ['A-1', 'A-2'] });
		expect(result.items).toEqual([{ status: 'success', added: 2, skipped: 0, group_local_id: 'Spring 24/A' }]);
	});

	it('sends Custom Attributes beside the codes: the reference does not document this body', async () => {
		const customAttributes = { attribute: [{ name: 'valid_until', value: '2025-12-31' }] };
		await fx().ok(group('uploadCodes', { groupLocalId: 'PG-00001', codes: 'CA-1', customAttributes }));
		const [post] = fx().requests({ method: 'POST', path: /\/codes$/ });
		expect(sentAttributes(post)).toEqual({ codes: ['CA-1'], valid_until: '2025-12-31' });
		expect(fx().sandbox.store.promoCodeUploads).toEqual([{ group_local_id: 'PG-00001', codes: ['CA-1'], valid_until: '2025-12-31' }]);
	});

	it('sends a flat body when the credential asks for it, and the flat API accepts it', async () => {
		await withFixture({ envelope: 'flat' }, { bodyFormat: 'flat' }, async (flat) => {
			const result = await flat.ok(group('uploadCodes', { groupLocalId: 'PG-00003', codes: 'F-1' }));
			const [post] = flat.requests({ method: 'POST', path: '/promocode-group/PG-00003/codes' });
			expect(post.body).toEqual({ codes: ['F-1'] });
			expect(result.items).toEqual([{ status: 'success', added: 1, skipped: 0, group_local_id: 'PG-00003' }]);
		});
	});

	it('fails with the API\'s 404 for an unknown local_id, and for a Platform ID given in its place', async () => {
		for (const groupLocalId of ['PG-00009', '1']) {
			const result = await fx().run({ parameters: group('uploadCodes', { groupLocalId, codes: 'X-1' }) });
			expect(result.error?.message).toBe(`Loymax SC error: Not Found (Group Local ID "${groupLocalId}")`);
			expect(result.error?.httpCode).toBe('404');
		}
		expect(fx().sandbox.store.promoCodesOf(1).codes.has('X-1')).toBe(false);
	});

	it('rejects an empty code list and a missing Group Local ID before any request; the old Platform ID parameter is not read', async () => {
		const reject = async (extra: INodeParameters) => fx().run({ parameters: group('uploadCodes', extra) });
		expectInputError(fx(), await reject({ groupLocalId: 'PG-00001', codes: '={{ " , ;\\n" }}' }), 'Codes', 'at least one value is required');
		expectInputError(fx(), await reject({ groupLocalId: 'PG-00001', codes: '={{ [] }}' }), 'Codes', 'at least one value is required');
		expectInputError(fx(), await reject({ groupLocalId: '={{ $json.group }}', codes: 'A' }), 'Group Local ID', 'a value is required');
		// A workflow saved before holds `groupId` (a Platform ID): n8n refuses to run it (a required parameter is
		// empty) instead of sending that number as a local ID.
		await expect(reject({ groupId: rl('1'), codes: 'A' })).rejects.toThrow('The workflow has issues');
		expect(fx().sandbox.log).toHaveLength(0);
	});
});
