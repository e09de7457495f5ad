/**
 * The node against every reading of the reference the sandbox can take (sandbox/CONTRACT.md,
 * "Contract variants"), with the default credential: each must work on the first try, and a
 * fallback must cost one refused request once per host (and endpoint), never one per item.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { INodeParameters } from 'n8n-workflow';

import { resources } from '../nodes/LoymaxSc/resources';
import { readTokenAnswer } from '../nodes/LoymaxSc/transport/login';
import { missesSentFields } from '../nodes/LoymaxSc/transport/refusal';
import { hostKey } from '../nodes/LoymaxSc/transport/readings';
import type { SandboxOptions } from '../sandbox';
import type { EmptyWriteAck, Envelope, TokenForm, TokenResponse } from '../sandbox/types';
import { credentialTestNode, testerMessage } from './harness/credentialTest';
import { createFixture, type Fixture } from './harness/fixture';
import { rl } from './harness/operation';

/** Every write of the node, once, in an order in which the records they need exist. */
const WRITES: Array<[operation: string, parameters: INodeParameters]> = [
	['customer.upsert', { localId: 'V-1', registerDate: '2024-01-01T00:00:00', additionalFields: { firstName: 'Vera' } }],
	['customer.update', { customerId: 'C-00002', updateFields: { city: 'Omsk' } }],
	['customerSubscription.update', { customerId: 'C-00003', categories: { category: [{ code: 'news', email: 'N' }] } }],
	['customerChannel.update', { customerId: 'C-00003', updateFields: { sms: 'Y' } }],
	['customerContact.add', { customerId: 'C-00004', contacts: { contact: [{ type: 'push', value: 'fcm-1' }] } }],
	['customerDevice.register', { customerId: 'C-00001', deviceId: 'dev-1', registrationId: 'tok-1', platform: 'Android' }],
	['customerDevice.delete', { customerId: 'C-00001', deviceId: 'dev-1', registrationId: 'tok-1', additionalFields: { sourceCode: 3 } }],
	['customerBonus.update', { customerId: 'C-00003', updateFields: { active: 500 } }],
	['customerMarker.add', { customerId: 'C-00002', markerName: 'vip' }],
	['customerMarker.remove', { customerId: 'C-00002', markerName: 'vip' }],
	['order.upsert', { localId: 'O-V1', date: '2024-06-01T10:20:30', lines: { line: [{ localId: 'L1', productId: 'P-00001', price: 1, cnt: 1, sum: 1 }] } }],
	['order.update', { orderId: 'O-00002', updateFields: { statusName: 'paid' } }],
	['event.create', { name: 'login', date: '2024-07-01T08:00:00' }],
	['event.update', { eventId: '2', updateFields: { name: 'login' } }],
	['webEvent.create', { clientId: 'C-00001', sessionId: 's-1', name: 'product_view', date: '2024-05-01T10:00:00' }],
	['product.upsert', { localId: 'P-V1', name: 'Tea' }],
	['product.update', { itemId: 'P-00005', updateFields: { name: 'Renamed' } }],
	['productCategory.upsert', { localId: 'CAT-V1', name: 'Drinks' }],
	['productCategory.update', { itemId: 'CAT-00004', updateFields: { name: 'Renamed' } }],
	['pushMailing.setMessageState', { deviceId: 'device-42', state: 'Read', messageId: 'msg-1' }],
	['messageEvent.create', { channel: 'email', eventType: 'open', messageId: 'msg-100', externalClientId: 'C-00001' }],
	['promoCodeGroup.upsert', { localId: 'SPRING', name: 'Spring' }],
	['promoCodeGroup.update', { groupId: rl('2'), updateFields: { name: 'Summer' } }],
	['promoCodeGroup.uploadCodes', { groupLocalId: 'PG-00001', codes: 'A-1, A-2' }],
	['promoCodeGroup.delete', { groupId: rl('3') }],
	['dictionary.create', { name: 'Colours', code: 'colours' }],
	['dictionary.update', { dictionaryId: rl('2'), updateFields: { name: 'Renamed' } }],
	// The dictionary created above.
	['dictionary.delete', { dictionaryId: rl('3') }],
	['dictionaryItem.create', { dictionaryId: rl('2'), name: 'Red', code: 'red' }],
	['dictionaryItem.update', { dictionaryId: rl('2'), itemId: rl('4'), updateFields: { name: 'Renamed' } }],
	['dictionaryItem.delete', { dictionaryId: rl('2'), itemId: rl('5') }],
];

const parameters = (operation: string, extra: INodeParameters): INodeParameters => {
	const [resource, name] = operation.split('.');
	return { resource, operation: name, ...extra };
};

interface Login {
	tokenForm: TokenForm;
	tokenResponse: TokenResponse;
	bearerPrefix: boolean;
}

