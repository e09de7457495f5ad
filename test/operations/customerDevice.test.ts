import type { IDataObject } from 'n8n-workflow';

import { sentAttributes, type Fixture } from '../harness/fixture';
import { apiRequests, describeOperation, expectInputError } from '../harness/operation';

const devices = (fx: Fixture, platformId: number) => fx.sandbox.store.devicesOf(platformId).map((device) => ({ ...device }));

/** Registers devices for C-00001 through the node, then clears the log. */
async function registerDevices(fx: Fixture, tokens: Array<[string, string]>) {
	for (const [token, platform] of tokens) {
		await fx.ok({ resource: 'customerDevice', operation: 'register', customerId: 'C-00001', deviceId: `dev-${token}`, registrationId: token, platform });
	}
	fx.sandbox.clearLog();
}

describeOperation('customerDevice', 'register', (fx) => {
	const register = (extra: IDataObject = {}) => ({
		resource: 'customerDevice',
		operation: 'register',
		customerId: 'C-00001',
		deviceId: 'device-42',
		registrationId: 'fcm:APA91b-token',
		platform: 'Ios',
		...extra,
	});

	it('registers a device: device_id in the header, token, platform and source code in the body', async () => {
		const result = await fx().ok(register({ additionalFields: { sourceCode: 7 } }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['POST', '/customer/C-00001/device', 201]]);
		expect(requests[0].headers.deviceId).toBe('device-42');
		expect(sentAttributes(requests[0])).toEqual({ token: 'fcm:APA91b-token', platform: 'Ios', source_code: 7 });
		expect(result.items).toEqual([
			{ id: '1', type: 'device', token: 'fcm:APA91b-token', platform: 'Ios', source_code: 7, device_id: 'device-42' },
		]);
		expect(devices(fx(), 1)).toEqual([{ id: 1, token: 'fcm:APA91b-token', platform: 'Ios', source_code: 7, device_id: 'device-42' }]);
	});

	it('returns the raw resource without Simplify; registering the same token again updates it', async () => {
		await fx().ok(register());
		const result = await fx().ok(register({ platform: 'Harmony', deviceId: 'device-43', simplify: false }));
		const posts = fx().requests({ method: 'POST', path: '/customer/C-00001/device' });
		expect(posts.map((entry) => [entry.headers.deviceId, sentAttributes(entry)])).toEqual([
			['device-42', { token: 'fcm:APA91b-token', platform: 'Ios' }],
			['device-43', { token: 'fcm:APA91b-token', platform: 'Harmony' }],
		]);
		expect(result.items).toEqual([
			{ type: 'device', id: '1', attributes: { token: 'fcm:APA91b-token', platform: 'Harmony', source_code: '', device_id: 'device-43' } },
		]);
		expect(devices(fx(), 1)).toHaveLength(1);
	});

	it('registers one device per input item', async () => {
		const items = [
			{ customer: 'C-00002', device: 'd-2', token: 't-2', platform: 'Android' },
			{ customer: 'C-00003', device: 'd-3', token: 't-3', platform: 'Ios' },
		];
		const result = await fx().ok(
			register({ customerId: '={{ $json.customer }}', deviceId: '={{ $json.device }}', registrationId: '={{ $json.token }}', platform: '={{ $json.platform }}' }),
			items,
		);
		expect(apiRequests(fx()).map((entry) => [entry.path, entry.headers.deviceId, sentAttributes(entry)])).toEqual([
			['/customer/C-00002/device', 'd-2', { token: 't-2', platform: 'Android' }],
			['/customer/C-00003/device', 'd-3', { token: 't-3', platform: 'Ios' }],
		]);
		expect(result.items.map((item) => [item.token, item.device_id])).toEqual([
			['t-2', 'd-2'],
			['t-3', 'd-3'],
		]);
		expect(result.raw.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('rejects an unknown platform before any request', async () => {
		const result = await fx().run({ parameters: register({ platform: '={{ "Windows" }}' }) });
		expectInputError(fx(), result, 'Platform', /"Windows" is not one of "Android", "Harmony", "Ios"/);
	});

	it('rejects a missing Device ID before any request', async () => {
		const result = await fx().run({ parameters: register({ deviceId: '={{ $json.device }}' }) });
		expectInputError(fx(), result, 'Device ID', /a value is required/);
	});

	it('rejects a Source Code that is not a whole number before any request', async () => {
		const result = await fx().run({ parameters: register({ additionalFields: { sourceCode: 1.5 } }) });
		expectInputError(fx(), result, 'Source Code', /1\.5 is not a whole number/);
	});
});

describeOperation('customerDevice', 'getAll', (fx) => {
	it('lists the devices of a customer with Limit and Sort', async () => {
		await registerDevices(fx(), [
			['b-token', 'Android'],
			['c-token', 'Ios'],
			['a-token', 'Harmony'],
		]);
		const result = await fx().ok({
			resource: 'customerDevice',
			operation: 'getAll',
			customerId: 'C-00001',
			limit: 2,
			sort: { rule: [{ attribute: 'token', direction: 'desc' }] },
		});
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.query])).toEqual([
			[
				'GET',
				'/customer/C-00001/device',
				{ 'page[number]': '1', 'page[size]': '2', sort: '[{"attribute":"token","direction":"desc"}]' },
			],
		]);
		expect(result.items).toEqual([
			{ id: '2', type: 'device', token: 'c-token', platform: 'Ios', source_code: '', device_id: 'dev-c-token' },
			{ id: '1', type: 'device', token: 'b-token', platform: 'Android', source_code: '', device_id: 'dev-b-token' },
		]);
	});

	it('Return All reads every page; an unregistered customer has none', async () => {
		await registerDevices(fx(), [
			['t1', 'Android'],
			['t2', 'Android'],
			['t3', 'Ios'],
		]);
		fx().engine.setCredential({ pageSize: 2 });
		const result = await fx().ok({ resource: 'customerDevice', operation: 'getAll', customerId: 'C-00001', returnAll: true, simplify: false });
		expect(apiRequests(fx()).map((entry) => entry.query['page[number]'])).toEqual(['1', '2']);
		expect(result.items.map((item) => (item.attributes as IDataObject).token)).toEqual(['t1', 't2', 't3']);
		expect(result.items[0]).toMatchObject({ type: 'device', id: '1', links: { self: `${fx().sandbox.url}/customer/C-00001/device/t1` } });
		const none = await fx().ok({ resource: 'customerDevice', operation: 'getAll', customerId: 'C-00002', returnAll: true });
		expect(none.items).toEqual([]);
	});
});

