import type { IDataObject } from 'n8n-workflow';

import { listPaging } from '../nodes/LoymaxSc/shared/operation';
import { parseProxy } from '../nodes/LoymaxSc/shared/proxy';
import { createFixture, type Fixture } from './harness/fixture';
import { apiRequests, expectInputError } from './harness/operation';

/**
 * Input that would change or break the request itself: path IDs that are dot segments, header
 * values Node.js refuses, names JavaScript objects reserve, proxy URLs with a password. Each is
 * refused before anything is sent, naming the field and the item. And lists that never end.
 */

let fx: Fixture;
beforeEach(async () => {
	fx = await createFixture({ seed: { customers: 30 } });
});
afterEach(async () => fx?.close());

describe('path IDs: "." and ".." would be resolved as dot segments', () => {
	const dotProblem = (value: string) => `"${value}" cannot be an ID: it would change the request path`;

	it.each(['.', '..'])('refuses Customer ID "%s" of Get Customer (it would read /customer)', async (customerId) => {
		const result = await fx.run({ parameters: { resource: 'customer', operation: 'get', customerId } });
		expectInputError(fx, result, 'Customer Local ID', dotProblem(customerId));
	});

	it('refuses a Push Token ".." of Delete Device (it would address another path), naming the item', async () => {
		const result = await fx.run({
			parameters: { resource: 'customerDevice', operation: 'delete', customerId: 'C-00001', deviceId: 'd-1', registrationId: '={{ $json.token }}' },
			items: [{ token: '..' }],
		});
		expectInputError(fx, result, 'Push Token', dotProblem('..'));
		const second = await fx.run({
			parameters: { resource: 'customerDevice', operation: 'delete', customerId: '={{ $json.id }}', deviceId: 'd-1', registrationId: 't' },
			items: [{ id: '.' }],
		});
		expectInputError(fx, second, 'Customer Local ID', dotProblem('.'));
	});

	it('sends other IDs made of dots or holding a slash, encoded, as one path segment', async () => {
		for (const customerId of ['...', './x', 'a/..']) {
			await fx.run({ parameters: { resource: 'customer', operation: 'get', customerId } });
		}
		expect(apiRequests(fx).map((entry) => [entry.path, entry.status])).toEqual([
			['/customer/...', 404],
			['/customer/.%2Fx', 404],
			['/customer/a%2F..', 404],
		]);
	});
});

describe('header values: device_id is checked as input', () => {
	const register = (deviceId: string) => ({
		resource: 'customerDevice',
		operation: 'register',
		customerId: 'C-00001',
		deviceId: '={{ $json.device }}',
		registrationId: 'token-1',
		platform: 'Ios',
		_device: deviceId,
	});

	it.each([
		['a line break', 'device\n1', 'a line break cannot be sent in an HTTP header'],
		['a carriage return', 'device\r1', 'a line break cannot be sent in an HTTP header'],
		['Cyrillic text', 'устройство', '"у" cannot be sent in an HTTP header (only ASCII letters, digits, punctuation and spaces)'],
		['an emoji', 'phone📱', '"📱" cannot be sent in an HTTP header (only ASCII letters, digits, punctuation and spaces)'],
		['a control character', 'dev\u0000ice', 'U+0000 cannot be sent in an HTTP header (only ASCII letters, digits, punctuation and spaces)'],
	])('refuses %s in Device ID before any request, instead of retrying it as a network error', async (_case, device, problem) => {
		const { _device: _unused, ...parameters } = register(device);
		const result = await fx.run({ parameters, items: [{ device: 'ok-1' }, { device }] });
		expect(result.error?.message).toBe(`Invalid value for "Device ID" in item 1: ${problem}`);
		expect(result.error?.description).toMatch(/nothing was sent to Loymax SC/);
		// Item 0 went through; item 1 was never sent.
		expect(apiRequests(fx).map((entry) => entry.headers.deviceId)).toEqual(['ok-1']);
	});

	it('refuses it in Set Message State too, and sends printable ASCII with spaces as given', async () => {
		const state = { resource: 'pushMailing', operation: 'setMessageState', deviceId: 'dev\n2', messageId: 'm-1', state: 'Read' };
		const refused = await fx.run({ parameters: state });
		expectInputError(fx, refused, 'Device ID', 'a line break cannot be sent in an HTTP header');
		await fx.ok({ ...state, deviceId: 'Pixel 8 (id: 42/a)' });
		expect(apiRequests(fx).map((entry) => entry.headers.deviceId)).toEqual(['Pixel 8 (id: 42/a)']);
	});
});