const LOGINS: Login[] = (['body', 'query', 'both'] as const).flatMap((tokenForm) =>
	(['jsonapi', 'plain'] as const).flatMap((tokenResponse) => [true, false].map((bearerPrefix) => ({ tokenForm, tokenResponse, bearerPrefix }))),
);
/** The body goes first: only an API that reads the query alone costs a second token call, once. */
const tokenCallsOf = (login: Login) => (login.tokenForm === 'query' ? 2 : 1);

const ENVELOPES: Envelope[] = ['wrapped', 'flat'];
const ACKS: EmptyWriteAck[] = ['json', '204', 'empty200', 'text200'];
/** Each envelope with each acknowledgement, the logins taken in turn. */
const WRITE_VARIANTS = ENVELOPES.flatMap((envelope, e) =>
	ACKS.map((emptyWriteAck, a) => ({ envelope, emptyWriteAck, ...LOGINS[(e * ACKS.length + a * 5) % LOGINS.length] })),
);

const label = (options: SandboxOptions) =>
	Object.entries(options)
		.map(([key, value]) => `${key}=${String(value)}`)
		.join(' ');

/** Requests other than the login and reads. */
const writes = (fx: Fixture) => fx.sandbox.log.filter((entry) => entry.method !== 'GET' && entry.path !== '/token');
const refused = (fx: Fixture) => writes(fx).filter((entry) => entry.status === 400);

let fx: Fixture | undefined;
afterEach(async () => {
	await fx?.close();
	fx = undefined;
});

describe('every write operation against every envelope and write acknowledgement', () => {
	it('covers every write of the operation table', () => {
		const table = resources.flatMap((resource) =>
			resource.operations.filter((spec) => spec.kind === 'write' || spec.kind === 'delete').map((spec) => `${resource.value}.${spec.value}`),
		);
		expect(WRITES.map(([operation]) => operation).sort()).toEqual(table.sort());
	});

	it.each(WRITE_VARIANTS.map((variant) => [label(variant), variant] as const))('%s', async (_name, variant) => {
		fx = await createFixture({ ...variant, seed: { customers: 30, orders: 30 } });
		const outputs: Array<[string, unknown[]]> = [];
		for (const [operation, extra] of WRITES) {
			const result = await fx.run({ parameters: parameters(operation, extra) });
			expect({ operation, error: result.error?.message }).toEqual({ operation, error: undefined });
			outputs.push([operation, result.items]);
		}
		// One refusal per group of endpoints under a flat API (the first write of the data endpoints,
		// the first of those Loymax's OpenAPI file shows), none under the documented envelope.
		expect(refused(fx).map((entry) => `${entry.method} ${entry.path}`)).toEqual(
			variant.envelope === 'flat' ? ['POST /customer', 'PATCH /customer/C-00003/subscribe'] : [],
		);
		// Every write reached the API once: a 2xx, whatever its body, is never repeated.
		expect(writes(fx).filter((entry) => entry.status < 300)).toHaveLength(WRITES.length);
		expect(fx.tokenCalls()).toBe(tokenCallsOf(variant));
		for (const [operation, items] of outputs) {
			expect({ operation, items: items.length }).toEqual({ operation, items: 1 });
			if (variant.emptyWriteAck !== 'json') {
				const item = items[0] as { success?: unknown; deleted?: unknown };
				expect({ operation, acknowledged: item.success === true || item.deleted === true }).toEqual({ operation, acknowledged: true });
			}
		}
		const { store } = fx.sandbox;
		expect([store.customers.has('V-1'), store.products.has('P-V1'), store.orders.has('O-V1')]).toEqual([true, true, true]);
		expect([store.messageEvents.length, store.webEvents.length, store.pushStates.length]).toEqual([1, 1, 1]);
		expect(Object.fromEntries(store.subscriptionsOf(3)).news).toMatchObject({ email: 'N' });
	});

	it('costs the fallback once per host and endpoint, not once per item', async () => {
		fx = await createFixture({ envelope: 'flat' });
		const items = [{ id: 'F-1' }, { id: 'F-2' }, { id: 'F-3' }];
		await fx.ok(parameters('product.upsert', { localId: '={{ $json.id }}', name: 'Flat' }), items);
		expect(writes(fx).map((entry) => [entry.status, entry.body])).toEqual([
			[400, { data: { attributes: { local_id: 'F-1', name: 'Flat' } } }],
			[201, { local_id: 'F-1', name: 'Flat' }],
			[201, { local_id: 'F-2', name: 'Flat' }],
			[201, { local_id: 'F-3', name: 'Flat' }],
		]);
		// Later executions (and other endpoints of the group) start with what worked.
		await fx.ok(parameters('productCategory.upsert', { localId: 'CAT-F', name: 'Flat' }));
		expect(refused(fx)).toHaveLength(1);
		// An endpoint that takes the other shape (an instance that differs per endpoint) costs one more.
		fx.sandbox.options.envelope = 'wrapped';
		await fx.ok(parameters('product.upsert', { localId: 'F-4', name: 'Wrapped' }), [{}, {}]);
		await fx.ok(parameters('product.upsert', { localId: 'F-5', name: 'Wrapped' }));
		expect(refused(fx)).toHaveLength(2);
		expect(fx.sandbox.store.products.get('F-5')?.attributes.name).toBe('Wrapped');
	});

	it('keeps a fixed Body Format: no second shape, and the refusal names the fields', async () => {
		fx = await createFixture({ envelope: 'flat' }, { bodyFormat: 'envelope' });
		const result = await fx.run({ parameters: parameters('customerChannel.update', { customerId: 'C-00001', updateFields: { sms: 'Y' } }) });
		expect(result.error?.message).toBe('Loymax SC error: Invalid Attribute (data: The data field is prohibited.)');
		expect(writes(fx)).toHaveLength(1);
	});

	it('adapts a credential saved before Auto existed (Body Format "wrapped", the old default)', async () => {
		fx = await createFixture({ envelope: 'flat' }, { bodyFormat: 'wrapped' });
		const result = await fx.run({ parameters: parameters('customerChannel.update', { customerId: 'C-00001', updateFields: { sms: 'Y' } }) });
		expect(result.error).toBeUndefined();
		expect(writes(fx).map((entry) => entry.status)).toEqual([400, 200]);
	});

	it('reports a genuine validation error at once, without a second shape', async () => {
		fx = await createFixture();
		const taken = { errors: [{ status: 422, title: 'Validation Failed', validation: { local_id: ['The local_id has already been taken.'] } }] };
		fx.sandbox.inject({ kind: 'status', status: 422, body: taken, match: { method: 'POST', path: '/product' } });
		const result = await fx.run({ parameters: parameters('product.upsert', { localId: 'G-1', name: 'G' }) });
		expect(result.error?.message).toBe('Loymax SC error: Validation Failed (local_id: The local_id has already been taken.)');
		expect(writes(fx)).toHaveLength(1);
	});

	it('reports the first refusal when the other shape is refused too', async () => {
		fx = await createFixture();
		const missing = { errors: [{ status: 400, title: 'Invalid Attribute', validation: { name: ['The name field is required.'] } }] };
		fx.sandbox.inject({ kind: 'status', status: 400, body: missing, match: { method: 'POST', path: '/product' } });
		const result = await fx.run({ parameters: parameters('product.upsert', { localId: 'G-1', name: 'G' }) });
		expect(result.error?.message).toBe('Loymax SC error: Invalid Attribute (name: The name field is required.)');
		expect(writes(fx).map((entry) => [entry.status, entry.fault !== undefined])).toEqual([
			[400, true],
			[400, false],
		]);
		expect(fx.sandbox.store.products.has('G-1')).toBe(false);
	});
});

