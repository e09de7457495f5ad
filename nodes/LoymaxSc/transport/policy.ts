import { systemClock, type Clock, type RateLimiter } from './RateLimiter';
import { noteAnswer } from './readings';
import type { TransportSettings } from './settings';

export interface RawResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

export type FailureKind = 'rateLimit' | 'unauthorized' | 'server' | 'invalidResponse' | 'network' | 'client';

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
	/** The login failure behind an error n8n wrapped, if one happened since `since`. */
	loginFailureSince?: (since: number) => LoymaxRequestError | undefined;
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
	send: (renewToken: boolean) => Promise<RawResponse>,
	options: PolicyOptions,
	clock: Clock = systemClock,
): Promise<RawResponse> {
	// The budget counts pauses and retry delays, not the time spent queueing behind other items.
	let waitedMs = 0;
	let renewToken = false;
	let transientRetries = 0;
	let rateLimitWaitMs = 0;

	const backoff = async (reason: () => LoymaxRequestError) => {
		const delay = settings.retryDelayMs * 2 ** transientRetries;
		if (transientRetries >= TRANSIENT_RETRIES || waitedMs + delay > settings.maxWaitMs) {
			throw reason();
		}
		transientRetries++;
		waitedMs += delay;
		await clock.sleep(delay);
	};

	for (let repeated = false; ; repeated = true) {
		// A repeated request goes first: it is older than everything queued behind it.
		const answered = await limiter.acquire(options.urgent || repeated);
		let response: RawResponse;
		const attemptStartedAt = clock.now();
		try {
			response = await send(renewToken);
		} catch (error) {
			answered();
			const ours = findLoymaxError(error) ?? options.loginFailureSince?.(attemptStartedAt);
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
			await backoff(failure);
			continue;
		}

		answered();
		limiter.observe(response.headers ?? {}, attemptStartedAt);
		noteAnswer(settings.baseUrl, response.headers);
		const kind = classify(response, options.expectJson);
		if (kind === undefined) return response;
		if (kind === 'rateLimit') {
			// A 429 was not processed by the API, so any request may be repeated after the pause.
			const pauseMs = retryAfterMs(response.headers) ?? settings.rateLimitPauseMs;
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
		if (kind === 'unauthorized' && options.renewOn401 && !renewToken) {
			renewToken = true;
			continue;
		}
		if ((kind === 'server' || kind === 'invalidResponse') && options.retrySafe) {
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
