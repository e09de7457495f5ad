/**
 * Public types of the Loymax SC sandbox (see CONTRACT.md).
 */

export type Envelope = 'wrapped' | 'flat';

/* Contract variants: readings of the reference a client must cope with (CONTRACT.md, "Contract variants"). */
/** Where `POST /token` takes username and password: JSON:API body, query string, or either. */
export type TokenForm = 'body' | 'query' | 'both';
/** The token answer: Loymax's OpenAPI shape or a plain `{access_token, token_type, expires_in}`. */
export type TokenResponse = 'jsonapi' | 'plain';
/** What a successful write answers: its JSON document, 204, an empty 200 or a text 200. */
export type EmptyWriteAck = 'json' | '204' | 'empty200' | 'text200';

/**
 * `sliding`: a request is allowed while fewer than the limit were accepted in the last window.
 * `fixed`: Laravel's ThrottleRequests: a window opens at the first request and lasts the window
 * length; at most the limit are accepted in it; the next request after it opens a new window.
 */
export type RateLimitMode = 'sliding' | 'fixed';

/** How collections take `sort` on `id`: sorted, refused (400 "Invalid sort"), or ignored (default order). */
export type IdSortable = 'yes' | 'refuse' | 'ignore';

export interface SandboxUser {
	username: string;
	password: string;
	/** Platform user id (JWT `sub`, `data.id` of the token response). Default: 1-based index. */
	id?: number;
	/** Default: the username when it contains `@`, else `<username>@example.com`. */
	email?: string;
}

/** Volumes of the deterministic seed. */
export interface SeedCounts {
	customers: number;
	orders: number;
	events: number;
	products: number;
	categories: number;
	emailMailings: number;
	smsMailings: number;
	pushMailings: number;
	polls: number;
	blacklistEmails: number;
	blacklistPhones: number;
	promoCodeGroups: number;
	dictionaries: number;
	/** Items per dictionary. */
	dictionaryItems: number;
}

export interface SandboxOptions {
	host?: string;
	/** 0 = random free port. */
	port?: number;
	users?: SandboxUser[];
	jwtSecret?: string;
	tokenTtlSeconds?: number;
	/** `access_token` starts with `Bearer ` (default) or is the bare JWT. */
	bearerPrefix?: boolean;
	/** Wrong credentials answered 200 with an `errors` body. */
	tokenErrorsAs200?: boolean;
	/** Requests accepted per client IP and window (the window is 60 s unless `rateLimitWindowSeconds` says otherwise). */
	rateLimitPerMinute?: number;
	/** Length of the rate-limit window (default 60). */
	rateLimitWindowSeconds?: number;
	/** Default `sliding`. */
	rateLimitMode?: RateLimitMode;
	/**
	 * Laravel-style headers: `X-RateLimit-Limit` and `X-RateLimit-Remaining` on every API answer,
	 * plus `Retry-After` and `X-RateLimit-Reset` (epoch seconds) on a 429. Not in the docs.
	 */
	rateLimitHeaders?: boolean;
	/** When set, 429 responses carry `Retry-After: <n>` (overrides the computed one). */
	retryAfterSeconds?: number;
	/** The server's cap on `page[size]`: a larger size is served at this size. */
	maxPageSize?: number;
	defaultPageSize?: number;
	/** Collections answer without `links.next` (the other links stay). */
	omitNextLink?: boolean;
	/** Collections answer without `meta`. */
	omitMeta?: boolean;
	/** Collections ignore `page[number]` and serve the first page every time (an endpoint whose paging is broken). */
	ignorePageNumber?: boolean;
	envelope?: Envelope;
	/** Collection readings (CONTRACT.md, "Collections"): JSON:API `id` as a JSON number; how `sort` on `id` is taken. */
	numericIds?: boolean;
	idSortable?: IdSortable;
	/** Test hook, programmatic only: runs before each collection page is cut (create or delete records between page reads). */
	onList?: (path: string, query: URLSearchParams) => void;
	/** Contract variants (default `body`, `jsonapi`, `json`). */
	tokenForm?: TokenForm;
	tokenResponse?: TokenResponse;
	emptyWriteAck?: EmptyWriteAck;
	seed?: Partial<SeedCounts>;
	/** Clock used for the `register_date` year range. */
	now?: () => Date;
	/** Extra (not in CONTRACT.md): the request log keeps at most this many entries (oldest dropped). */
	logLimit?: number;
}

/** The live options object (`sb.options`); tests may change fields at run time. */
export interface ResolvedSandboxOptions {
	host: string;
	port: number;
	users: SandboxUser[];
	jwtSecret: string;
	tokenTtlSeconds: number;
	bearerPrefix: boolean;
	tokenErrorsAs200: boolean;
	rateLimitPerMinute: number;
	rateLimitWindowSeconds: number;
	rateLimitMode: RateLimitMode;
	rateLimitHeaders: boolean;
	retryAfterSeconds: number | undefined;
	maxPageSize: number;
	defaultPageSize: number;
	omitNextLink: boolean;
	omitMeta: boolean;
	ignorePageNumber: boolean;
	envelope: Envelope;
	numericIds: boolean;
	idSortable: IdSortable;
	onList: ((path: string, query: URLSearchParams) => void) | undefined;
	tokenForm: TokenForm;
	tokenResponse: TokenResponse;
	emptyWriteAck: EmptyWriteAck;
	seed: SeedCounts;
	now: () => Date;
	logLimit: number;
}

export interface RequestLogEntry {
	method: string;
	/** Path as received (no query string). */
	path: string;
	/** Parsed query; `page[size]` stays a flat key; `sort` is the decoded JSON string. */
	query: Record<string, string>;
	/** Query string as received, without `?`. */
	rawQuery: string;
	/** Parsed JSON body, the raw text when it is not JSON, undefined when there is no body. */
	body: unknown;
	headers: { contentType: string | null; deviceId: string | null };
	/** Token from `Authorization` without one leading `Bearer `, or null when the header is absent. */
	token: string | null;
	/** Response status; 0 while in flight and for dropped connections. */
	status: number;
	/** Name of the injected fault that handled this request (its `name`, else its `kind`). */
	fault?: string;
	/** ms since epoch when the request arrived. */
	time: number;
}

export interface FaultMatch {
	method?: string;
	/** String: exact match of the path as received. RegExp: tested against it. */
	path?: string | RegExp;
	/** Query parameters that must all be present with these values, e.g. `{'page[number]': '2'}`. */
	query?: Record<string, string>;
}

interface FaultBase {
	/** Number of matching requests this fault applies to (default 1; ignored by `random429`). */
	count?: number;
	/** Default: any request except `/token`. */
	match?: FaultMatch;
	/** Name written to the log's `fault` (default: `kind`). */
	name?: string;
}

export type Fault =
	| (FaultBase & {
			kind: 'status';
			status: number;
			/** String = raw body; anything else is sent as JSON. Default: an `errors` body (429: the documented one). */
			body?: unknown;
			headers?: Record<string, string>;
	  })
	| (FaultBase & { kind: 'html'; status?: number })
	| (FaultBase & { kind: 'invalidJson' })
	| (FaultBase & { kind: 'drop' })
	| (FaultBase & { kind: 'delay'; ms: number })
	| (FaultBase & { kind: 'random429'; ratio: number; /** PRNG seed (default 1). */ seed?: number });

export type FaultKind = Fault['kind'];

export interface IssueTokenOptions {
	/** Lifetime; negative = already expired. Default: `options.tokenTtlSeconds`. */
	ttlSeconds?: number;
	/** Signing secret; anything but `options.jwtSecret` gives a forged token. */
	secret?: string;
}
