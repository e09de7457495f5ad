import type { IDataObject } from 'n8n-workflow';

import { sentAttributes, type Fixture } from '../harness/fixture';
import { apiRequests, describeOperation, expectInputError, withFixture } from '../harness/operation';

const channels = (fx: Fixture, platformId: number) => ({ ...fx.sandbox.store.channelsOf(platformId) });

describeOperation('customerChannel', 'get', (fx) => {
	const get = (extra: IDataObject = {}) => ({ resource: 'customerChannel', operation: 'get', customerId: 'C-00002', ...extra });

	it('lists the channel permissions of a customer, read whole', async () => {
		const result = await fx().ok(get());
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.query])).toEqual([
			['GET', '/customer/C-00002/channel', { 'page[number]': '1', 'page[size]': '100' }],
		]);
		// Simplified: the resource keeps its id and type; the channel's own "type" attribute is attributes_type.
		expect(result.items).toEqual([
			{ id: '1', type: 'channel-subscriptions', attributes_type: 'email', subtype: '', value: 1 },
			{ id: '2', type: 'channel-subscriptions', attributes_type: 'sms', subtype: '', value: 1 },
			{ id: '3', type: 'channel-subscriptions', attributes_type: 'push', subtype: '', value: 0 },
		]);
	});

	it('returns the raw resources without Simplify', async () => {
		const result = await fx().ok(get({ customerId: 'C-00003', simplify: false }));
		expect(result.items).toEqual(
			['email', 'sms', 'push'].map((type, index) => ({
				type: 'channel-subscriptions',
				id: String(index + 1),
				attributes: { type, subtype: '', value: type === 'email' ? 1 : 0 },
				links: { self: `${fx().sandbox.url}/customer/C-00003/channel/${index + 1}` },
			})),
		);
	});

	it('reports an unknown customer as the API\'s Not Found', async () => {
		const result = await fx().run({ parameters: get({ customerId: 'C-99999' }) });
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.httpCode).toBe('404');
		expect(result.error?.message).toContain('Not Found');
		expect(apiRequests(fx()).map((entry) => [entry.path, entry.status])).toEqual([['/customer/C-99999/channel', 404]]);
	});
});

describeOperation('customerChannel', 'update', (fx) => {
	const update = (extra: IDataObject = {}) => ({ resource: 'customerChannel', operation: 'update', customerId: 'C-00003', ...extra });

	it('keeps the body wrapped under a Flat credential: Loymax\'s OpenAPI file shows this one wrapped', async () => {
		await withFixture({}, { bodyFormat: 'flat' }, async (flat) => {
			await flat.ok(update({ updateFields: { sms: 'Y' } }));
			expect(flat.requests({ method: 'POST', path: '/customer/C-00003/channel' }).map((entry) => [entry.body, entry.status])).toEqual([[{ data: { attributes: { sms: 'Y' } } }, 200]]);
		});
	});

	it('sends only the channels added, and the permissions change', async () => {
		expect(channels(fx(), 3)).toEqual({ email: 'Y', sms: 'N', push: 'N' });
		const result = await fx().ok(update({ updateFields: { sms: 'Y', push: 'N' } }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['POST', '/customer/C-00003/channel', 200]]);
		expect(requests[0].body).toEqual({ data: { attributes: { sms: 'Y', push: 'N' } } });
		expect(result.items).toEqual([{ status: 'success', customer_id: 'C-00003', sms: 'Y', push: 'N' }]);
		expect(channels(fx(), 3)).toEqual({ email: 'Y', sms: 'Y', push: 'N' });
		const read = await fx().ok({ resource: 'customerChannel', operation: 'get', customerId: 'C-00003' });
		expect(read.items.map((item) => [item.attributes_type, item.value])).toEqual([
			['email', 1],
			['sms', 1],
			['push', 0],
		]);
	});

	it('sends "No Data" as an empty string', async () => {
		await fx().ok(update({ updateFields: { email: '' } }));
		expect(sentAttributes(apiRequests(fx())[0])).toEqual({ email: '' });
		expect(channels(fx(), 3).email).toBe('');
	});

	it('updates one customer per input item, with paired output', async () => {
		const items = [
			{ id: 'C-00001', push: 'Y' },
			{ id: 'C-00002', push: 'N' },
			{ id: 'C-00005', push: 'Y' },
		];
		const result = await fx().ok(update({ customerId: '={{ $json.id }}', updateFields: { push: '={{ $json.push }}' } }), items);
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, sentAttributes(entry)])).toEqual([
			['POST', '/customer/C-00001/channel', { push: 'Y' }],
			['POST', '/customer/C-00002/channel', { push: 'N' }],
			['POST', '/customer/C-00005/channel', { push: 'Y' }],
		]);
		expect(result.items).toEqual(items.map(({ id }, index) => ({ status: 'success', customer_id: id, push: ['Y', 'N', 'Y'][index] })));
		expect(result.raw.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect([1, 2, 5].map((id) => channels(fx(), id).push)).toEqual(['Y', 'N', 'Y']);
	});

	it('rejects a value other than Y, N or empty before any request', async () => {
		const result = await fx().run({ parameters: update({ updateFields: { email: '={{ "yes" }}' } }) });
		expect(channels(fx(), 3)).toEqual({ email: 'Y', sms: 'N', push: 'N' });
		expectInputError(fx(), result, 'Email', /"yes" is not one of "Y", "N", ""/);
	});

	it('rejects an update without any channel before any request', async () => {
		const result = await fx().run({ parameters: update({ updateFields: {} }) });
		expectInputError(fx(), result, 'Update Fields', /add at least one channel/);
	});
});