describeOperation('customerDevice', 'delete', (fx) => {
	const token = 'fcm:APA91b/x y';
	const remove = (extra: IDataObject = {}) => ({
		resource: 'customerDevice',
		operation: 'delete',
		customerId: 'C-00001',
		deviceId: 'device-1',
		registrationId: token,
		...extra,
	});

	it('deletes a device by its URL-encoded token, with device_id in the header and no body', async () => {
		await registerDevices(fx(), [[token, 'Android']]);
		const result = await fx().ok(remove());
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
			['DELETE', '/customer/C-00001/device/fcm%3AAPA91b%2Fx%20y', 204],
		]);
		expect(requests[0].headers.deviceId).toBe('device-1');
		expect(requests[0].body).toBeUndefined();
		expect(result.items).toEqual([{ deleted: true, customer_id: 'C-00001', registration_id: token }]);
		expect(devices(fx(), 1)).toEqual([]);
	});

	it('sends the Source Code in the body when given', async () => {
		await registerDevices(fx(), [[token, 'Ios']]);
		await fx().ok(remove({ additionalFields: { sourceCode: 3 } }));
		const [request] = apiRequests(fx());
		expect(request.body).toEqual({ data: { attributes: { source_code: 3 } } });
		expect(devices(fx(), 1)).toEqual([]);
	});

	it('reports an unknown token as the API\'s Not Found', async () => {
		const result = await fx().run({ parameters: remove({ registrationId: 'missing' }) });
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.httpCode).toBe('404');
		expect(result.error?.message).toContain('Not Found');
		expect(apiRequests(fx()).map((entry) => [entry.path, entry.status])).toEqual([['/customer/C-00001/device/missing', 404]]);
	});

	it('rejects a missing Push Token before any request', async () => {
		const result = await fx().run({ parameters: remove({ registrationId: '={{ $json.token }}' }) });
		expectInputError(fx(), result, 'Push Token', /a value is required/);
	});
});
