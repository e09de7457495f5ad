import type { IDataObject } from 'n8n-workflow';

import { sentAttributes, type Fixture } from '../harness/fixture';
import { apiRequests, describeOperation, expectInputError, withFixture } from '../harness/operation';

/** Customer C-00003 (Platform id 3) is seeded with news (email) and promo (email, push). */
const subscriptions = (fx: Fixture, platformId = 3) => Object.fromEntries(fx.sandbox.store.subscriptionsOf(platformId));

describeOperation('customerSubscription', 'get', (fx) => {
	const get = (extra: IDataObject = {}) => ({ resource: 'customerSubscription', operation: 'get', customerId: 'C-00003', ...extra });

	it('lists the categories a customer is subscribed to, read whole', async () => {
		const result = await fx().ok(get());
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.query])).toEqual([
			['GET', '/customer/C-00003/subscribe', { 'page[number]': '1', 'page[size]': '100' }],
		]);
		// Simplified: the resource's own id (a string) stays; the category's "id" attribute is attributes_id.
		expect(result.items).toEqual([
			{
				id: '1',
				type: 'subscribe',
				attributes_id: 1,
				mailing_cat_id: 1,
				name: 'News',
				code: 'news',
				description: 'Company news',
				status_email: 'Y',
				status_push: 'N',
				status_sms: 'N',
			},
			{
				id: '2',
				type: 'subscribe',
				attributes_id: 2,
				mailing_cat_id: 2,
				name: 'Promotions',
				code: 'promo',
				description: 'Offers and discounts',
				status_email: 'Y',
				status_push: 'Y',
				status_sms: 'N',
			},
		]);
	});

	it('returns the raw resources without Simplify', async () => {
		const result = await fx().ok(get({ customerId: 'C-00002', simplify: false }));
		expect(result.items).toEqual([
			{
				type: 'subscribe',
				id: '1',
				attributes: expect.objectContaining({ code: 'news', status_email: 'Y', status_sms: 'Y', status_push: 'N' }),
				links: { self: `${fx().sandbox.url}/customer/C-00002/subscribe/1` },
			},
		]);
	});

	it('reads the subscriptions of each input item\'s customer', async () => {
		const result = await fx().ok(get({ customerId: '={{ $json.id }}' }), [{ id: 'C-00001' }, { id: 'C-00006' }]);
		expect(apiRequests(fx()).map((entry) => entry.path)).toEqual(['/customer/C-00001/subscribe', '/customer/C-00006/subscribe']);
		expect(result.items.map((item) => item.code)).toEqual(['news', 'news', 'promo']);
		expect(result.raw.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 1 }]);
	});

	it('rejects a missing Customer Local ID before any request', async () => {
		const result = await fx().run({ parameters: get({ customerId: '={{ $json.id }}' }) });
		expectInputError(fx(), result, 'Customer Local ID', /a value is required/);
	});
});