describe('every login form and token answer', () => {
	it.each(LOGINS.map((login) => [label(login), login] as const))('%s', async (_name, login) => {
		fx = await createFixture({ ...login, seed: { customers: 30 } });
		const test = await fx.run({ parameters: {}, nodeType: credentialTestNode });
		expect(testerMessage(test.error)).toBe('Connection successful!');
		await fx.ok({ resource: 'customer', operation: 'get', customerId: 'C-00007' });
		const many = await fx.ok({ resource: 'customer', operation: 'getAll', returnAll: true });
		expect(many.items).toHaveLength(30);
		await fx.ok(parameters('product.upsert', { localId: 'P-L', name: 'Login' }));
		const [report] = (await fx.ok({ resource: 'connection', operation: 'check' })).items;
		expect(fx.tokenCalls()).toBe(tokenCallsOf(login));
		const logins = fx.requests({ path: '/token' });
		expect(logins.at(-1)?.rawQuery === '').toBe(login.tokenForm !== 'query');
		expect(report).toMatchObject({
			connected: true,
			loginForm: login.tokenForm === 'query' ? 'query' : 'body',
			loginFormAfterFallback: login.tokenForm === 'query',
			tokenLocation: login.tokenResponse === 'jsonapi' ? 'data.attributes.access_token' : 'access_token',
			tokenBearerPrefix: login.bearerPrefix,
			tokenExpiresInSeconds: login.tokenResponse === 'plain' ? 3600 : null,
		});
	});

	it.each(['body', 'query', 'both'] as const)('reports a wrong password as such (tokenForm=%s), at most one form switch, never a loop', async (tokenForm) => {
		fx = await createFixture({ tokenForm }, { password: 'not-it' });
		const first = await fx.run({ parameters: { resource: 'customer', operation: 'get', customerId: 'C-00001' } });
		expect(first.error?.message).toMatch(/^Loymax SC login failed: client not found/);
		expect(fx.requests({ path: '/token' }).map((entry) => entry.status)).toEqual(tokenForm === 'query' ? [400, 401] : [401]);
		// A definite refusal is remembered briefly: the next execution fails at once, without a token call.
		fx.sandbox.clearLog();
		const second = await fx.run({ parameters: { resource: 'customer', operation: 'get', customerId: 'C-00001' } });
		expect(second.error?.message).toMatch(/^Loymax SC login failed: client not found/);
		expect(fx.requests()).toEqual([]);
		expect(JSON.stringify(first.error)).not.toContain('not-it');
	});

	it('says when the API finds username and password in neither form', async () => {
		fx = await createFixture({ tokenForm: 'query' });
		fx.sandbox.inject({ kind: 'status', status: 400, count: 2, match: { path: '/token' }, body: { errors: [{ status: 400, title: 'Invalid Attribute', validation: { username: ['The username field is required.'] } }] } });
		const result = await fx.run({ parameters: { resource: 'customer', operation: 'get', customerId: 'C-00001' } });
		expect(result.error?.message).toBe('Loymax SC login failed: Invalid Attribute');
		expect(result.error?.description).toMatch(/neither|nor in the query parameters/);
		expect(fx.tokenCalls()).toBe(2);
	});
});

