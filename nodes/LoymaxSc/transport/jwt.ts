/** Reading the JWT the API issues: its expiry decides when the session logs in again. */

/** Renew this long before the JWT's `exp`, so no request is sent with a token about to lapse. */
export const RENEW_MARGIN_MS = 5 * 60_000;

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

/** The JWT's `exp` in epoch milliseconds, when readable. */
export function tokenExpiresAt(token: unknown): number | undefined {
	const lifetime = tokenLifetime(token, 0);
	return lifetime?.leftMs;
}

/** Whether to log in again before this request: the token expires within the margin (a tenth of a short lifetime). */
export function tokenNeedsRenewal(token: unknown, now = Date.now()): boolean {
	const lifetime = tokenLifetime(token, now);
	if (!lifetime) return false;
	const margin = Math.min(RENEW_MARGIN_MS, (lifetime.totalMs ?? Infinity) / 10);
	return lifetime.leftMs < margin;
}
