import type { IDataObject, Logger } from 'n8n-workflow';

/**
 * What this n8n process found out about each Loymax SC host: the reference lost its examples, so
 * the node tries the likeliest reading first and falls back once (docs/api-readings.md). What
 * worked is remembered here, per host, and logged once.
 */

/** Where the login carries username and password: a JSON:API body or the query string. */
export type LoginForm = 'body' | 'query';
/** Where the token answer carries the token: `data.attributes.access_token` or a plain `access_token`. */
export type TokenShape = 'jsonapi' | 'plain';
/** A write body in the JSON:API envelope (`{"data":{"attributes":{…}}}`) or as the fields themselves. */
export type BodyShape = 'wrapped' | 'flat';
/**
 * The bodies Loymax's OpenAPI file shows (subscriptions, channels, contacts, message events) learn
 * apart from the others: an instance may follow its own file there and differ elsewhere.
 */
export type EnvelopeGroup = 'documented' | 'undocumented';

interface TokenReading {
	shape: TokenShape;
	bearerPrefix: boolean;
	expiresInSeconds?: number;
}

interface HostReadings {
	login?: { form: LoginForm; afterFallback: boolean };
	token?: TokenReading;
	/** Per endpoint ("POST /customer/{customerId}/channel"): the shape the API took. */
	envelopes: Map<string, { shape: BodyShape; afterFallback: boolean }>;
	/** Per group: the shape the API last took, tried first on endpoints not written to yet. */
	groups: Map<EnvelopeGroup, BodyShape>;
	/** Rate-limit headers seen (lower-case name → first value). */
	rateLimitHeaders: Map<string, string>;
	answers: number;
	/** Findings already logged. */
	logged: Set<string>;
}

// Module state on purpose: what an API instance accepts holds for every credential and execution.
const hosts = new Map<string, HostReadings>();

/** One key per API instance: the host in lower case, without the scheme's default port. */
export function hostKey(baseUrl: string): string {
	const text = String(baseUrl ?? '').trim();
	try {
		return new URL(text.includes('://') ? text : `https://${text}`).host.toLowerCase();
	} catch {
		return text.toLowerCase();
	}
}

function readingsOf(baseUrl: string): HostReadings {
	const key = hostKey(baseUrl);
	let readings = hosts.get(key);
	if (!readings) {
		readings = { envelopes: new Map(), groups: new Map(), rateLimitHeaders: new Map(), answers: 0, logged: new Set() };
		hosts.set(key, readings);
	}
	return readings;
}

export const loginFormOf = (baseUrl: string): LoginForm | undefined => readingsOf(baseUrl).login?.form;

export function rememberLogin(baseUrl: string, form: LoginForm, afterFallback: boolean, token?: TokenReading): void {
	const readings = readingsOf(baseUrl);
	readings.login = { form, afterFallback };
	if (token) readings.token = token;
}

/** The shape to try first: what this endpoint took, else what its group last took. */
export function envelopeOf(baseUrl: string, endpoint: string, group: EnvelopeGroup): BodyShape | undefined {
	const readings = readingsOf(baseUrl);
	return readings.envelopes.get(endpoint)?.shape ?? readings.groups.get(group);
}

export function rememberEnvelope(baseUrl: string, endpoint: string, group: EnvelopeGroup, shape: BodyShape, afterFallback: boolean): void {
	const readings = readingsOf(baseUrl);
	const known = readings.envelopes.get(endpoint);
	// A fallback stays on record until the endpoint is seen taking the other shape.
	if (known?.shape !== shape) readings.envelopes.set(endpoint, { shape, afterFallback });
	readings.groups.set(group, shape);
}

const RATE_LIMIT_HEADER = /^(x-)?rate-?limit-|^retry-after$/i;

/** Records an answer's rate-limit headers (the API documents none; Laravel sends them). */
export function noteAnswer(baseUrl: string, headers: Record<string, unknown> | undefined): void {
	const readings = readingsOf(baseUrl);
	readings.answers++;
	for (const [name, value] of Object.entries(headers ?? {})) {
		const lower = name.toLowerCase();
		if (RATE_LIMIT_HEADER.test(lower) && !readings.rateLimitHeaders.has(lower)) readings.rateLimitHeaders.set(lower, String(value));
	}
}

/** `x-ratelimit-limit` → `X-RateLimit-Limit`. */
const headerName = (lower: string) =>
	lower
		.split('-')
		.map((part) => (part === 'ratelimit' ? 'RateLimit' : part.charAt(0).toUpperCase() + part.slice(1)))
		.join('-');