describe('what the node found, told once', () => {
	it('logs once per host the login form, token shape, envelope and rate-limit headers', async () => {
		const info = jest.spyOn(Container.get(Logger), 'info').mockImplementation(() => {});
		try {
			fx = await createFixture({ tokenForm: 'query', tokenResponse: 'plain', envelope: 'flat', rateLimitHeaders: true, rateLimitMode: 'fixed' });
			await fx.ok(parameters('product.upsert', { localId: 'P-1', name: 'One' }));
			await fx.ok(parameters('product.upsert', { localId: 'P-2', name: 'Two' }));
			await fx.ok({ resource: 'customer', operation: 'get', customerId: 'C-00001' });
			const lines = info.mock.calls.map(([message]) => String(message)).filter((message) => message.startsWith('Loymax SC at'));
			const host = hostKey(fx.sandbox.url);
			// Each finding once, when it is made: the login and headers at the first answer, the envelope after the fallback.
			expect(lines).toEqual([
				`Loymax SC at ${host}: logs in with username and password as query parameters of POST /token (the other form was refused); ` +
					'answers the token in access_token with "Bearer ", expires_in 3600 s; sends rate-limit headers X-RateLimit-Limit, X-RateLimit-Remaining',
				`Loymax SC at ${host}: takes flat fields for write bodies; POST /product took flat fields after the other shape was refused`,
			]);
			expect(lines.join('\n')).not.toContain('demo-password');
		} finally {
			info.mockRestore();
		}
	});
});

describe('reading refusals and token answers', () => {
	const refusal = (validation: Record<string, string[]>, status = 400) => [status, [{ status, title: 'Invalid Attribute', validation }]] as const;

	it.each([
		['a flat API names the fields it did not find', refusal({ local_id: ['The local_id field is required.'] }), true],
		['Laravel spells local_id "local id"', [400, [{ status: 400, title: 'The local id field is required.' }]] as const, true],
		['a JSON:API reader names data.attributes.*', refusal({ 'data.attributes.local_id': ['The data.attributes.local_id field is required.'] }, 422), true],
		['the envelope itself', refusal({ data: ['The data field is required.'] }), true],
		['a Russian message', refusal({ local_id: ['Поле local_id обязательно для заполнения.'] }, 422), true],
		['a bad value of a sent field', refusal({ local_id: ['The local_id has already been taken.'] }, 422), false],
		['a field that was not sent', refusal({ phone: ['The phone field is required.'] }), false],
		['a field sent empty', refusal({ name: ['The name field is required.'] }), false],
		['a 404', refusal({ local_id: ['The local_id field is required.'] }, 404), false],
	])('%s', (_name, [status, errors], switches) => {
		expect(missesSentFields(status, [...errors], { local_id: 'X-1', name: '' })).toBe(switches);
	});

	it('reads the token from either answer, adding "Bearer " only when missing', () => {
		expect(readTokenAnswer({ data: { attributes: { access_token: 'Bearer a.b.c' } } })).toEqual({ token: 'Bearer a.b.c', shape: 'jsonapi', bearerPrefix: true });
		expect(readTokenAnswer({ access_token: 'a.b.c', token_type: 'bearer', expires_in: 60 })).toEqual({
			token: 'Bearer a.b.c',
			shape: 'plain',
			bearerPrefix: false,
			expiresInSeconds: 60,
		});
		expect(readTokenAnswer({ data: { attributes: {} } })).toBeUndefined();
		expect(readTokenAnswer('a.b.c')).toBeUndefined();
	});
});
