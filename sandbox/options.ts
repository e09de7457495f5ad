import type { Envelope, IdSortable, RateLimitMode, ResolvedSandboxOptions, SandboxOptions, SeedCounts } from './types';

export const DEMO_USER = { username: 'demo@loymaxsc.local', password: 'demo-password' };

export const DEFAULT_SEED: SeedCounts = {
	customers: 25,
	orders: 25,
	events: 10,
	products: 10,
	categories: 5,
	emailMailings: 3,
	smsMailings: 3,
	pushMailings: 3,
	polls: 3,
	blacklistEmails: 3,
	blacklistPhones: 3,
	promoCodeGroups: 3,
	dictionaries: 2,
	dictionaryItems: 3,
};

export function resolveOptions(o: SandboxOptions = {}): ResolvedSandboxOptions {
	return {
		host: o.host ?? '127.0.0.1',
		port: o.port ?? 0,
		users: o.users ?? [{ ...DEMO_USER }],
		jwtSecret: o.jwtSecret ?? 'loymax-sc-sandbox-secret',
		tokenTtlSeconds: o.tokenTtlSeconds ?? 3600,
		bearerPrefix: o.bearerPrefix ?? true,
		tokenErrorsAs200: o.tokenErrorsAs200 ?? false,
		rateLimitPerMinute: o.rateLimitPerMinute ?? 1000,
		rateLimitWindowSeconds: o.rateLimitWindowSeconds ?? 60,
		rateLimitMode: o.rateLimitMode ?? 'sliding',
		rateLimitHeaders: o.rateLimitHeaders ?? false,
		retryAfterSeconds: o.retryAfterSeconds,
		maxPageSize: o.maxPageSize ?? 100,
		defaultPageSize: o.defaultPageSize ?? 15,
		omitNextLink: o.omitNextLink ?? false,
		omitMeta: o.omitMeta ?? false,
		ignorePageNumber: o.ignorePageNumber ?? false,
		envelope: o.envelope ?? 'wrapped',
		numericIds: o.numericIds ?? false,
		idSortable: o.idSortable ?? 'yes',
		onList: o.onList,
		tokenForm: o.tokenForm ?? 'body',
		tokenResponse: o.tokenResponse ?? 'jsonapi',
		emptyWriteAck: o.emptyWriteAck ?? 'json',
		seed: { ...DEFAULT_SEED, ...(o.seed ?? {}) },
		now: o.now ?? (() => new Date()),
		logLimit: o.logLimit ?? 200_000,
	};
}

const NUMBER_KEYS = [
	'tokenTtlSeconds',
	'rateLimitPerMinute',
	'rateLimitWindowSeconds',
	'maxPageSize',
	'defaultPageSize',
	'logLimit',
] as const;
const BOOLEAN_KEYS = ['bearerPrefix', 'tokenErrorsAs200', 'rateLimitHeaders', 'omitNextLink', 'omitMeta', 'ignorePageNumber', 'numericIds'] as const;
const RATE_LIMIT_MODES: readonly RateLimitMode[] = ['sliding', 'fixed'];
const ID_SORTABLE: readonly IdSortable[] = ['yes', 'refuse', 'ignore'];
/** Contract variants: each takes one of its listed values. */
const VARIANT_VALUES = {
	tokenForm: ['body', 'query', 'both'],
	tokenResponse: ['jsonapi', 'plain'],
	emptyWriteAck: ['json', '204', 'empty200', 'text200'],
} as const;

/**
 * Apply a JSON options subset (control endpoint `PATCH /__sandbox/options`) to the live options.
 * `host`/`port` are ignored; `now` may be an ISO string or ms number (fixed clock) or null (real
 * clock); `retryAfterSeconds: null` removes the header; `seed` is merged (takes effect on reset).
 * Returns a list of problems (empty = applied).
 */
