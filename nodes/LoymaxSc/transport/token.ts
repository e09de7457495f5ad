import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import { recordLoginFailure, sendWithPolicy, LoymaxRequestError, type RawResponse } from './policy';
import { limiterFor } from './RateLimiter';
import { joinUrl, transportSettings } from './settings';

/** Renew this long before the JWT's `exp`, so no request is sent with a token about to lapse. */
export const RENEW_MARGIN_MS = 5 * 60_000;
/** How long a just-issued token is handed to concurrent callers instead of logging in again. */
const COALESCE_MS = 2_000;

interface Login {
	promise: Promise<string>;
	settledAt?: number;
}
// Logins in flight per credential, so that a thousand items starting together log in once.
const logins = new Map<string, Login>();
// Tokens the API answered 401 to: never handed out again by the coalescing below.
const rejectedTokens = new Set<string>();

export function markTokenRejected(token: unknown): void {
	if (typeof token !== 'string' || token === '') return;
	// Only tokens younger than the coalescing window matter; keep the set small in a long-lived n8n.
	if (rejectedTokens.size > 100) rejectedTokens.clear();
	rejectedTokens.add(bearer(token));
}

export function bearer(token: string): string {
	const trimmed = token.trim();
	return /^bearer\s/i.test(trimmed) ? `Bearer ${trimmed.replace(/^bearer\s+/i, '')}` : `Bearer ${trimmed}`;
}

interface Lifetime {
	/** Milliseconds until `exp`. */
	leftMs: number;
	/** `exp - iat` in milliseconds, when the token says when it was issued. */
	totalMs?: number;
}

/** Reads the JWT's `exp` (and `iat`); undefined when the token has no readable claims. */
export function tokenLifetime(token: unknown, now = Date.now()): Lifetime | undefined {
	if (typeof token !== 'string' || token === '') return undefined;
	const payload = token.replace(/^bearer\s+/i, '').split('.')[1];
	if (!payload) return undefined;
	try {
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown; iat?: unknown };
		if (typeof claims.exp !== 'number') return undefined;
		const totalMs = typeof claims.iat === 'number' ? (claims.exp - claims.iat) * 1000 : undefined;
		return { leftMs: claims.exp * 1000 - now, totalMs };
	} catch {
		return undefined;
	}
}

/** Whether to log in again before this request: the token expires within the margin (a tenth of a short lifetime). */
export function tokenNeedsRenewal(token: unknown): boolean {
	const lifetime = tokenLifetime(token);
	if (!lifetime) return false;
	const margin = Math.min(RENEW_MARGIN_MS, (lifetime.totalMs ?? Infinity) / 10);
	return lifetime.leftMs < margin;
}

async function login(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<string> {
	const settings = transportSettings(credentials);
	const response = await sendWithPolicy(
		settings,
		limiterFor(settings.limiterKey, settings.maxRequestsPerMinute),
		async () =>
			(await helper.helpers.httpRequest({
				method: 'POST',
				url: joinUrl(settings.baseUrl, '/token'),
				headers: { 'Content-Type': 'application/json', Accept: 'application/vnd.api+json, application/json' },
				body: {
					data: { attributes: { username: credentials.username, password: credentials.password } },
				},
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as RawResponse,
		{ retrySafe: true, expectJson: true, renewOn401: false, urgent: true },
	).catch((error: LoymaxRequestError) => {
		if (error.kind === 'client' || error.kind === 'unauthorized') {
			throw new LoymaxRequestError(
				`Loymax SC login failed: ${error.errors[0]?.title ?? error.message}`,
				'unauthorized',
				error.httpCode,
				'Check the Username and Password of the Loymax SC credential (an API user with the API role) and its Base URL.',
				error.errors,
			);
		}
		throw error;
	});
	const body = response.body as { data?: { attributes?: { access_token?: unknown } } };
	const accessToken = body?.data?.attributes?.access_token;
	if (typeof accessToken !== 'string' || accessToken.trim() === '') {
		throw new LoymaxRequestError(
			'Loymax SC login failed: the response has no data.attributes.access_token',
			'invalidResponse',
			response.statusCode,
			'The Base URL may not point at the Loymax SC API.',
		);
	}
	return bearer(accessToken);
}

/**
 * The credential's preAuthentication: exchanges username and password for a JWT. n8n stores the
 * result in the credential (encrypted) and calls this again when the token is empty or rejected.
 */
export async function fetchToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const { limiterKey } = transportSettings(credentials);
	const current = logins.get(limiterKey);
	if (current && (current.settledAt === undefined || Date.now() - current.settledAt < COALESCE_MS)) {
		// Joiners share the outcome: a wrong password fails every waiting item with one token call.
		const token = await current.promise;
		if (!rejectedTokens.has(token)) return token;
	}
	const entry: Login = { promise: login(helper, credentials) };
	logins.set(limiterKey, entry);
	entry.promise.catch((error: LoymaxRequestError) => recordLoginFailure(limiterKey, error));
	try {
		return await entry.promise;
	} finally {
		entry.settledAt = Date.now();
	}
}
