/**
 * JWT issue/verification and `POST /token`.
 */
import type { KeyObject } from 'node:crypto';
import { createSecretKey, randomBytes } from 'node:crypto';
import * as jwt from 'jsonwebtoken';
import type { Attributes, HandlerResult, ValidationErrors } from './http';
import { addError, addMissing, hasErrors, invalidBody, isPlainObject, unauthorized, validationFailed } from './http';
import type { RequestContext } from './router';
import type { ResolvedSandboxOptions, SandboxUser } from './types';

export function userId(users: SandboxUser[], user: SandboxUser): number {
	return user.id ?? users.indexOf(user) + 1;
}

export function userEmail(user: SandboxUser): string {
	return user.email ?? (user.username.includes('@') ? user.username : `${user.username}@example.com`);
}

let keyCache: { secret: string; key: KeyObject } | undefined;

/** The HMAC key object of a secret (jsonwebtoken is slow with string secrets). */
function secretKey(secret: string): KeyObject {
	if (keyCache?.secret !== secret) keyCache = { secret, key: createSecretKey(Buffer.from(secret, 'utf8')) };
	return keyCache.key;
}

/** HS256 JWT with `iss`, `iat`, `nbf`, `exp`, `jti`, `sub`. */
export function mintToken(opts: { issuer: string; subject: number; ttlSeconds: number; secret: string }): string {
	const iat = Math.floor(Date.now() / 1000);
	const payload = {
		iss: opts.issuer,
		iat,
		nbf: iat,
		exp: iat + Math.round(opts.ttlSeconds),
		jti: randomBytes(8).toString('hex'),
		sub: opts.subject,
	};
	return jwt.sign(payload, secretKey(opts.secret), { algorithm: 'HS256', header: { alg: 'HS256', typ: 'JWT' } });
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * `Authorization` header → the token as logged (one leading `Bearer ` removed; null without the
 * header) and the JWT when the header is well formed (`Bearer <jwt>`; `Bearer Bearer x` is not).
 */
export function parseAuthorization(header: string | null): { logged: string | null; jwt: string | null } {
	if (header === null) return { logged: null, jwt: null };
	const m = /^Bearer (.*)$/i.exec(header);
	if (!m) return { logged: header, jwt: null };
	return { logged: m[1], jwt: JWT_SHAPE.test(m[1]) ? m[1] : null };
}

/** Tokens already verified, per secret: token → `exp` (s). Bounded; cleared when full. */
const verified = new Map<string, number>();
let verifiedSecret = '';

/** Throws 401 unless the request carries a valid, unexpired token signed with the current secret. */
export function requireAuth(token: string | null, options: ResolvedSandboxOptions): void {
	if (!token) throw unauthorized();
	if (verifiedSecret !== options.jwtSecret) {
		verified.clear();
		verifiedSecret = options.jwtSecret;
	}
	const exp = verified.get(token);
	if (exp !== undefined) {
		if (Math.floor(Date.now() / 1000) < exp) return;
		throw unauthorized();
	}
	let payload: jwt.JwtPayload | string;
	try {
		payload = jwt.verify(token, secretKey(options.jwtSecret), { algorithms: ['HS256'] });
	} catch {
		throw unauthorized();
	}
	if (typeof payload === 'object' && typeof payload.exp === 'number') {
		if (verified.size >= 10_000) verified.clear();
		verified.set(token, payload.exp);
	}
}

const TOKEN_FIELDS = ['username', 'password'];

/**
 * The login as `tokenForm` reads it: `body` from `{"data":{"attributes":{…}}}` (Loymax's OpenAPI
 * file), `query` from the query string (the reference's «Query Parameters»), `both` from the query
 * when it names either field, else from the body. A form the API does not read counts as absent.
 */
function loginFields(ctx: RequestContext): Attributes {
	const fromQuery = (): Attributes => {
		const a: Attributes = {};
		for (const [k, v] of ctx.query) if (!(k in a)) a[k] = v;
		return a;
	};
	const fromBody = (): Attributes => {
		const body = ctx.json;
		if (ctx.hasBody && !(isPlainObject(body) && isPlainObject(body.data) && isPlainObject(body.data.attributes))) {
			throw invalidBody('{"data":{"attributes":{...}}}');
		}
		return ctx.hasBody ? ((body as { data: { attributes: Attributes } }).data.attributes) : {};
	};
	const form = ctx.options.tokenForm;
	if (form === 'query') return fromQuery();
	if (form === 'body') return fromBody();
	return TOKEN_FIELDS.some((f) => ctx.query.has(f)) ? fromQuery() : fromBody();
}

/** `POST /token` — username and password where `tokenForm` says; answered as `tokenResponse` says. */
export function tokenHandler(ctx: RequestContext): HandlerResult {
	const a = loginFields(ctx);
	const errors: ValidationErrors = {};
	for (const f of TOKEN_FIELDS) {
		if (a[f] === undefined || a[f] === '') addMissing(errors, f);
		else if (typeof a[f] !== 'string') addError(errors, f, 'must be a string');
	}
	for (const k of Object.keys(a)) if (!TOKEN_FIELDS.includes(k)) addError(errors, k, 'unknown field');
	if (hasErrors(errors)) throw validationFailed(errors);
	const users = ctx.options.users;
	const user = users.find((u) => u.username === a.username && u.password === a.password);
	if (!user) {
		const body = { errors: [{ status: 401, title: 'client not found' }] };
		return { status: ctx.options.tokenErrorsAs200 ? 200 : 401, body };
	}
	const id = userId(users, user);
	const token = mintToken({
		issuer: `${ctx.baseUrl}/token`,
		subject: id,
		ttlSeconds: ctx.options.tokenTtlSeconds,
		secret: ctx.options.jwtSecret,
	});
	const accessToken = ctx.options.bearerPrefix ? `Bearer ${token}` : token;
	if (ctx.options.tokenResponse === 'plain') {
		return { status: 200, body: { access_token: accessToken, token_type: 'bearer', expires_in: ctx.options.tokenTtlSeconds } };
	}
	return {
		status: 200,
		body: {
			data: {
				type: 'user',
				id: String(id),
				attributes: {
					access_token: accessToken,
					user: { id, username: user.username, email: userEmail(user) },
				},
			},
			links: { self: `${ctx.baseUrl}/token` },
		},
	};
}
