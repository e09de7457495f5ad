import { MINUTE_MS, QueueExit, sleepUnlessAborted, systemClock, type Budget, type Clock, type RateLimiter } from './RateLimiter';
import { noteAnswer } from './readings';
import type { TransportSettings } from './settings';

export interface RawResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
	/**
	 * The answer said "not there" / "already there" to a request repeated after an attempt that may
	 * have reached the API: that attempt did the work.
	 */
	alreadyDone?: boolean;
}

export type FailureKind = 'rateLimit' | 'unauthorized' | 'server' | 'invalidResponse' | 'network' | 'client' | 'cancelled' | 'queue';

export interface ApiErrorDetail {
	status?: number;
	title?: string;
	detail?: string;
	validation?: Record<string, string[]>;
}

/** A request that failed for good, after whatever retries the policy allowed. */
export class LoymaxRequestError extends Error {
	override name = 'LoymaxRequestError';

	constructor(
		message: string,
		readonly kind: FailureKind,
		readonly httpCode: number | undefined,
		readonly description: string,
		readonly errors: ApiErrorDetail[] = [],
	) {
		super(message);
	}
}

const TRANSIENT_RETRIES = 3;
/**
 * Every 429 pauses at least this long (or the credential's own pause, if shorter), whatever
 * Retry-After says (0 or a past date included), and the pause counts against Max Total Wait.
 */
export const MIN_RATE_LIMIT_PAUSE_MS = 1_000;
// Codes where the request never left this machine: repeating them cannot duplicate anything.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** The system error code (ECONNRESET...), also where n8n's NodeApiError keeps it (`httpCode`). */
function errorCode(error: unknown): string | undefined {
	type Wrapped = { code?: unknown; httpCode?: unknown; cause?: unknown };
	for (let current = error as Wrapped | undefined, depth = 0; current && depth < 5; depth++) {
		for (const code of [current.code, current.httpCode]) {
			if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
		}
		current = current.cause as Wrapped | undefined;
	}
	return undefined;
}

/** Every message n8n collected on the way, the original one included. */
const errorMessages = (error: unknown): string =>
	[(error as Error)?.message, ...(((error as { messages?: unknown[] })?.messages ?? []) as unknown[])].map(String).join(' | ');

/** Our own error, when it reaches us unwrapped or as the cause of another. */
export function findLoymaxError(error: unknown): LoymaxRequestError | undefined {
	for (let current = error as { cause?: unknown } | undefined, depth = 0; current && depth < 5; depth++) {
		if ((current as Error).name === 'LoymaxRequestError') return current as LoymaxRequestError;
		current = current.cause as typeof current;
	}
	return undefined;
}