export function patchOptions(target: ResolvedSandboxOptions, patch: unknown): string[] {
	const problems: string[] = [];
	if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return ['body must be an object'];
	const p = patch as Record<string, unknown>;
	for (const key of NUMBER_KEYS) {
		if (key in p) {
			if (key === 'rateLimitWindowSeconds' && !((p[key] as number) > 0)) problems.push(`${key} must be a number above 0`);
			else if (typeof p[key] === 'number' && Number.isFinite(p[key])) target[key] = p[key] as number;
			else problems.push(`${key} must be a number`);
		}
	}
	for (const key of BOOLEAN_KEYS) {
		if (key in p) {
			if (typeof p[key] === 'boolean') target[key] = p[key] as boolean;
			else problems.push(`${key} must be a boolean`);
		}
	}
	if ('retryAfterSeconds' in p) {
		const v = p.retryAfterSeconds;
		if (v === null || v === undefined) target.retryAfterSeconds = undefined;
		else if (typeof v === 'number' && Number.isFinite(v)) target.retryAfterSeconds = v;
		else problems.push('retryAfterSeconds must be a number or null');
	}
	if ('jwtSecret' in p) {
		if (typeof p.jwtSecret === 'string' && p.jwtSecret) target.jwtSecret = p.jwtSecret;
		else problems.push('jwtSecret must be a non-empty string');
	}
	if ('rateLimitMode' in p) {
		if (RATE_LIMIT_MODES.includes(p.rateLimitMode as RateLimitMode)) target.rateLimitMode = p.rateLimitMode as RateLimitMode;
		else problems.push("rateLimitMode must be 'sliding' or 'fixed'");
	}
	if ('envelope' in p) {
		if (p.envelope === 'wrapped' || p.envelope === 'flat') target.envelope = p.envelope as Envelope;
		else problems.push("envelope must be 'wrapped' or 'flat'");
	}
	if ('idSortable' in p) {
		if (ID_SORTABLE.includes(p.idSortable as IdSortable)) target.idSortable = p.idSortable as IdSortable;
		else problems.push("idSortable must be 'yes', 'refuse' or 'ignore'");
	}
	for (const [key, values] of Object.entries(VARIANT_VALUES) as Array<[keyof typeof VARIANT_VALUES, readonly string[]]>) {
		if (!(key in p)) continue;
		if (values.includes(p[key] as string)) (target as unknown as Record<string, unknown>)[key] = p[key];
		else problems.push(`${key} must be one of ${values.map((value) => `'${value}'`).join(', ')}`);
	}
	if ('users' in p) {
		const users = p.users;
		if (
			Array.isArray(users) &&
			users.every((u) => typeof u === 'object' && u && typeof u.username === 'string' && typeof u.password === 'string')
		) {
			target.users = users as ResolvedSandboxOptions['users'];
		} else problems.push('users must be an array of {username, password}');
	}
	if ('seed' in p) {
		const seed = p.seed;
		if (typeof seed === 'object' && seed && !Array.isArray(seed)) {
			for (const [k, v] of Object.entries(seed)) {
				if (!(k in DEFAULT_SEED)) problems.push(`seed.${k} is unknown`);
				else if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) problems.push(`seed.${k} must be an integer >= 0`);
				else target.seed[k as keyof SeedCounts] = v;
			}
		} else problems.push('seed must be an object');
	}
	if ('now' in p) {
		const v = p.now;
		if (v === null) target.now = () => new Date();
		else if (typeof v === 'string' || typeof v === 'number') {
			const fixed = new Date(v);
			if (Number.isNaN(fixed.getTime())) problems.push('now must be a date');
			else target.now = () => new Date(fixed.getTime());
		} else problems.push('now must be an ISO date string, ms number or null');
	}
	return problems;
}

/** JSON view of the options (functions and secrets of users kept; `now` shown as its current value). */
export function optionsToJson(o: ResolvedSandboxOptions): Record<string, unknown> {
	const { now, ...rest } = o;
	return { ...rest, now: now().toISOString() };
}