describe('names JavaScript objects reserve: __proto__, constructor, prototype', () => {
	const upsert = (extra: IDataObject = {}) => ({
		resource: 'customer',
		operation: 'upsert',
		localId: 'C-00001',
		registerDate: '2024-01-01T00:00:00',
		additionalFields: { firstName: 'Ivan' },
		...extra,
	});

	it.each(['__proto__', 'constructor', 'prototype'])('refuses a custom attribute named %s before any request', async (name) => {
		const result = await fx.run({ parameters: upsert({ customAttributes: { attribute: [{ name: 'level', value: 'gold' }, { name, value: '{"polluted": true}' }] } }) });
		expectInputError(fx, result, 'Custom Attributes', `"${name}" cannot be used as a name`);
	});

	it('refuses them as event context keys, entered as fields or as JSON', async () => {
		const create = { resource: 'event', operation: 'create', name: 'login', date: '2024-07-01T08:00:00' };
		const fields = await fx.run({ parameters: { ...create, context: { pair: [{ key: 'a', value: '1' }, { key: '__proto__', value: 'x' }] } } });
		expectInputError(fx, fields, 'Context 2: Key', '"__proto__" cannot be used as a name');
		const json = await fx.run({ parameters: { ...create, contextInput: 'json', contextJson: '{"ok": 1, "__proto__": {"polluted": true}}' } });
		expectInputError(fx, json, 'Context (JSON)', '"__proto__" cannot be used as a name');
	});

	it('refuses them as keys of order lines and of a line\'s custom attributes', async () => {
		const order = { resource: 'order', operation: 'upsert', localId: 'O-X', date: '2024-07-01T08:00:00' };
		const lines = await fx.run({
			parameters: { ...order, linesInput: 'json', linesJson: '[{"local_id":"L1","product_id":"P1","price":1,"cnt":1,"sum":1,"constructor":"x"}]' },
		});
		expectInputError(fx, lines, 'Lines (JSON)', 'entry 1: "constructor" cannot be used as a name');
		const custom = await fx.run({
			parameters: {
				...order,
				lines: { line: [{ localId: 'L1', productId: 'P1', price: 1, cnt: 1, sum: 1, customAttributes: '{"__proto__": {"a": 1}}' }] },
			},
		});
		expectInputError(fx, custom, 'Lines 1: Custom Attributes (JSON)', '"__proto__" cannot be used as a name');
	});
});

describe('lists that never end', () => {
	const listCustomers = { resource: 'customer', operation: 'getAll', returnAll: true };

	it('stops when the API answers a page with the records of the page before (it ignores page[number])', async () => {
		fx.sandbox.options.ignorePageNumber = true;
		fx.engine.setCredential({ pageSize: 10 });
		const result = await fx.ok(listCustomers);
		expect(apiRequests(fx).map((entry) => entry.query['page[number]'])).toEqual(['1', '2']);
		expect(result.items.map((item) => item.id)).toEqual(Array.from({ length: 10 }, (_, index) => String(index + 1)));
	});

	it('stops there also without meta or links.next', async () => {
		Object.assign(fx.sandbox.options, { ignorePageNumber: true, omitMeta: true, omitNextLink: true });
		fx.engine.setCredential({ pageSize: 10 });
		const result = await fx.ok(listCustomers);
		expect(apiRequests(fx)).toHaveLength(2);
		expect(result.items).toHaveLength(10);
	});

	it('fails clearly past the page cap instead of reading on', async () => {
		const cap = jest.replaceProperty(listPaging, 'maxPages', 2);
		try {
			fx.engine.setCredential({ pageSize: 10 });
			const result = await fx.run({ parameters: listCustomers });
			expect(result.error?.message).toBe('Stopped after 2 pages (20 records): Loymax SC kept announcing more');
			expect(apiRequests(fx)).toHaveLength(2);
			// Exactly at the cap, a list that ends there is read whole.
			fx.sandbox.clearLog();
			fx.engine.setCredential({ pageSize: 15 });
			expect((await fx.ok(listCustomers)).items).toHaveLength(30);
		} finally {
			cap.restore();
		}
	});
});

describe('Proxy: the value is never quoted, so no password leaks', () => {
	const secret = 's3cr/et';
	const proxies = [
		`user:${secret}@proxy.local:3128`,
		`http://user:${secret}@proxy.local:3128`,
		`http://user:3128/${secret}@proxy.local:3128`,
		`user:${secret}`,
		`http://user:${secret}@`,
		`socks5://user:${secret}@proxy.local:1080`,
		`http://user:s3cr%zzet@proxy.local:3128/path`,
	];

	it.each(proxies)('refuses %s without echoing it', (value) => {
		const parsed = parseProxy(value);
		expect(parsed).toHaveProperty('problem');
		expect(JSON.stringify(parsed)).not.toMatch(/s3cr|et@|user:/);
	});

	it('reads user, password, host and port; the scheme is optional; percent-encoding is decoded', () => {
		expect(parseProxy('user:p%2Fss@proxy.local:3128')).toEqual({
			proxy: { protocol: 'http', host: 'proxy.local', port: 3128, auth: { username: 'user', password: 'p/ss' } },
		});
		expect(parseProxy('https://[::1]')).toEqual({ proxy: { protocol: 'https', host: '::1', port: 443 } });
		expect(parseProxy('http://u:%zz@proxy.local:3128/')).toEqual({
			proxy: { protocol: 'http', host: 'proxy.local', port: 3128, auth: { username: 'u', password: '%zz' } },
		});
	});

	it('reports a proxy with a password through the engine without any part of the password', async () => {
		for (const proxy of [`user:${secret}@proxy.local:3128`, `http://user:${secret}@proxy.local:3128`]) {
			const result = await fx.run({ parameters: { resource: 'customer', operation: 'get', customerId: 'C-00001', requestOptions: { proxy } } });
			expect(result.error?.message).toMatch(/^Invalid value for "Proxy" in item 0: /);
			expect(`${result.error?.message} ${result.error?.description}`).not.toMatch(/s3cr|et@/);
		}
		expect(fx.sandbox.log).toHaveLength(0);
	});
});