function apiErrors(body: unknown): ApiErrorDetail[] | undefined {
	const errors = (body as { errors?: unknown } | undefined)?.errors;
	return Array.isArray(errors) ? (errors as ApiErrorDetail[]) : undefined;
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(headers: Record<string, unknown>): number | undefined {
	const value = header(headers, 'retry-after');
	if (value === undefined || value.trim() === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function describeValidation(errors: ApiErrorDetail[]): string {
	const lines: string[] = [];
	for (const error of errors) {
		if (error.detail) lines.push(error.detail);
		for (const [field, messages] of Object.entries(error.validation ?? {})) {
			lines.push(`${field}: ${(Array.isArray(messages) ? messages : [messages]).join('; ')}`);
		}
	}
	return lines.join('\n');
}

function isHtml(body: unknown): boolean {
	return typeof body === 'string' && /^\s*</.test(body);
}

/** Turns a final, unsuccessful response into the error the user sees. */
export function responseError(response: RawResponse, retried: string): LoymaxRequestError {
	const { statusCode, body } = response;
	const errors = apiErrors(body) ?? [];
	const title = errors[0]?.title;
	const validation = describeValidation(errors);
	if (statusCode === 429) {
		return new LoymaxRequestError(
			`Loymax SC rate limit: ${title ?? 'Too Many Attempts.'}`,
			'rateLimit',
			429,
			`The API kept answering 429 (over 1000 requests per minute). ${retried} Lower "Max Requests per Minute" in the credential or raise "Max Total Wait".`,
			errors,
		);
	}
	if (statusCode === 401) {
		return new LoymaxRequestError(
			`Authorization failed - please check your credentials${title ? ` (${title})` : ''}`,
			'unauthorized',
			401,
			'Loymax SC rejected the token even after a fresh login. Check that the API user still exists and has the API role.',
			errors,
		);
	}
	if (statusCode >= 500 || (statusCode < 300 && !errors.length)) {
		const what = isHtml(body)
			? `an HTML error page (HTTP ${statusCode})`
			: statusCode < 300
				? 'a response that is not valid JSON'
				: `HTTP ${statusCode}`;
		return new LoymaxRequestError(
			`Loymax SC answered with ${what}${title ? `: ${title}` : ''}`,
			statusCode >= 500 ? 'server' : 'invalidResponse',
			statusCode,
			`${retried}${validation ? `\n${validation}` : ''}`,
			errors,
		);
	}
	// The first field problems go in the message too: with Continue On Fail it is all an item keeps.
	const fields = validation.split('\n').filter(Boolean);
	const summary = fields.length ? ` (${fields.slice(0, 2).join('; ')}${fields.length > 2 ? '; ...' : ''})` : '';
	return new LoymaxRequestError(
		`Loymax SC error: ${title ?? `HTTP ${statusCode}`}${summary}`,
		'client',
		errors[0]?.status ?? statusCode,
		validation || 'The API rejected the request.',
		errors,
	);
}

export interface PolicyOptions {
	/** Whether repeating the request after it may have reached the server is harmless (reads, upserts by key). */
	retrySafe: boolean;
	/** Whether a 2xx must carry a JSON object (reads and the login; a write's 2xx is enough). */
	expectJson: boolean;
	/** Whether a 401 means "renew the token and repeat" (false for the token call itself). */
	renewOn401: boolean;
	/** Whether the request jumps the limiter's queue (the login every queued request waits for). */
	urgent?: boolean;
	/** The pace of the credential that sends. */
	budget?: Budget;
	/** The execution's cancel signal: a stopped execution sends nothing more and repeats nothing. */
	signal?: AbortSignal;
	/**
	 * Runs before each attempt takes its slot (the token is made sure of here, so that a login never
	 * waits behind the requests that wait for it). `after401`: the last attempt was answered 401;
	 * answers false when a new login would not help.
	 */
	prepare?: (after401: boolean) => Promise<boolean | void>;
	/** Statuses that mean "already done" when an earlier attempt may have reached the API (404 for a delete). */
	alreadyDoneStatuses?: number[];
}

/**
 * Thrown by a send that found, once its turn came, that its token expired while it waited: nothing
 * was sent, the turn is given back, and the request makes sure of a token again (a login cannot
 * run while a turn is held).
 */
export class TokenLapsed extends Error {
	override name = 'TokenLapsed';
}

export const cancelledError = () =>
	new LoymaxRequestError('The execution was stopped', 'cancelled', undefined, 'Nothing more was sent after the stop, and nothing was repeated.');

/** Whether an error is n8n's (axios') answer to an aborted request. */
function isCancellation(error: unknown): boolean {
	if (errorCode(error) === 'ERR_CANCELED') return true;
	for (let current = error as { name?: unknown; cause?: unknown } | undefined, depth = 0; current && depth < 5; depth++) {
		if (current.name === 'CanceledError' || current.name === 'AbortError') return true;
		current = current.cause as typeof current;
	}
	return false;
}

function classify(response: RawResponse, expectJson: boolean): FailureKind | undefined {
	const { statusCode, body } = response;
	if (statusCode === 429) return 'rateLimit';
	if (statusCode === 401) return 'unauthorized';
	if (statusCode >= 500) return 'server';
	if (statusCode >= 400) return 'client';
	if (apiErrors(body)) return 'client';
	// A write's 2xx is its acknowledgement whatever the body (204, empty, text): never repeated.
	if (!expectJson) return undefined;
	const emptyBody = body === undefined || body === null || body === '';
	if (emptyBody) return statusCode === 204 ? undefined : 'invalidResponse';
	return typeof body === 'object' ? undefined : 'invalidResponse';
}

/**
 * Sends one logical request: waits for the rate limiter, pauses and repeats on 429, renews the
 * token once on 401, and retries transient failures when repeating is safe.
 */
export async function sendWithPolicy(
	settings: TransportSettings,
	limiter: RateLimiter,
	send: (after401: boolean) => Promise<RawResponse>,
	options: PolicyOptions,
	clock: Clock = systemClock,
): Promise<RawResponse> {
	// The budget counts pauses and retry delays; time queued for the rate budget is bounded apart.
	let waitedMs = 0;
	let after401 = false;
	let renewed = false;
	let transientRetries = 0;
	let rateLimitWaitMs = 0;
	// Whether an earlier attempt may have reached the API (a timeout, a dropped connection, a 5xx).
	let mayHaveArrived = false;
	let lastUnauthorized: LoymaxRequestError | undefined;
	const { signal } = options;

	const backoff = async (reason: () => LoymaxRequestError) => {
		const delay = settings.retryDelayMs * 2 ** transientRetries;
		if (transientRetries >= TRANSIENT_RETRIES || waitedMs + delay > settings.maxWaitMs) {
			throw reason();
		}
		transientRetries++;
		waitedMs += delay;
		await sleepUnlessAborted(clock, delay, signal);
	};

	for (let repeated = false; ; repeated = true) {
		if (signal?.aborted) throw cancelledError();
		if ((await options.prepare?.(after401)) === false) throw lastUnauthorized!;
		after401 = false;
		// A repeated request goes first: it is older than everything queued behind it.
		const turn = await limiter
			.acquire({
				urgent: options.urgent || repeated,
				budget: options.budget,
				signal,
				deadline: clock.now() + Math.max(settings.maxWaitMs, MINUTE_MS),
			})
			.then(
				(answered) => ({ answered }),
				(error: unknown) => ({ exit: error instanceof QueueExit ? error.reason : 'deadline' }),
			);
		if ('exit' in turn) {
			if (turn.exit === 'cancelled') throw cancelledError();
			throw new LoymaxRequestError(
				'Loymax SC rate budget: waited too long for a turn to send',
				'queue',
				undefined,
				`The request waited over ${Math.round(Math.max(settings.maxWaitMs, MINUTE_MS) / 1000)} s behind other requests to this API host. Raise "Max Requests per Minute" or "Max Total Wait" in the credential, or send fewer items at once.`,
			);
		}
		const { answered } = turn;
		let response: RawResponse;
		const attemptStartedAt = clock.now();
		try {
			response = await send(renewed);
		} catch (error) {
			answered();
			if (signal?.aborted || isCancellation(error)) throw cancelledError();
			if (error instanceof TokenLapsed) continue;
			const ours = findLoymaxError(error);
			if (ours) throw ours;
			const code = errorCode(error);
			const message = (error as Error)?.message ?? String(error);
			const neverSent = code !== undefined && NOT_SENT_CODES.has(code);
			const timedOut = code === 'ETIMEDOUT' || /timeout/i.test(errorMessages(error));
			const failure = () =>
				new LoymaxRequestError(
					timedOut ? 'Loymax SC did not answer in time (request timeout)' : `Could not reach Loymax SC: ${message}`,
					'network',
					undefined,
					options.retrySafe || neverSent
						? `Gave up after ${transientRetries + 1} attempts.`
						: 'The request may have reached the server, so it was not repeated (repeating it could create a duplicate). Check the data in Loymax SC before running it again.',
				);
			if (!options.retrySafe && !neverSent) throw failure();
			if (!neverSent) mayHaveArrived = true;
			await backoff(failure);
			continue;
		}

		answered();
		limiter.observe(response.headers ?? {}, attemptStartedAt);
		noteAnswer(settings.baseUrl, response.headers);
		if (mayHaveArrived && options.alreadyDoneStatuses?.includes(response.statusCode)) return { ...response, alreadyDone: true };
		const kind = classify(response, options.expectJson);
		if (kind === undefined) return response;
		if (kind === 'rateLimit') {
			// A 429 was not processed by the API, so any request may be repeated after the pause.
			const floor = settings.rateLimitPauseMs > 0 ? Math.min(MIN_RATE_LIMIT_PAUSE_MS, settings.rateLimitPauseMs) : MIN_RATE_LIMIT_PAUSE_MS;
			const pauseMs = Math.max(floor, retryAfterMs(response.headers) ?? settings.rateLimitPauseMs);
			if (waitedMs + pauseMs > settings.maxWaitMs) {
				throw responseError(
					response,
					`Waited ${Math.round(rateLimitWaitMs / 1000)} s in total for the rate limit; the next pause (${Math.round(pauseMs / 1000)} s) would exceed "Max Total Wait" (${Math.round(settings.maxWaitMs / 1000)} s).`,
				);
			}
			rateLimitWaitMs += pauseMs;
			waitedMs += pauseMs;
			limiter.pause(pauseMs);
			continue;
		}
		if (kind === 'unauthorized' && options.renewOn401 && !renewed) {
			// One renewal per request: a 401 to a fresh token is not about the token.
			renewed = true;
			after401 = true;
			lastUnauthorized = responseError(response, '');
			continue;
		}
		if ((kind === 'server' || kind === 'invalidResponse') && options.retrySafe) {
			if (kind === 'server') mayHaveArrived = true;
			await backoff(() => responseError(response, `Gave up after ${transientRetries + 1} attempts.`));
			continue;
		}
		throw responseError(
			response,
			kind === 'server' || kind === 'invalidResponse'
				? 'The request may have been applied, so it was not repeated (repeating it could create a duplicate).'
				: '',
		);
	}
}
