/**
 * Tests of the sandbox itself, over real HTTP.
 */
import * as jwt from 'jsonwebtoken';
import type { Sandbox, SandboxOptions } from '../sandbox';
import { DEMO_USER, startSandbox } from '../sandbox';
import { RateLimiter } from '../sandbox/rateLimit';

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

	test('missing fields → 400; flat body → 400 even with flat envelope', async () => {
		await start({ envelope: 'flat' });
		const r = await call('POST', '/token', { auth: null, body: wrap({ username: '' }) });
		expect(r.status).toBe(400);
		expect(Object.keys(r.json.errors[0].validation).sort()).toEqual(['password', 'username']);
		const extra = await call('POST', '/token', { auth: null, body: wrap({ ...DEMO_USER, grant_type: 'password' }) });
		expect([extra.status, Object.keys(extra.json.errors[0].validation)]).toEqual([422, ['grant_type']]);
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

describe('rate limit modes (RateLimiter, explicit clock)', () => {
	const ip = '127.0.0.1';

	test('sliding: a request is accepted while fewer than the limit came in the last window', () => {
		const limiter = new RateLimiter();
		const rule = { mode: 'sliding' as const, limit: 3, windowMs: 10_000 };
		expect([0, 1000, 2000].map((t) => limiter.hit(ip, rule, t).remaining)).toEqual([2, 1, 0]);
		// The first request leaves the window at 10 000 ms.
		expect(limiter.hit(ip, rule, 9000)).toEqual({ allowed: false, limit: 3, remaining: 0, retryAfterMs: 1000 });
		expect(limiter.hit(ip, rule, 10_000)).toEqual({ allowed: true, limit: 3, remaining: 0 });
		expect(limiter.hit(ip, rule, 10_500).retryAfterMs).toBe(500);
		expect(limiter.hit('10.0.0.2', rule, 10_500).allowed).toBe(true);
	});

	test('fixed (Laravel): the window opens at the first request and lasts its length', () => {
		const limiter = new RateLimiter();
		const rule = { mode: 'fixed' as const, limit: 300, windowMs: 20_000 };
		for (let i = 0; i < 300; i++) expect(limiter.hit(ip, rule, 5000 + i).allowed).toBe(true);
		expect(limiter.hit(ip, rule, 5300)).toEqual({ allowed: false, limit: 300, remaining: 0, retryAfterMs: 19_700 });
		// A sliding window would still refuse at 24 999 (300 requests in the last 20 s); the fixed one does not wait for them.
		expect(limiter.hit(ip, rule, 24_999).allowed).toBe(false);
		const opened = limiter.hit(ip, rule, 25_000);
		expect(opened).toEqual({ allowed: true, limit: 300, remaining: 299 });
		// The new window runs from 25 000 to 45 000, whatever came before.
		for (let i = 1; i < 300; i++) limiter.hit(ip, rule, 44_000);
		expect(limiter.hit(ip, rule, 44_999)).toMatchObject({ allowed: false, retryAfterMs: 1 });
		expect(limiter.hit(ip, rule, 45_000).allowed).toBe(true);
	});

	test('headers off by default; on: limit and remaining on every answer, Retry-After and Reset on a 429', async () => {
		await start({ rateLimitPerMinute: 2 });
		const plain = await get('/customer');
		expect(plain.headers.get('x-ratelimit-limit')).toBeNull();
		sb.reset();
		sb.options.rateLimitHeaders = true;
		sb.options.rateLimitMode = 'fixed';
		sb.options.rateLimitWindowSeconds = 20;
		const first = await get('/customer');
		expect([first.headers.get('x-ratelimit-limit'), first.headers.get('x-ratelimit-remaining')]).toEqual(['2', '1']);
		expect(first.headers.get('retry-after')).toBeNull();
		// Errors carry them too: the request was counted.
		const missing = await get('/customer/C-NOPE');
		expect([missing.status, missing.headers.get('x-ratelimit-remaining')]).toEqual([404, '0']);
		const before = Math.floor(Date.now() / 1000);
		const refused = await get('/customer');
		expect(refused.status).toBe(429);
		expect(refused.json).toEqual({ errors: [{ status: 429, title: 'Too Many Attempts.' }] });
		expect([refused.headers.get('x-ratelimit-limit'), refused.headers.get('x-ratelimit-remaining')]).toEqual(['2', '0']);
		const retryAfter = Number(refused.headers.get('retry-after'));
		const reset = Number(refused.headers.get('x-ratelimit-reset'));
		expect(retryAfter).toBeGreaterThanOrEqual(1);
		expect(retryAfter).toBeLessThanOrEqual(20);
		expect(reset).toBeGreaterThanOrEqual(before + retryAfter - 1);
		expect(reset).toBeLessThanOrEqual(before + 21);
		// An explicit retryAfterSeconds replaces the computed wait.
		sb.options.retryAfterSeconds = 7;
		expect((await get('/customer')).headers.get('retry-after')).toBe('7');
		// Control endpoints are not limited and carry no limit headers.
		const ctl = await fetch(`${sb.url}/__sandbox/options`);
		expect([ctl.status, ctl.headers.get('x-ratelimit-limit')]).toEqual([200, null]);
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
	test('register_date format and range, sex enum, missing local_id: one entry per field; a missing field makes it a 400', async () => {
		await start({ now: () => new Date('2024-06-01T00:00:00Z') });
		const invalid = { register_date: '31.01.2024', sex: 'X', email: 'nope', birth_date: '1990-13-01' };
		const bad = await call('POST', '/customer', { body: wrap(customer(invalid)) });
		expect(bad.status).toBe(422);
		expect(bad.json.errors).toHaveLength(1);
		expect(bad.json.errors[0]).toMatchObject({ status: 422, title: 'Validation Failed' });
		const v = bad.json.errors[0].validation;
		expect(Object.keys(v).sort()).toEqual(['birth_date', 'email', 'register_date', 'sex']);
		for (const msgs of Object.values(v)) expect(Array.isArray(msgs) && typeof (msgs as string[])[0] === 'string').toBe(true);
		const keyless = await call('POST', '/customer', { body: wrap(customer({ ...invalid, local_id: undefined })) });
		expect(keyless.json.errors[0]).toMatchObject({ status: 400, title: 'Invalid Attribute' });
		expect(keyless.json.errors[0].validation.local_id).toEqual(['The local_id field is required.']);
		expect(Object.keys(keyless.json.errors[0].validation).sort()).toEqual(['birth_date', 'email', 'local_id', 'register_date', 'sex']);

		for (const [rd, status] of [
			['2009-12-31 23:59:59', 422],
			['2025-01-01 00:00:00', 422],
			['2023-02-29 10:00:00', 422],
			['2023-01-01 24:00:00', 422],
			['2023-01-01', 422],
			['', 400],
		] as const) {
			const r = await call('POST', '/customer', { body: wrap(customer({ register_date: rd })) });
			expect([rd, r.status, Object.keys(r.json.errors[0].validation)]).toEqual([rd, status, ['register_date']]);
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

	test('PATCH: 404 unknown, local_id* required and equal to the path, full replacement', async () => {
		await start();
		expect((await call('PATCH', '/customer/C-NOPE', { body: wrap(customer()) })).status).toBe(404);
		// «local_id* string» is listed under the PATCH's Request Body too.
		const keyless = await call('PATCH', '/customer/C-00003', { body: wrap({ first_name: 'Anna', register_date: '2021-01-01 00:00:00' }) });
		expect(keyless.status).toBe(400);
		expect(keyless.json.errors[0].validation).toEqual({ local_id: ['The local_id field is required.'] });
		const p = await call('PATCH', '/customer/C-00003', {
			body: wrap({ local_id: 'C-00003', first_name: 'Anna', register_date: '2021-01-01 00:00:00' }),
		});
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
			date: '2024-01-31 12:00:00',
			client_id: 'C-00001',
			items: [{ local_id: 'L1', product_id: 'P-00001', price: 100.5, cnt: 2, sum: 201, color: 'red' }],
		};
		expect((await call('POST', '/order', { body: wrap(order) })).status).toBe(201);
		const bad = await call('POST', '/order', { body: wrap({ ...order, items: [{ local_id: 'L1', price: '1' }] }) });
		expect(bad.status).toBe(400);
		expect(Object.keys(bad.json.errors[0].validation).sort()).toEqual(['items.0.cnt', 'items.0.price', 'items.0.product_id', 'items.0.sum']);
		const upd = await call('PATCH', '/order/O-X1', { body: wrap({ local_id: 'O-X1', date: '2024-02-01 10:00:00' }) });
		expect(upd.json.data.attributes).toMatchObject({ items: [], client_id: '', items_sum: 0 });

		const pg = await call('POST', '/promocode-group', { body: wrap({ local_id: 'PG-X', name: 'Spring' }) });
		expect(pg.status).toBe(201);
		const codes = await call('POST', '/promocode-group/PG-X/codes', { body: wrap({ codes: ['A', 'B', 'A'] }) });
		expect(codes.json).toEqual({ data: { attributes: { status: 'success', added: 2, skipped: 1 } } });
		expect((await get(`/promocode-group/${pg.json.data.id}`)).json.data.attributes).toMatchObject({ codes_total: 2, codes_free: 2 });
		expect((await call('DELETE', `/promocode-group/${pg.json.data.id}`)).status).toBe(204);
		expect((await get(`/promocode-group/${pg.json.data.id}`)).status).toBe(404);

		const dup = await call('POST', '/dictionary', { body: wrap({ name: 'X', code: 'dict2' }) });
		expect(dup.status).toBe(422);
		expect((await call('DELETE', '/dictionary/1')).status).toBe(403);
		const item = await call('POST', '/dictionary/2/item', { body: wrap({ name: 'Red', code: 'red' }) });
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

	test('paths are matched as sent: the canonical spelling and the ones the reference prints; other slashes → 404', async () => {
		await start();
		expect((await get('/communication/sms')).json.data).toHaveLength(3);
		// Printed by the reference: a doubled slash, trailing slashes.
		expect((await get('//communication/sms/')).json.data).toHaveLength(3);
		expect((await get('/communication/email/')).status).toBe(200);
		expect((await get('//communication/poll/1')).status).toBe(200);
		expect((await get('/customer/C-00011/marker/')).json.data).toHaveLength(1);
		// Not printed anywhere: no silent normalisation.
		for (const path of ['/communication/poll/1/', '//customer', '/customer/', '/customer//C-00001', '/communication//sms', '/customer/C-00011//marker']) {
			const r = await get(path);
			expect([path, r.status]).toEqual([path, 404]);
			expect(r.json).toEqual({ errors: [{ status: 404, title: 'Not Found' }] });
		}
		expect(sb.log.map((e) => e.path).slice(0, 2)).toEqual(['/communication/sms', '//communication/sms/']);
		expect((await get('/nope')).json).toEqual({ errors: [{ status: 404, title: 'Not Found' }] });
		expect((await get('/customer/C-99999')).status).toBe(404);
		expect((await get('/communication/email/abc')).status).toBe(404);
		expect((await get('/black-list/fax')).status).toBe(400);
		expect((await call('POST', '/communication/fax/events', { body: { data: [] } })).json.errors[0].title).toBe('invalid communication type');
	});

	test('customer sub-resources', async () => {
		await start();
		const dev = await call('POST', '/customer/C-00001/device', { body: wrap({ token: 'tok/1', platform: 'Android' }) });
		expect(dev.status).toBe(400);
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
		expect((await call('POST', '/customer/C-00002/marker', { body: wrap({ name: 'gold', client_id: 2 }) })).status).toBe(201);
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

/** `[status, ...fields]` of a validation error (400 missing, 422 invalid), or `[status]` of any other answer. */
async function rejected(method: string, path: string, o: CallOptions): Promise<Array<string | number>> {
	const r = await call(method, path, o);
	const validation = r.status === 400 || r.status === 422 ? r.json.errors[0].validation : undefined;
	return validation ? [r.status, ...Object.keys(validation).sort()] : [r.status];
}

describe('strict readings of the reference (docs/api-readings.md): the old readings fail', () => {
	test('dictionary Update requires «local_id*»; Create takes only name and code', async () => {
		await start();
		// PATCH without local_id: what the node sent when the record had none.
		expect(await rejected('PATCH', '/dictionary/2', { body: wrap({ name: 'N', code: 'dict2' }) })).toEqual([400, 'local_id']);
		expect(await rejected('PATCH', '/dictionary/2', { body: wrap({ local_id: '', name: 'N' }) })).toEqual([400, 'local_id']);
		// As the live API answered: 400 with Laravel's wording.
		const missing = await call('PATCH', '/dictionary/2', { body: wrap({ local_id: '', name: 'N' }) });
		expect(missing.json).toEqual({ errors: [{ status: 400, title: 'Invalid Attribute', validation: { local_id: ['The local_id field is required.'] } }] });
		const ok = await call('PATCH', '/dictionary/2', { body: wrap({ local_id: 'EXT-2', name: 'N', code: 'dict2', colour: 'red' }) });
		expect(ok.status).toBe(200);
		// The PATCH allows «любые параметры» (any parameters).
		expect(ok.json.data.attributes).toEqual({ local_id: 'EXT-2', name: 'N', code: 'dict2', colour: 'red', is_system: 'N' });
		// The POST lists name* and code* only.
		expect(await rejected('POST', '/dictionary', { body: wrap({ name: 'X', code: 'x', local_id: 'L' }) })).toEqual([422, 'local_id']);
		expect(await rejected('POST', '/dictionary/2/item', { body: wrap({ name: 'X', code: 'x', value: 'v' }) })).toEqual([422, 'value']);
		const item = await call('PATCH', '/dictionary/2/item/4', { body: wrap({ name: 'Item 1', code: 'item1', value: 'new' }) });
		expect(item.json.data.attributes).toEqual({ dictionary_id: 2, name: 'Item 1', code: 'item1', value: 'new' });
		// Seeded dictionaries have a local_id, as records updated through the PATCH would.
		expect((await get('/dictionary/1')).json.data.attributes.local_id).toBe('DICT-00001');
	});

	test('dates: yyyy-mm-dd hh:mm:ss (birth date yyyy-mm-dd); ISO forms with T or Z → 422', async () => {
		await start({ now: () => new Date('2024-06-01T00:00:00Z') });
		const order = (date: string) => wrap({ local_id: 'O-D', date });
		for (const date of ['2024-01-31T12:00:00Z', '2024-01-31T12:00:00', '2024-01-31 12:00:00Z', '2024-01-31 12:00', '2024-01-31', '2024-01-31 12:00:00.000']) {
			expect([date, await rejected('POST', '/order', { body: order(date) })]).toEqual([date, [422, 'date']]);
		}
		expect((await call('POST', '/order', { body: order('2024-01-31 12:00:00') })).status).toBe(201);
		expect(await rejected('POST', '/event', { body: wrap({ name: 'login', date: '2024-01-31T12:00:00.000Z' }) })).toEqual([422, 'date']);
		const web = { client_id: 'C-00001', session_id: 's', name: 'user_login' };
		expect(await rejected('POST', '/web_event', { body: wrap({ ...web, date: '2024-01-31T12:00:00+03:00' }) })).toEqual([422, 'date']);
		expect(await rejected('POST', '/customer', { body: wrap(customer({ register_date: '2024-01-31T12:00:00Z' })) })).toEqual([422, 'register_date']);
		expect(await rejected('POST', '/customer', { body: wrap(customer({ birth_date: '1990-05-15 00:00:00' })) })).toEqual([422, 'birth_date']);
	});

	test('an unknown field on an endpoint whose fields the reference enumerates → 422', async () => {
		await start();
		const cases: Array<[string, string, Record<string, unknown>, Record<string, string>?]> = [
			['POST', '/event', { name: 'login', date: '2024-01-01 00:00:00', bonus: 5 }],
			['PATCH', '/event/1', { date: '2024-01-01 00:00:00', bonus: 5 }],
			['POST', '/web_event', { client_id: 'C-00001', session_id: 's', date: '2024-01-01 00:00:00', name: 'n', page: 'x' }],
			['POST', '/customer/C-00001/channel', { email: 'Y', telegram: 'Y' }],
			['POST', '/customer/C-00001/device', { token: 't', platform: 'Ios', os: '17' }, { device_id: 'D' }],
			['POST', '/customer/C-00001/marker', { name: 'gold', client_id: 1, colour: 'gold' }],
			['POST', '/dictionary', { name: 'X', code: 'x', extra: 1 }],
		];
		for (const [method, path, body, headers] of cases) {
			const unknown = Object.keys(body).at(-1) as string;
			expect([path, await rejected(method, path, { body: wrap(body), headers })]).toEqual([path, [422, unknown]]);
		}
		// Where the reference allows «любые параметры», the same key is kept.
		const c = await call('POST', '/customer', { body: wrap(customer({ bonus: 5 })) });
		expect(c.json.data.attributes.bonus).toBe(5);
	});

	test('markers: client_id is a Platform ID, a JSON number as the reference types it; its digits as text, 0 or other text → 422', async () => {
		await start();
		for (const client_id of ['2', 0, '0', 2.5, '2.5', 'C-00002', -2]) {
			expect([client_id, await rejected('POST', '/customer/C-00002/marker', { body: wrap({ name: 'gold', client_id }) })]).toEqual([client_id, [422, 'client_id']]);
		}
		expect(await rejected('POST', '/customer/C-00002/marker', { body: wrap({ name: 'gold', client_id: '' }) })).toEqual([400, 'client_id']);
		expect(await rejected('POST', '/customer/C-00002/marker', { body: wrap({ name: 'gold' }) })).toEqual([400, 'client_id']);
		expect((await call('POST', '/customer/C-00002/marker', { body: wrap({ name: 'silver', client_id: 2 }) })).status).toBe(201);
	});

	test('customer PATCH: push-id as the reference writes it is the push_id of the record; two different values → 422', async () => {
		await start();
		const patch = (extra: Record<string, unknown>) => call('PATCH', '/customer/C-00002', { body: wrap(customer({ local_id: 'C-00002', ...extra })) });
		const hyphen = await patch({ 'push-id': 'p-1' });
		expect(hyphen.status).toBe(200);
		expect(hyphen.json.data.attributes).toMatchObject({ push_id: 'p-1' });
		expect(hyphen.json.data.attributes).not.toHaveProperty('push-id');
		expect((await patch({ push_id: 'p-2' })).json.data.attributes.push_id).toBe('p-2');
		expect((await patch({ push_id: 'p-3', 'push-id': 'p-3' })).json.data.attributes.push_id).toBe('p-3');
		expect(await rejected('PATCH', '/customer/C-00002', { body: wrap(customer({ local_id: 'C-00002', push_id: 'a', 'push-id': 'b' })) })).toEqual([422, 'push-id']);
		// The POST lists no push ID: there the hyphenated name is a custom key.
		const post = await call('POST', '/customer', { body: wrap(customer({ 'push-id': 'p-4' })) });
		expect(post.json.data.attributes).toMatchObject({ push_id: '', 'push-id': 'p-4' });
	});

	test('subscriptions: a category takes one status (the reference) or a status per channel (Loymax\'s OpenAPI file)', async () => {
		await start();
		const patch = (categories: unknown) => call('PATCH', '/customer/C-00002/subscribe', { body: wrap({ categories }) });
		expect((await patch({ service: 'Y', promo: { sms: 'Y' } })).status).toBe(200);
		expect(Object.fromEntries(sb.store.subscriptionsOf(2))).toMatchObject({ service: { email: 'Y', sms: 'Y', push: 'Y' }, promo: { sms: 'Y' } });
		expect((await patch({ service: 'ND' })).status).toBe(200);
		expect(sb.store.subscriptionsOf(2).has('service')).toBe(false);
		for (const categories of [{ service: 'yes' }, { service: 1 }, { service: ['Y'] }]) {
			expect(await rejected('PATCH', '/customer/C-00002/subscribe', { body: wrap({ categories }) })).toEqual([422, 'categories.service']);
		}
	});

	test('events: the POST takes client_id as a number (typed number) or text; the PATCH, typed string, text only', async () => {
		await start();
		const event = (client_id: unknown) => wrap({ name: 'login', date: '2024-01-01 00:00:00', client_id });
		expect((await call('POST', '/event', { body: event(1042) })).status).toBe(201);
		expect((await call('POST', '/event', { body: event('C-00001') })).status).toBe(201);
		expect(await rejected('PATCH', '/event/1', { body: event(1042) })).toEqual([422, 'client_id']);
		expect((await call('PATCH', '/event/1', { body: event('1042') })).status).toBe(200);
	});

	test('ignorePageNumber: every page is the first, with the first page\'s links', async () => {
		await start({ ignorePageNumber: true, seed: { customers: 5 } });
		const second = await get('/customer?page[number]=2&page[size]=2');
		expect(second.json.data.map((d: any) => d.id)).toEqual(['1', '2']);
		expect(second.json.links.next).toMatch(/page\[number\]=2&/);
	});

	test('push state: one unnamed String field besides state, message_id, source_code; a second one → 422', async () => {
		await start();
		const headers = { device_id: 'D1' };
		const base = { state: 'Read', message_id: 'm1' };
		expect((await call('POST', '/communication/push/state', { body: wrap(base), headers })).status).toBe(200);
		expect((await call('POST', '/communication/push/state', { body: wrap({ ...base, client_id: 'C-00001' }), headers })).status).toBe(200);
		expect(sb.store.pushStates.at(-1)).toMatchObject({ client_id: 'C-00001', device_id: 'D1' });
		expect(await rejected('POST', '/communication/push/state', { body: wrap({ ...base, client_id: 'C-1', token: 't' }), headers })).toEqual([422, 'token']);
		expect(await rejected('POST', '/communication/push/state', { body: wrap({ ...base, client_id: 7 }), headers })).toEqual([422, 'client_id']);
		expect(await rejected('POST', '/communication/push/state', { body: wrap({ ...base, state: 'read' }), headers })).toEqual([422, 'state']);
	});

	test('promo codes: the group is addressed by its local_id; the undocumented body is taken as sent', async () => {
		await start();
		// The Platform ID of the group is not its local_id.
		expect((await call('POST', '/promocode-group/1/codes', { body: wrap({ codes: ['A'] }) })).status).toBe(404);
		const ok = await call('POST', '/promocode-group/PG-00001/codes', { body: wrap({ codes: ['A', 'PG1-CODE1'] }) });
		expect(ok.json).toEqual({ data: { attributes: { status: 'success', added: 1, skipped: 1 } } });
		expect((await get('/promocode-group/1')).json.data.attributes).toMatchObject({ codes_total: 6 });
		// Another body shape is not refused: nobody knows the real one.
		expect((await call('POST', '/promocode-group/PG-00002/codes', { body: wrap({ promocodes: 'B;C' }) })).status).toBe(200);
		expect(sb.store.promoCodeUploads).toEqual([
			{ group_local_id: 'PG-00001', codes: ['A', 'PG1-CODE1'] },
			{ group_local_id: 'PG-00002', promocodes: 'B;C' },
		]);
	});

	test('bonus: no field names are documented, so any are taken; fields not sent are emptied', async () => {
		await start();
		const r = await call('PATCH', '/customer/C-00001/bonus', { body: wrap({ active: 5, balance_note: 'x' }) });
		expect(r.status).toBe(200);
		expect(r.json.data.attributes).toEqual({
			active: 5,
			pending_activation: 0,
			pending_deactivation: 0,
			next_deactivation_date: '',
			next_deactivation_amount: 0,
			balance_note: 'x',
		});
	});

	test('flat envelope: every write is flat, the bodies of Loymax\'s OpenAPI file too; the other shape names the required fields', async () => {
		await start({ envelope: 'flat' });
		const refused = await call('POST', '/customer/C-00001/contact', { body: wrap({ contacts: [{ type: 'push', value: 'v' }] }) });
		expect([refused.status, refused.json.errors[0]]).toEqual([
			400,
			{ status: 400, title: 'Invalid Attribute', validation: { contacts: ['The contacts field is required.'] } },
		]);
		expect((await call('POST', '/customer/C-00001/contact', { body: { contacts: [{ type: 'push', value: 'v' }] } })).status).toBe(204);
		// Without required fields, the envelope itself is named.
		expect((await call('POST', '/customer/C-00001/channel', { body: wrap({ email: 'Y' }) })).json.errors[0].validation).toEqual({
			data: ['The data field is prohibited.'],
		});
		expect((await call('POST', '/customer/C-00001/channel', { body: { email: 'Y' } })).status).toBe(200);
		expect((await call('PATCH', '/customer/C-00001/subscribe', { body: { categories: { news: { email: 'N' } } } })).status).toBe(200);
		// Message events: the bare list; {"data":[…]} names the fields of the first item.
		const event = { type: 'open', message_id: 'm1', external_client_id: 'C-00001' };
		expect(Object.keys((await call('POST', '/communication/push/events', { body: { data: [event] } })).json.errors[0].validation)).toEqual([
			'0.type',
			'0.message_id',
			'0.external_client_id',
		]);
		expect((await call('POST', '/communication/push/events', { body: [event] })).json).toEqual({ success: true });
		sb.options.envelope = 'wrapped';
		const flat = await call('POST', '/product', { body: { local_id: 'P-X', name: 'X' } });
		expect(flat.json.errors[0].validation).toEqual({ name: ['The name field is required.'], local_id: ['The local_id field is required.'] });
		expect((await call('POST', '/communication/push/events', { body: [event] })).json.errors[0].validation).toEqual({
			data: ['The data field is required.'],
		});
	});
});

describe('pagination variants', () => {
	test('omitNextLink and omitMeta drop links.next and meta; a capped page size serves fewer than asked', async () => {
		await start({ seed: { customers: 12 }, maxPageSize: 5 });
		const capped = await get('/customer?page[size]=10');
		expect(capped.json.data).toHaveLength(5);
		expect(capped.json.meta).toEqual({ total: 12, count: 5 });
		expect(capped.json.links.next).toBe(`${sb.url}/customer?page[number]=2&page[size]=5`);
		sb.options.omitNextLink = true;
		const noNext = await get('/customer?page[size]=10');
		expect(Object.keys(noNext.json.links).sort()).toEqual(['first', 'last', 'self']);
		expect(noNext.json.meta).toEqual({ total: 12, count: 5 });
		sb.options.omitMeta = true;
		const bare = await get('/customer?page[number]=3&page[size]=10');
		expect(Object.keys(bare.json).sort()).toEqual(['data', 'links']);
		expect(bare.json.data.map((d: any) => d.id)).toEqual(['11', '12']);
	});

	test('the CLI options are settable through the control endpoint', async () => {
		await start();
		const patch = await fetch(`${sb.url}/__sandbox/options`, {
			method: 'PATCH',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ omitNextLink: true, omitMeta: true, rateLimitMode: 'fixed', rateLimitWindowSeconds: 20, rateLimitHeaders: true }),
		});
		expect(patch.status).toBe(200);
		expect(await patch.json()).toMatchObject({ omitNextLink: true, omitMeta: true, rateLimitMode: 'fixed', rateLimitWindowSeconds: 20, rateLimitHeaders: true });
		const bad = await fetch(`${sb.url}/__sandbox/options`, {
			method: 'PATCH',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ rateLimitMode: 'leaky', rateLimitWindowSeconds: 0, omitMeta: 'yes' }),
		});
		expect(bad.status).toBe(400);
		expect(((await bad.json()) as { errors: string[] }).errors.sort()).toEqual([
			'omitMeta must be a boolean',
			"rateLimitMode must be 'sliding' or 'fixed'",
			'rateLimitWindowSeconds must be a number above 0',
		]);
		expect((await get('/customer')).json.meta).toBeUndefined();
	});
});

describe('collection readings (the trigger\'s switches and hooks)', () => {
	test('numericIds: JSON:API ids as JSON numbers in lists and single documents', async () => {
		await start({ numericIds: true });
		expect((await get('/customer?page[size]=2')).json.data.map((d: any) => d.id)).toEqual([1, 2]);
		expect((await get('/customer/C-00003')).json.data.id).toBe(3);
		expect((await get('/customer/C-00003/marker')).json.data).toEqual([]);
	});

	test("idSortable: 'refuse' answers a sort on id with 400 Invalid sort; 'ignore' serves the default order whatever the sort", async () => {
		await start({ idSortable: 'refuse' });
		const byId = await get(`/customer?${sortParam([{ attribute: 'id', direction: 'desc' }])}`);
		expect(byId.status).toBe(400);
		expect(byId.json).toEqual({ errors: [{ status: 400, title: 'Invalid sort' }] });
		expect((await get(`/customer?page[size]=2&${sortParam([{ attribute: 'first_name', direction: 'desc' }])}`)).json.data.map((d: any) => d.id)).toEqual(['9', '8']);
		sb.options.idSortable = 'ignore';
		for (const sort of [sortParam([{ attribute: 'id', direction: 'desc' }]), 'sort=%5B%7B']) {
			const ignored = await get(`/customer?page[size]=2&${sort}`);
			expect(ignored.json.data.map((d: any) => d.id)).toEqual(['1', '2']);
			expect(ignored.json.links.next).toBe(`${sb.url}/customer?page[number]=2&page[size]=2`);
		}
		const patch = await fetch(`${sb.url}/__sandbox/options`, {
			method: 'PATCH',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ idSortable: 'no', numericIds: 'yes' }),
		});
		expect(((await patch.json()) as { errors: string[] }).errors.sort()).toEqual(['idSortable must be \'yes\', \'refuse\' or \'ignore\'', 'numericIds must be a boolean']);
	});

	test('onList runs before each page is cut; a pending record takes its id at once and lists only once committed', async () => {
		await start({ seed: { orders: 3 } });
		const pending = sb.store.orders.insert({ local_id: 'LATE', date: '2025-01-01 00:00:00' }, { pending: true });
		sb.store.orders.insert({ local_id: 'ON-TIME', date: '2025-01-01 00:00:00' });
		const ids = async () => (await get('/order')).json.data.map((d: any) => d.id);
		expect(await ids()).toEqual(['1', '2', '3', '5']);
		expect((await get('/order/LATE')).status).toBe(404);
		const seen: string[] = [];
		sb.options.onList = (path, query) => {
			seen.push(`${path} ${query.get('page[number]') ?? ''}`);
			sb.store.orders.commit(pending.id);
		};
		expect(await ids()).toEqual(['1', '2', '3', '4', '5']);
		expect(seen).toEqual(['/order ']);
		expect((await get('/order/LATE')).json.data.id).toBe('4');
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
		// A string path matches the path as sent.
		expect((await get('/customer/')).status).toBe(404);
		expect((await get('/customer')).status).toBe(503);
		expect((await get('/customer')).status).toBe(200);
		expect(sb.log.map((e) => e.fault)).toEqual([undefined, 'status', undefined, 'status', undefined]);
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
		await get(`/customer?${raw}`);
		await call('POST', '/customer/C-00001/device', { body: wrap({ token: 't', platform: 'Ios' }), headers: { device_id: 'DEV' }, contentType: 'application/vnd.api+json' });
		const [a, b] = sb.log;
		expect(a).toEqual({
			method: 'GET',
			path: '/customer',
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

	test('100 000 customers page from the end and stay lazy (nothing materialised)', async () => {
		await start({ seed: { customers: 100_000 } });
		const last = await get('/customer?page[number]=1000&page[size]=100');
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
