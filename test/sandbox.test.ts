/**
 * Tests of the sandbox itself, over real HTTP.
 */
import * as jwt from 'jsonwebtoken';
import type { Sandbox, SandboxOptions } from '../sandbox';
import { DEMO_USER, startSandbox } from '../sandbox';

let sb: Sandbox;
let token: string;

async function start(opts: SandboxOptions = {}): Promise<Sandbox> {
	sb = await startSandbox({ port: 0, ...opts });
	token = sb.issueToken(DEMO_USER.username);
	return sb;
}

afterEach(async () => {
	await sb?.close();
});

interface Reply {
	status: number;
	statusText: string;
	headers: Headers;
	text: string;
	json: any;
}

interface CallOptions {
	body?: unknown;
	/** Raw request body (sent as is). */
	raw?: string;
	headers?: Record<string, string>;
	/** `null` = no Authorization header; default: a valid token. */
	auth?: string | null;
	contentType?: string;
}

async function call(method: string, path: string, o: CallOptions = {}): Promise<Reply> {
	const headers: Record<string, string> = { ...(o.headers ?? {}) };
	const auth = o.auth === undefined ? `Bearer ${token}` : o.auth;
	if (auth !== null) headers.Authorization = auth;
	let body: string | undefined = o.raw;
	if (o.body !== undefined) body = JSON.stringify(o.body);
	if (body !== undefined) headers['Content-Type'] = o.contentType ?? 'application/json';
	const res = await fetch(sb.url + path, { method, headers, body });
	const text = await res.text();
	let json: any;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: res.status, statusText: res.statusText, headers: res.headers, text, json };
}

const get = (path: string, o?: CallOptions) => call('GET', path, o);
const wrap = (attributes: Record<string, unknown>) => ({ data: { attributes } });
const sortParam = (terms: unknown) => `sort=${encodeURIComponent(JSON.stringify(terms))}`;

const customer = (over: Record<string, unknown> = {}) => ({
	local_id: 'C-X1',
	first_name: 'Ivan',
	last_name: 'Petrov',
	email: 'ivan@example.com',
	phone: '79990000000',
	sex: 'M',
	birth_date: '1990-05-15',
	city: 'Moscow',
	register_date: '2024-01-31 12:00:00',
	...over,
});