const LOGIN_FORMS: Record<LoginForm, string> = {
	body: 'username and password in a JSON:API body ({"data":{"attributes":{…}}})',
	query: 'username and password as query parameters of POST /token',
};
const TOKEN_SHAPES: Record<TokenShape, string> = { jsonapi: 'data.attributes.access_token', plain: 'access_token' };
const BODY_SHAPES: Record<BodyShape, string> = { wrapped: 'the JSON:API envelope', flat: 'flat fields' };

/** The findings of one host as text, keyed so that each is logged once. */
function findings(readings: HostReadings): Array<[key: string, text: string]> {
	const found: Array<[string, string]> = [];
	const { login, token } = readings;
	if (login) {
		const how = `logs in with ${LOGIN_FORMS[login.form]}${login.afterFallback ? ' (the other form was refused)' : ''}`;
		found.push([`login:${login.form}`, how]);
	}
	if (token) {
		const expiry = token.expiresInSeconds === undefined ? '' : `, expires_in ${token.expiresInSeconds} s`;
		found.push([
			`token:${token.shape}:${token.bearerPrefix}`,
			`answers the token in ${TOKEN_SHAPES[token.shape]} ${token.bearerPrefix ? 'with' : 'without'} "Bearer "${expiry}`,
		]);
	}
	for (const [group, shape] of readings.groups) {
		const which = group === 'documented' ? 'the bodies of its OpenAPI file' : 'write bodies';
		found.push([`group:${group}:${shape}`, `takes ${BODY_SHAPES[shape]} for ${which}`]);
	}
	for (const [endpoint, { shape, afterFallback }] of readings.envelopes) {
		if (afterFallback) found.push([`endpoint:${endpoint}:${shape}`, `${endpoint} took ${BODY_SHAPES[shape]} after the other shape was refused`]);
	}
	if (readings.rateLimitHeaders.size) {
		const names = [...readings.rateLimitHeaders.keys()].sort();
		found.push([`rateLimit:${names.join(',')}`, `sends rate-limit headers ${names.map(headerName).join(', ')}`]);
	} else if (readings.answers > 0) {
		found.push(['rateLimit:none', 'sends no rate-limit headers']);
	}
	return found;
}

/**
 * Logs what was found about this host and not logged yet, as one line. The login runs in the
 * credential's preAuthentication, which has no logger: its findings are logged at the next request.
 */
export function logReadings(logger: Logger | undefined, baseUrl: string): void {
	if (!logger) return;
	const readings = readingsOf(baseUrl);
	const fresh = findings(readings).filter(([key]) => !readings.logged.has(key));
	if (!fresh.length) return;
	for (const [key] of fresh) readings.logged.add(key);
	const host = hostKey(baseUrl);
	logger.info(`Loymax SC at ${host}: ${fresh.map(([, text]) => text).join('; ')}`, { host });
}

/** Everything known about this host, for the Check Connection operation. */
export function readingsReport(baseUrl: string): IDataObject {
	const readings = readingsOf(baseUrl);
	const { login, token } = readings;
	const envelopes: IDataObject = {};
	for (const [endpoint, { shape, afterFallback }] of readings.envelopes) {
		envelopes[endpoint] = afterFallback ? `${shape} (after the other shape was refused)` : shape;
	}
	const rateLimitHeaders: IDataObject = {};
	for (const [name, value] of readings.rateLimitHeaders) rateLimitHeaders[headerName(name)] = value;
	return {
		host: hostKey(baseUrl),
		loginForm: login ? login.form : 'not seen: this n8n process has not logged in to this host (a stored token was used)',
		loginFormAfterFallback: login?.afterFallback ?? false,
		tokenLocation: token ? TOKEN_SHAPES[token.shape] : 'not seen',
		tokenBearerPrefix: token?.bearerPrefix ?? null,
		tokenExpiresInSeconds: token?.expiresInSeconds ?? null,
		writeEnvelope: Object.fromEntries(readings.groups),
		writeEnvelopeByEndpoint: envelopes,
		rateLimitHeaders,
		answersSeen: readings.answers,
		findings: findings(readings).map(([, text]) => text),
	};
}

/** Forgets one host, or every host (tests start each sandbox as an API not met before). */
export function forgetReadings(baseUrl?: string): void {
	if (baseUrl === undefined) hosts.clear();
	else hosts.delete(hostKey(baseUrl));
}