describeOperation('customerSubscription', 'update', (fx) => {
	const update = (extra: IDataObject = {}) => ({ resource: 'customerSubscription', operation: 'update', customerId: 'C-00003', ...extra });

	it('keeps the body wrapped under a Flat credential: Loymax\'s OpenAPI file shows this one wrapped', async () => {
		await withFixture({}, { bodyFormat: 'flat' }, async (flat) => {
			await flat.ok(update({ categories: { category: [{ code: 'news', email: 'N' }] } }));
			expect(flat.requests({ method: 'PATCH' }).map((entry) => [entry.body, entry.status])).toEqual([
				[{ data: { attributes: { categories: { news: { email: 'N' } } } } }, 200],
			]);
		});
	});

	it('sends the categories entered as fields, leaving Unchanged channels out, and the subscriptions change', async () => {
		const result = await fx().ok(
			update({
				categories: {
					category: [
						{ code: 'promo', email: 'N', sms: 'Y', push: 'unchanged', telegram: 'Y', whatsapp: 'ND' },
						{ code: 'service', email: 'Y' },
					],
				},
			}),
		);
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['PATCH', '/customer/C-00003/subscribe', 200]]);
		expect(sentAttributes(requests[0])).toEqual({
			categories: {
				promo: { email: 'N', sms: 'Y', 'messenger:telegram': 'Y', 'messenger:whatsapp': 'ND' },
				service: { email: 'Y' },
			},
		});
		expect(result.items).toEqual([{ status: 'success', customer_id: 'C-00003', categories: sentAttributes(requests[0]).categories }]);
		expect(subscriptions(fx())).toEqual({
			news: { email: 'Y', sms: 'N', push: 'N' },
			promo: { email: 'N', sms: 'Y', push: 'Y', 'messenger:telegram': 'Y' },
			service: { email: 'Y' },
		});
		const read = await fx().ok({ resource: 'customerSubscription', operation: 'get', customerId: 'C-00003' });
		expect(read.items.map((item) => [item.code, item.status_email, item.status_sms, item.status_push])).toEqual([
			['news', 'Y', 'N', 'N'],
			['promo', 'N', 'Y', 'Y'],
			['service', 'Y', 'N', 'N'],
		]);
	});

	it('sends categories given as JSON, also straight from an expression', async () => {
		await fx().ok(update({ categoriesInput: 'json', categoriesJson: '[{"code":"news","sms":"Y","push":"Y"}]' }));
		await fx().ok(update({ customerId: 'C-00004', categoriesInput: 'json', categoriesJson: '={{ $json.categories }}' }), [
			{ categories: [{ code: 'promo', email: 'Y', 'messenger:whatsapp': 'Y' }] },
		]);
		const patches = fx().requests({ method: 'PATCH' });
		expect(patches.map((entry) => [entry.path, sentAttributes(entry)])).toEqual([
			['/customer/C-00003/subscribe', { categories: { news: { sms: 'Y', push: 'Y' } } }],
			['/customer/C-00004/subscribe', { categories: { promo: { email: 'Y', 'messenger:whatsapp': 'Y' } } }],
		]);
		expect(subscriptions(fx()).news).toEqual({ email: 'Y', sms: 'Y', push: 'Y' });
		expect(subscriptions(fx(), 4).promo).toEqual({ email: 'Y', 'messenger:whatsapp': 'Y' });
	});

	it('Set Status Per Category sends one status per category code, the form the API reference describes', async () => {
		const result = await fx().ok(
			update({ statusPer: 'category', categoryStatuses: { category: [{ code: 'service', status: 'Y' }, { code: 'promo', status: 'ND' }] } }),
		);
		const [patch] = apiRequests(fx());
		expect(sentAttributes(patch)).toEqual({ categories: { service: 'Y', promo: 'ND' } });
		expect(result.items).toEqual([{ status: 'success', customer_id: 'C-00003', categories: { service: 'Y', promo: 'ND' } }]);
		expect(subscriptions(fx())).toEqual({ news: { email: 'Y', sms: 'N', push: 'N' }, service: { email: 'Y', sms: 'Y', push: 'Y' } });
	});

	it('Set Status Per Category takes JSON too, and refuses an entry without a valid status before any request', async () => {
		await fx().ok(update({ statusPer: 'category', categoryStatusesInput: 'json', categoryStatusesJson: '[{"code":"service","status":"N"}]' }));
		expect(sentAttributes(apiRequests(fx())[0])).toEqual({ categories: { service: 'N' } });
		fx().sandbox.clearLog();
		for (const json of ['[{"code":"service","status":"yes"}]', '[{"code":"service"}]', '[{"code":"service","status":"Y","email":"N"}]']) {
			const result = await fx().run({ parameters: update({ statusPer: 'category', categoryStatusesInput: 'json', categoryStatusesJson: json }) });
			expectInputError(fx(), result, 'Categories (JSON)', 'category "service" needs a "status" of "Y", "N" or "ND" and nothing else');
		}
	});

	it('surfaces the API\'s validation error for an unknown category code', async () => {
		const result = await fx().run({ parameters: update({ categories: { category: [{ code: 'nope', email: 'Y' }] } }) });
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.httpCode).toBe('422');
		expect(result.error?.message).toContain('Validation Failed');
		expect(result.error?.description).toContain('categories.nope: unknown mailing category code');
		expect(fx().requests({ method: 'PATCH' })).toHaveLength(1);
	});

	it('rejects malformed JSON before any request', async () => {
		const result = await fx().run({ parameters: update({ categoriesInput: 'json', categoriesJson: '[{"code": "news",' }) });
		expectInputError(fx(), result, 'Categories (JSON)', /not valid JSON/);
	});

	it('rejects JSON that is not an array of objects before any request', async () => {
		const result = await fx().run({ parameters: update({ categoriesInput: 'json', categoriesJson: '{"news":{"email":"Y"}}' }) });
		expectInputError(fx(), result, 'Categories (JSON)', /expected a JSON array of objects/);
	});

	it('rejects a JSON category without a code before any request', async () => {
		const result = await fx().run({ parameters: update({ categoriesInput: 'json', categoriesJson: '[{"email":"Y"}]' }) });
		expectInputError(fx(), result, 'Categories (JSON)', /code/);
	});

	it('rejects an unknown channel status before any request', async () => {
		const result = await fx().run({ parameters: update({ categories: { category: [{ code: 'news', email: '={{ "yes" }}' }] } }) });
		expectInputError(fx(), result, 'Categories 1: Email', /"yes" is not one of "unchanged", "Y", "N", "ND"/);
	});

	it('rejects a category without a code before any request', async () => {
		const result = await fx().run({ parameters: update({ categories: { category: [{ code: '={{ "" }}', email: 'Y' }] } }) });
		expectInputError(fx(), result, 'Categories 1: Category Code', /a value is required/);
	});

	it.each([
		['as a field', { categories: { category: [{ code: '__proto__', email: 'Y' }] } }, 'Categories 1: Category Code'],
		['as JSON', { categoriesInput: 'json', categoriesJson: '[{"code":"constructor","email":"Y"}]' }, 'Categories (JSON)'],
		['per category', { statusPer: 'category', categoryStatuses: { category: [{ code: 'prototype', status: 'Y' }] } }, 'Categories 1: Category Code'],
	])('refuses a category code that JavaScript objects reserve (%s) before any request', async (_case, override, field) => {
		const result = await fx().run({ parameters: update(override) });
		expectInputError(fx(), result, field, /^Invalid value for "[^"]+" in item 0: "(__proto__|constructor|prototype)" cannot be used as a name$/);
	});

	it('rejects an update without categories before any request', async () => {
		const result = await fx().run({ parameters: update() });
		expectInputError(fx(), result, 'Categories', /add at least one category/);
	});
});