describe('token', () => {
	test('issues an HS256 JWT with Bearer prefix, claims and user', async () => {
		await start({ tokenTtlSeconds: 120 });
		const r = await call('POST', '/token', { auth: null, body: wrap({ username: DEMO_USER.username, password: DEMO_USER.password }) });
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toBe('application/vnd.api+json');
		const d = r.json.data;
		expect(d.type).toBe('user');
		expect(d.id).toBe('1');
		expect(d.attributes.user).toEqual({ id: 1, username: DEMO_USER.username, email: DEMO_USER.username });
		expect(r.json.links.self).toBe(`${sb.url}/token`);
		const access: string = d.attributes.access_token;
		expect(access.startsWith('Bearer ')).toBe(true);
		const decoded = jwt.decode(access.slice(7), { complete: true }) as jwt.Jwt;
		expect(decoded.header).toMatchObject({ alg: 'HS256', typ: 'JWT' });
		const claims = decoded.payload as jwt.JwtPayload;
		expect(Object.keys(claims).sort()).toEqual(['exp', 'iat', 'iss', 'jti', 'nbf', 'sub']);
		expect(claims.iss).toBe(`${sb.url}/token`);
		expect((claims.exp as number) - (claims.iat as number)).toBe(120);
		expect(claims.nbf).toBe(claims.iat);
		// the value works verbatim as Authorization header
		expect((await get('/customer', { auth: access })).status).toBe(200);
	});

	test('bearerPrefix false gives a bare JWT; vnd.api+json accepted', async () => {
		await start({ bearerPrefix: false });
		const r = await call('POST', '/token', {
			auth: null,
			contentType: 'application/vnd.api+json',
			body: wrap({ username: DEMO_USER.username, password: DEMO_USER.password }),
		});
		expect(r.status).toBe(200);
		expect(r.json.data.attributes.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
	});

	test('wrong password → 401 client not found (or 200 with errors)', async () => {
		await start();
		const body = wrap({ username: DEMO_USER.username, password: 'nope' });
		const r = await call('POST', '/token', { auth: null, body });
		expect(r.status).toBe(401);
		expect(r.json).toEqual({ errors: [{ status: 401, title: 'client not found' }] });
		sb.options.tokenErrorsAs200 = true;
		const r2 = await call('POST', '/token', { auth: null, body });
		expect(r2.status).toBe(200);
		expect(r2.json).toEqual({ errors: [{ status: 401, title: 'client not found' }] });
	});

	test('missing fields → 422; flat body → 400 even with flat envelope', async () => {
		await start({ envelope: 'flat' });
		const r = await call('POST', '/token', { auth: null, body: wrap({ username: '' }) });
		expect(r.status).toBe(422);
		expect(Object.keys(r.json.errors[0].validation).sort()).toEqual(['password', 'username']);
		const flat = await call('POST', '/token', { auth: null, body: { username: DEMO_USER.username, password: DEMO_USER.password } });
		expect(flat.status).toBe(400);
	});

	test('expired, forged, missing and malformed tokens → 401', async () => {
		await start();
		const unauthorized = { errors: [{ status: 401, title: 'Unauthorized' }] };
		const cases: Array<string | null> = [
			`Bearer ${sb.issueToken(DEMO_USER.username, { ttlSeconds: -5 })}`,
			`Bearer ${sb.issueToken(DEMO_USER.username, { secret: 'another-secret' })}`,
			null,
			token,
			`Bearer Bearer ${token}`,
			'Bearer not-a-jwt',
		];
		for (const auth of cases) {
			const r = await get('/customer', { auth });
			expect(r.status).toBe(401);
			expect(r.json).toEqual(unauthorized);
		}
		expect(sb.log.map((e) => e.token)).toEqual([
			cases[0]!.slice(7),
			cases[1]!.slice(7),
			null,
			token,
			`Bearer ${token}`,
			'not-a-jwt',
		]);
		expect((await get('/customer')).status).toBe(200);
	});

	test('a token expires after tokenTtlSeconds', async () => {
		await start();
		const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
		// exp = iat + 1 (whole seconds): the token dies at the next second boundary
		if (Date.now() % 1000 > 700) await sleep(1005 - (Date.now() % 1000));
		const t = sb.issueToken(DEMO_USER.username, { ttlSeconds: 1 });
		expect((await get('/customer', { auth: `Bearer ${t}` })).status).toBe(200);
		await sleep(1020 - (Date.now() % 1000));
		expect((await get('/customer', { auth: `Bearer ${t}` })).status).toBe(401);
	}, 5000);

	test('changing jwtSecret invalidates old tokens', async () => {
		await start();
		sb.options.jwtSecret = 'rotated';
		expect((await get('/customer')).status).toBe(401);
	});
});

describe('rate limit', () => {
	test('429 over the limit, token requests count, rejected ones do not, no Retry-After by default', async () => {
		await start({ rateLimitPerMinute: 3 });
		const creds = wrap({ username: DEMO_USER.username, password: DEMO_USER.password });
		expect((await call('POST', '/token', { auth: null, body: creds })).status).toBe(200);
		expect((await get('/customer')).status).toBe(200);
		expect((await get('/order')).status).toBe(200);
		const r = await get('/customer');
		expect(r.status).toBe(429);
		expect(r.statusText).toBe('Too Many Attempts');
		expect(r.json).toEqual({ errors: [{ status: 429, title: 'Too Many Attempts.' }] });
		expect(r.headers.get('retry-after')).toBeNull();
		expect((await call('POST', '/token', { auth: null, body: creds })).status).toBe(429);
		// the two rejected requests were not counted
		sb.options.rateLimitPerMinute = 4;
		expect((await get('/customer')).status).toBe(200);
		expect((await get('/customer')).status).toBe(429);
		// control endpoints are not limited, reset clears counters
		expect((await fetch(`${sb.url}/__sandbox/reset`, { method: 'POST' })).status).toBe(200);
		expect((await get('/customer')).status).toBe(200);
	});

	test('Retry-After when retryAfterSeconds is set', async () => {
		await start({ rateLimitPerMinute: 1, retryAfterSeconds: 30 });
		expect((await get('/customer')).status).toBe(200);
		const r = await get('/customer');
		expect(r.status).toBe(429);
		expect(r.headers.get('retry-after')).toBe('30');
	});
});

describe('pagination', () => {
	test('default page size, meta and links', async () => {
		await start();
		const r = await get('/customer');
		expect(r.json.meta).toEqual({ total: 25, count: 15 });
		expect(r.json.data[0]).toMatchObject({ type: 'customer', id: '1', links: { self: `${sb.url}/customer/C-00001` } });
		expect(r.json.links).toEqual({
			self: `${sb.url}/customer?page[number]=1&page[size]=15`,
			first: `${sb.url}/customer?page[number]=1&page[size]=15`,
			last: `${sb.url}/customer?page[number]=2&page[size]=15`,
			next: `${sb.url}/customer?page[number]=2&page[size]=15`,
		});
		const p2 = await get('/customer?page[number]=2&page[size]=15');
		expect(p2.json.meta).toEqual({ total: 25, count: 10 });
		expect(p2.json.links.next).toBeUndefined();
		expect(p2.json.links.prev).toBe(`${sb.url}/customer?page[number]=1&page[size]=15`);
		const past = await get('/customer?page%5Bnumber%5D=9');
		expect(past.status).toBe(200);
		expect(past.json.data).toEqual([]);
		expect(past.json.meta).toEqual({ total: 25, count: 0 });
	});

	test('page[size] capped at maxPageSize; invalid values → 400', async () => {
		await start({ seed: { customers: 150 } });
		const r = await get('/customer?page[size]=500');
		expect(r.json.meta).toEqual({ total: 150, count: 100 });
		expect(r.json.links.last).toBe(`${sb.url}/customer?page[number]=2&page[size]=100`);
		for (const q of ['page[size]=0', 'page[size]=-1', 'page[size]=1.5', 'page[size]=abc', 'page[number]=0', 'page[number]=']) {
			const bad = await get(`/customer?${q}`);
			expect(bad.status).toBe(400);
			expect(bad.json.errors[0].status).toBe(400);
		}
	});
});

describe('sort', () => {
	test('sorts by attributes and id, keeps sort in links', async () => {
		await start();
		const desc = await get(`/customer?page[size]=3&${sortParam([{ attribute: 'id', direction: 'desc' }])}`);
		expect(desc.json.data.map((d: any) => d.id)).toEqual(['25', '24', '23']);
		expect(desc.json.links.next).toContain(`&sort=${encodeURIComponent(JSON.stringify([{ attribute: 'id', direction: 'desc' }]))}`);
		const terms = [
			{ attribute: 'sex', direction: 'asc' },
			{ attribute: 'first_name', direction: 'desc' },
		];
		const all = await get(`/customer?page[size]=100&${sortParam(terms)}`);
		const rows = all.json.data.map((d: any) => [d.attributes.sex, d.attributes.first_name]);
		const expected = [...rows].sort((a: string[], b: string[]) => (a[0] === b[0] ? (a[1] < b[1] ? 1 : -1) : a[0] < b[0] ? -1 : 1));
		expect(rows).toEqual(expected);
		const page2 = await get(`/customer?page[number]=2&page[size]=10&${sortParam(terms)}`);
		expect(page2.json.data.map((d: any) => d.id)).toEqual(all.json.data.slice(10, 20).map((d: any) => d.id));
	});

	test('unknown attribute, bad direction or malformed JSON → 400 Invalid sort', async () => {
		await start();
		for (const s of [
			sortParam([{ attribute: 'nope', direction: 'asc' }]),
			sortParam([{ attribute: 'city', direction: 'up' }]),
			sortParam({ attribute: 'city', direction: 'asc' }),
			'sort=%5B%7B',
		]) {
			const r = await get(`/customer?${s}`);
			expect(r.status).toBe(400);
			expect(r.json).toEqual({ errors: [{ status: 400, title: 'Invalid sort' }] });
		}
	});

	test('custom attributes become sortable once written', async () => {
		await start();
		expect((await call('POST', '/customer', { body: wrap(customer({ loyalty_level: 'gold' })) })).status).toBe(201);
		const r = await get(`/customer?page[size]=1&${sortParam([{ attribute: 'loyalty_level', direction: 'desc' }])}`);
		expect(r.status).toBe(200);
		expect(r.json.data[0].attributes.local_id).toBe('C-X1');
	});
});

describe('validation', () => {
	test('register_date format and range, sex enum, missing local_id: one entry per field', async () => {
		await start({ now: () => new Date('2024-06-01T00:00:00Z') });
		const bad = await call('POST', '/customer', {
			body: wrap(customer({ local_id: undefined, register_date: '31.01.2024', sex: 'X', email: 'nope', birth_date: '1990-13-01' })),
		});
		expect(bad.status).toBe(422);
		expect(bad.json.errors).toHaveLength(1);
		expect(bad.json.errors[0]).toMatchObject({ status: 422, title: 'Validation Failed' });
		const v = bad.json.errors[0].validation;
		expect(Object.keys(v).sort()).toEqual(['birth_date', 'email', 'local_id', 'register_date', 'sex']);
		for (const msgs of Object.values(v)) expect(Array.isArray(msgs) && typeof (msgs as string[])[0] === 'string').toBe(true);

		for (const rd of ['2009-12-31 23:59:59', '2025-01-01 00:00:00', '2023-02-29 10:00:00', '2023-01-01 24:00:00', '2023-01-01', '']) {
			const r = await call('POST', '/customer', { body: wrap(customer({ register_date: rd })) });
			expect(r.status).toBe(422);
			expect(Object.keys(r.json.errors[0].validation)).toEqual(['register_date']);
		}
		expect((await call('POST', '/customer', { body: wrap(customer({ register_date: '2010-01-01 00:00:00' })) })).status).toBe(201);
		expect((await call('POST', '/customer', { body: wrap(customer({ register_date: '2024-12-31 23:59:59', sex: '' })) })).status).toBe(200);
	});

	test('at least one name field; booleans must be Y/N/""', async () => {
		await start();
		const r = await call('POST', '/customer', { body: wrap(customer({ first_name: '', last_name: undefined })) });
		expect(r.status).toBe(422);
		expect(Object.keys(r.json.errors[0].validation)).toEqual(['full_name']);
		const ch = await call('POST', '/customer/C-00001/channel', { body: wrap({ email: true, sms: 'Y' }) });
		expect(ch.status).toBe(422);
		expect(Object.keys(ch.json.errors[0].validation)).toEqual(['email']);
	});
});

describe('upsert and full replacement', () => {
	test('POST creates (201) then updates (200) by local_id, fields not sent become ""', async () => {
		await start();
		const c1 = await call('POST', '/customer', { body: wrap(customer({ vip_level: 'gold' })) });
		expect(c1.status).toBe(201);
		expect(c1.json.data).toMatchObject({ type: 'customer', id: '26', attributes: { local_id: 'C-X1', city: 'Moscow', vip_level: 'gold', order_cnt: 0 } });
		expect(c1.json.links.self).toBe(`${sb.url}/customer/C-X1`);
		const c2 = await call('POST', '/customer', { body: wrap({ local_id: 'C-X1', last_name: 'Sidorov', register_date: '2024-02-01 00:00:00' }) });
		expect(c2.status).toBe(200);
		expect(c2.json.data.id).toBe('26');
		const got = await get('/customer/C-X1');
		expect(got.json.data.attributes).toMatchObject({ last_name: 'Sidorov', first_name: '', city: '', email: '', sex: '' });
		expect(got.json.data.attributes.vip_level).toBeUndefined();
		expect(sb.store.customers.size).toBe(26);
		expect(sb.store.customers.get('C-X1')?.attributes.last_name).toBe('Sidorov');
		// seeded records are upserted too
		expect((await call('POST', '/customer', { body: wrap(customer({ local_id: 'C-00002' })) })).status).toBe(200);
		expect(sb.store.customers.size).toBe(26);
	});

	test('PATCH: 404 unknown, full replacement, local_id must equal the path', async () => {
		await start();
		expect((await call('PATCH', '/customer/C-NOPE', { body: wrap(customer()) })).status).toBe(404);
		const p = await call('PATCH', '/customer/C-00003', { body: wrap({ first_name: 'Anna', register_date: '2021-01-01 00:00:00' }) });
		expect(p.status).toBe(200);
		expect(p.json.data.attributes).toMatchObject({ local_id: 'C-00003', first_name: 'Anna', last_name: '', email: '', order_cnt: 1 });
		const mismatch = await call('PATCH', '/customer/C-00003', { body: wrap(customer({ local_id: 'C-00004' })) });
		expect(mismatch.status).toBe(422);
		expect(Object.keys(mismatch.json.errors[0].validation)).toEqual(['local_id']);
	});

	test('orders, products, promo groups and dictionaries share the generic implementation', async () => {
		await start();
		const order = {
			local_id: 'O-X1',
			date: '2024-01-31T12:00:00Z',
			client_id: 'C-00001',
			items: [{ local_id: 'L1', product_id: 'P-00001', price: 100.5, cnt: 2, sum: 201, color: 'red' }],
		};
		expect((await call('POST', '/order', { body: wrap(order) })).status).toBe(201);
		const bad = await call('POST', '/order', { body: wrap({ ...order, items: [{ local_id: 'L1', price: '1' }] }) });
		expect(bad.status).toBe(422);
		expect(Object.keys(bad.json.errors[0].validation).sort()).toEqual(['items.0.cnt', 'items.0.price', 'items.0.product_id', 'items.0.sum']);
		const upd = await call('PATCH', '/order/O-X1', { body: wrap({ local_id: 'O-X1', date: '2024-02-01 10:00:00' }) });
		expect(upd.json.data.attributes).toMatchObject({ items: [], client_id: '', items_sum: 0 });

		const pg = await call('POST', '/promocode-group', { body: wrap({ local_id: 'PG-X', name: 'Spring' }) });
		expect(pg.status).toBe(201);
		const codes = await call('POST', `/promocode-group/${pg.json.data.id}/codes`, { body: wrap({ codes: ['A', 'B', 'A'] }) });
		expect(codes.json).toEqual({ data: { attributes: { status: 'success', added: 2, skipped: 1 } } });
		expect((await get(`/promocode-group/${pg.json.data.id}`)).json.data.attributes).toMatchObject({ codes_total: 2, codes_free: 2 });
		expect((await call('DELETE', `/promocode-group/${pg.json.data.id}`)).status).toBe(204);
		expect((await get(`/promocode-group/${pg.json.data.id}`)).status).toBe(404);

		const dup = await call('POST', '/dictionary', { body: wrap({ name: 'X', code: 'dict2' }) });
		expect(dup.status).toBe(422);
		expect((await call('DELETE', '/dictionary/1')).status).toBe(403);
		const item = await call('POST', '/dictionary/2/item', { body: wrap({ name: 'Red', code: 'red', value: '#f00' }) });
		expect(item.status).toBe(201);
		expect(item.json.links.self).toBe(`${sb.url}/dictionary/2/item/${item.json.data.id}`);
		expect((await get(`/dictionary/1/item/${item.json.data.id}`)).status).toBe(404);
		expect((await get('/dictionary/2/item')).json.meta.total).toBe(4);
	});
});

describe('envelope, content type, routing', () => {
	test('wrapped envelope rejects a flat body; flat envelope rejects a wrapped one', async () => {
		await start();
		const flat = await call('POST', '/customer', { body: customer() });
		expect(flat.status).toBe(400);
		expect(flat.json.errors[0].status).toBe(400);
		expect((await call('POST', '/customer', { body: { data: { type: 'customer', id: '', attributes: customer() } } })).status).toBe(201);
		expect((await call('POST', '/customer', { body: { data: { attributes: customer() }, meta: {} } })).status).toBe(400);
		sb.options.envelope = 'flat';
		expect((await call('POST', '/customer', { body: wrap(customer()) })).status).toBe(400);
		expect((await call('POST', '/customer', { body: customer() })).status).toBe(200);
	});

	test('415 for other content types and vnd.api+json on json-only routes; 400 Invalid JSON', async () => {
		await start();
		expect((await call('POST', '/customer', { body: wrap(customer()), contentType: 'text/plain' })).status).toBe(415);
		expect((await call('POST', '/customer', { body: wrap(customer()), contentType: 'application/vnd.api+json' })).status).toBe(201);
		const ev = wrap({ name: 'login', date: '2024-01-01 00:00:00' });
		expect((await call('POST', '/event', { body: ev, contentType: 'application/vnd.api+json' })).status).toBe(415);
		expect((await call('POST', '/event', { body: ev, contentType: 'application/json; charset=utf-8' })).status).toBe(201);
		const broken = await call('POST', '/customer', { raw: '{"data":' });
		expect(broken.status).toBe(400);
		expect(broken.json).toEqual({ errors: [{ status: 400, title: 'Invalid JSON' }] });
		expect(sb.log[sb.log.length - 1].body).toBe('{"data":');
	});

	test('paths are normalised; unknown routes and records → 404', async () => {
		await start();
		expect((await get('//communication/sms/')).json.data).toHaveLength(3);
		expect((await get('/communication/poll/1/')).status).toBe(200);
		expect((await get('/nope')).json).toEqual({ errors: [{ status: 404, title: 'Not Found' }] });
		expect((await get('/customer/C-99999')).status).toBe(404);
		expect((await get('/communication/email/abc')).status).toBe(404);
		expect((await get('/black-list/fax')).status).toBe(400);
		expect((await call('POST', '/communication/fax/events', { body: { data: [] } })).json.errors[0].title).toBe('invalid communication type');
	});

	test('customer sub-resources', async () => {
		await start();
		const dev = await call('POST', '/customer/C-00001/device', { body: wrap({ token: 'tok/1', platform: 'Android' }) });
		expect(dev.status).toBe(422);
		expect(Object.keys(dev.json.errors[0].validation)).toEqual(['device_id']);
		const ok = await call('POST', '/customer/C-00001/device', { body: wrap({ token: 'tok/1', platform: 'Android', source_code: 7 }), headers: { device_id: 'D1' } });
		expect(ok.status).toBe(201);
		expect(ok.json.data).toMatchObject({ type: 'device', attributes: { token: 'tok/1', platform: 'Android', device_id: 'D1' } });
		expect(sb.log[sb.log.length - 1].headers.deviceId).toBe('D1');
		expect((await call('DELETE', `/customer/C-00001/device/${encodeURIComponent('tok/1')}`, { headers: { device_id: 'D1' } })).status).toBe(204);

		const sub = await call('PATCH', '/customer/C-00002/subscribe', { body: wrap({ categories: { service: { email: 'Y' }, bogus: { sms: 'Y' } } }) });
		expect(sub.status).toBe(422);
		expect(Object.keys(sub.json.errors[0].validation)).toEqual(['categories.bogus']);
		expect((await call('PATCH', '/customer/C-00002/subscribe', { body: wrap({ categories: { service: { email: 'Y', sms: 'ND' } } }) })).json).toEqual({
			data: { attributes: { status: 'success' } },
		});
		const subs = await get('/customer/C-00002/subscribe');
		expect(subs.json.data.map((d: any) => d.attributes.code)).toEqual(['news', 'service']);

		const marker = await call('POST', '/customer/C-00002/marker', { body: wrap({ name: 'gold', client_id: 3 }) });
		expect(Object.keys(marker.json.errors[0].validation)).toEqual(['client_id']);
		expect((await call('POST', '/customer/C-00002/marker', { body: wrap({ name: 'gold', client_id: '2' }) })).status).toBe(201);
		expect((await call('DELETE', '/customer/C-00002/marker', { body: wrap({ name: 'gold', client_id: 2 }) })).status).toBe(204);
		expect((await call('DELETE', '/customer/C-00002/marker', { body: wrap({ name: 'gold', client_id: 2 }) })).status).toBe(404);

		const ch = await get('/customer/C-00002/channel');
		expect(ch.json.data.map((d: any) => d.attributes)).toEqual([
			{ type: 'email', subtype: '', value: 1 },
			{ type: 'sms', subtype: '', value: 1 },
			{ type: 'push', subtype: '', value: 0 },
		]);
		expect((await call('POST', '/customer/C-00002/contact', { body: wrap({ contacts: [{ type: 'push', value: 'fcm' }] }) })).status).toBe(204);
		expect((await call('POST', '/web_event', { body: wrap({ client_id: 'C-00001', session_id: 's', date: '2024-01-01 00:00:00', name: 'user_login' }) })).status).toBe(202);
	});
});

describe('faults', () => {
	test('status fault applies to the next `count` matching requests, before auth', async () => {
		await start();
		sb.inject({ kind: 'status', status: 503, count: 2, match: { method: 'GET', path: '/customer' } });
		expect((await get('/order')).status).toBe(200);
		const r = await get('/customer', { auth: null });
		expect(r.status).toBe(503);
		expect(r.json).toEqual({ errors: [{ status: 503, title: 'Service Unavailable' }] });
		expect((await get('/customer/')).status).toBe(503);
		expect((await get('/customer')).status).toBe(200);
		expect(sb.log.map((e) => e.fault)).toEqual([undefined, 'status', 'status', undefined]);
	});

	test('429 status fault uses the documented body; custom body and headers', async () => {
		await start({ retryAfterSeconds: 5 });
		sb.inject({ kind: 'status', status: 429 });
		const r = await get('/customer');
		expect(r.status).toBe(429);
		expect(r.statusText).toBe('Too Many Attempts');
		expect(r.json).toEqual({ errors: [{ status: 429, title: 'Too Many Attempts.' }] });
		expect(r.headers.get('retry-after')).toBe('5');
		sb.inject({ kind: 'status', status: 500, body: { oops: true }, headers: { 'X-Test': '1' } });
		const r2 = await get('/customer');
		expect([r2.status, r2.json, r2.headers.get('x-test')]).toEqual([500, { oops: true }, '1']);
	});

	test('html, invalidJson, drop, delay', async () => {
		await start();
		sb.inject({ kind: 'html' });
		const html = await get('/customer');
		expect(html.status).toBe(502);
		expect(html.headers.get('content-type')).toMatch(/^text\/html/);
		expect(html.text).toContain('<html>');

		sb.inject({ kind: 'invalidJson' });
		const inv = await get('/customer');
		expect(inv.status).toBe(200);
		expect(inv.headers.get('content-type')).toBe('application/json');
		expect(() => JSON.parse(inv.text)).toThrow();

		sb.inject({ kind: 'drop' });
		await expect(fetch(`${sb.url}/customer`, { headers: { Authorization: `Bearer ${token}` } })).rejects.toThrow();
		expect(sb.log[sb.log.length - 1]).toMatchObject({ fault: 'drop', status: 0 });

		sb.inject({ kind: 'delay', ms: 150 });
		const t0 = Date.now();
		expect((await get('/customer')).status).toBe(200);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
		expect(sb.log[sb.log.length - 1]).toMatchObject({ fault: 'delay', status: 200 });
	});

	test('random429 is deterministic and stays until cleared', async () => {
		await start();
		const run = async (): Promise<number[]> => {
			const out: number[] = [];
			for (let i = 0; i < 20; i++) out.push((await get('/customer?page[size]=1')).status);
			return out;
		};
		sb.inject({ kind: 'random429', ratio: 0.3, seed: 42 });
		const a = await run();
		sb.clearFaults();
		sb.inject({ kind: 'random429', ratio: 0.3, seed: 42 });
		const b = await run();
		expect(a).toEqual(b);
		expect(a.filter((s) => s === 429).length).toBeGreaterThan(0);
		expect(a.filter((s) => s === 200).length).toBeGreaterThan(0);
		sb.clearFaults();
		expect(await run()).toEqual(new Array(20).fill(200));
	});

	test('/token is spared unless targeted', async () => {
		await start();
		const creds = wrap({ username: DEMO_USER.username, password: DEMO_USER.password });
		sb.inject({ kind: 'status', status: 500 });
		expect((await call('POST', '/token', { auth: null, body: creds })).status).toBe(200);
		expect((await get('/customer')).status).toBe(500);
		sb.inject({ kind: 'status', status: 500, match: { path: '/token' } });
		expect((await get('/customer')).status).toBe(200);
		expect((await call('POST', '/token', { auth: null, body: creds })).status).toBe(500);
		sb.inject({ kind: 'status', status: 418, match: { path: /^\/customer\/C-/ } });
		expect((await get('/customer/C-00001')).status).toBe(418);
	});

	test('control endpoints: faults, options, log, reset', async () => {
		await start();
		const ctl = (method: string, path: string, body?: unknown) =>
			fetch(`${sb.url}/__sandbox${path}`, {
				method,
				headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		expect((await ctl('POST', '/faults', { kind: 'status', status: 502, match: { pathRegex: '^/order' } })).status).toBe(201);
		expect((await ctl('POST', '/faults', { kind: 'nope' })).status).toBe(400);
		expect((await get('/order')).status).toBe(502);
		expect((await ctl('PATCH', '/options', { maxPageSize: 5, retryAfterSeconds: 9 })).status).toBe(200);
		expect(sb.options.maxPageSize).toBe(5);
		expect((await get('/customer?page[size]=50')).json.meta.count).toBe(5);
		const log = (await (await ctl('GET', '/log')).json()) as any[];
		expect(log.map((e: any) => [e.path, e.status, e.fault])).toEqual([
			['/order', 502, 'status'],
			['/customer', 200, undefined],
		]);
		expect((await ctl('DELETE', '/log')).status).toBe(204);
		expect(sb.log).toHaveLength(0);
		await call('POST', '/customer', { body: wrap(customer()) });
		expect(sb.store.customers.size).toBe(26);
		expect((await ctl('POST', '/reset')).status).toBe(200);
		expect(sb.store.customers.size).toBe(25);
		expect(sb.log).toHaveLength(0);
	});
});

describe('request log', () => {
	test('entries carry method, raw path, query, body, headers, token, status, time', async () => {
		await start();
		const before = Date.now();
		const sort = JSON.stringify([{ attribute: 'city', direction: 'asc' }]);
		const raw = `page%5Bnumber%5D=2&page[size]=5&sort=${encodeURIComponent(sort)}`;
		await get(`//customer/?${raw}`);
		await call('POST', '/customer/C-00001/device', { body: wrap({ token: 't', platform: 'Ios' }), headers: { device_id: 'DEV' }, contentType: 'application/vnd.api+json' });
		const [a, b] = sb.log;
		expect(a).toEqual({
			method: 'GET',
			path: '//customer/',
			query: { 'page[number]': '2', 'page[size]': '5', sort },
			rawQuery: raw,
			body: undefined,
			headers: { contentType: null, deviceId: null },
			token,
			status: 200,
			time: expect.any(Number),
		});
		expect(a.time).toBeGreaterThanOrEqual(before);
		expect(b).toMatchObject({
			method: 'POST',
			path: '/customer/C-00001/device',
			body: wrap({ token: 't', platform: 'Ios' }),
			headers: { contentType: 'application/vnd.api+json', deviceId: 'DEV' },
			status: 201,
		});
		expect(b.fault).toBeUndefined();
	});
});

describe('seed', () => {
	test('is deterministic', async () => {
		await start();
		const c1 = (await get('/customer/C-00001')).json.data;
		await sb.close();
		await start();
		expect((await get('/customer/C-00001')).json.data).toEqual(c1);
		expect(c1).toMatchObject({
			id: '1',
			attributes: { local_id: 'C-00001', first_name: 'First1', last_name: 'Last1', email: 'customer1@example.com' },
		});
		const o = (await get('/order/O-00001')).json.data.attributes;
		expect(o.client_id).toBe('C-00001');
	});

	test('100 000 customers seed fast, page fast and stay lazy', async () => {
		const t0 = Date.now();
		await start({ seed: { customers: 100_000 } });
		expect(Date.now() - t0).toBeLessThan(500);
		const t1 = Date.now();
		const last = await get('/customer?page[number]=1000&page[size]=100');
		expect(Date.now() - t1).toBeLessThan(500);
		expect(last.json.meta).toEqual({ total: 100_000, count: 100 });
		expect(last.json.data[99].attributes.local_id).toBe('C-100000');
		expect(last.json.links.next).toBeUndefined();
		expect((await get('/customer/C-100000')).json.data.id).toBe('100000');
		expect((await get('/customer/C-0100000')).status).toBe(404);
		expect(sb.store.customers.materialised).toBe(0);
		const sorted = await get(`/customer?page[size]=2&${sortParam([{ attribute: 'local_id', direction: 'desc' }])}`);
		expect(sorted.json.data.map((d: any) => d.attributes.local_id)).toEqual(['C-99999', 'C-99998']);
	}, 10_000);
});
