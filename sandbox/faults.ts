/**
 * Fault injection: a queue of faults applied to matching requests before auth and rate limit.
 */
import { STATUS_CODES } from 'node:http';
import type { HandlerResult } from './http';
import { isPlainObject } from './http';
import type { RateLimitVerdict } from './rateLimit';
import type { Fault, FaultKind, ResolvedSandboxOptions } from './types';

const KINDS: readonly FaultKind[] = ['status', 'html', 'invalidJson', 'drop', 'delay', 'random429'];

/** mulberry32 */
function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

interface ActiveFault {
	fault: Fault;
	remaining: number;
	random?: () => number;
}

/** Throws on a malformed fault (used by `inject` and the control endpoint). */
export function checkFault(f: unknown): asserts f is Fault {
	if (!isPlainObject(f)) throw new TypeError('fault must be an object');
	if (!KINDS.includes(f.kind as FaultKind)) throw new TypeError(`fault.kind must be one of ${KINDS.join(', ')}`);
	if (f.kind === 'status' && (typeof f.status !== 'number' || f.status < 100 || f.status > 599)) {
		throw new TypeError('status fault needs a numeric status (100..599)');
	}
	if (f.kind === 'delay' && (typeof f.ms !== 'number' || f.ms < 0)) throw new TypeError('delay fault needs ms >= 0');
	if (f.kind === 'random429' && (typeof f.ratio !== 'number' || f.ratio < 0 || f.ratio > 1)) {
		throw new TypeError('random429 fault needs ratio in 0..1');
	}
	if (f.count !== undefined && (typeof f.count !== 'number' || f.count < 1)) throw new TypeError('fault.count must be >= 1');
	if (f.match !== undefined && !isPlainObject(f.match)) throw new TypeError('fault.match must be an object');
}

export class FaultQueue {
	private active: ActiveFault[] = [];

	inject(fault: Fault): void {
		checkFault(fault);
		this.active.push({
			fault,
			remaining: fault.count ?? 1,
			random: fault.kind === 'random429' ? prng(fault.seed ?? 1) : undefined,
		});
	}

	clear(): void {
		this.active = [];
	}

	get pending(): Fault[] {
		return this.active.map((a) => a.fault);
	}

	/** The fault that handles this request, if any (consumes one use of count-limited faults). */
	take(method: string, path: string, query: Record<string, string> = {}): Fault | undefined {
		for (let i = 0; i < this.active.length; i++) {
			const a = this.active[i];
			if (!matches(a.fault, method, path, query)) continue;
			if (a.random) {
				if (a.random() < (a.fault as { ratio: number }).ratio) return a.fault;
				continue;
			}
			if (--a.remaining <= 0) this.active.splice(i, 1);
			return a.fault;
		}
		return undefined;
	}
}

function matches(f: Fault, method: string, path: string, query: Record<string, string>): boolean {
	const m = f.match;
	if (m?.method && m.method.toUpperCase() !== method) return false;
	if (m?.query && Object.entries(m.query).some(([key, value]) => query[key] !== String(value))) return false;
	const p = m?.path;
	if (p === undefined) return path !== '/token';
	if (typeof p === 'string') return p === path;
	p.lastIndex = 0;
	return p.test(path);
}

export const RATE_LIMIT_BODY = { errors: [{ status: 429, title: 'Too Many Attempts.' }] };

/**
 * Laravel ThrottleRequests' headers (when `rateLimitHeaders` is on): limit and remaining on every
 * answer; on a refusal also `Retry-After` (seconds) and `X-RateLimit-Reset` (epoch seconds).
 * `retryAfterSeconds`, when set, replaces the computed wait.
 */
export function rateLimitHeaders(options: ResolvedSandboxOptions, verdict: RateLimitVerdict, now = Date.now()): Record<string, string> {
	const headers: Record<string, string> = {};
	if (options.rateLimitHeaders) {
		headers['X-RateLimit-Limit'] = String(verdict.limit);
		headers['X-RateLimit-Remaining'] = String(verdict.remaining);
	}
	if (verdict.allowed) return headers;
	const waitMs = options.retryAfterSeconds !== undefined ? options.retryAfterSeconds * 1000 : verdict.retryAfterMs;
	if (options.retryAfterSeconds !== undefined || (options.rateLimitHeaders && waitMs !== undefined)) {
		headers['Retry-After'] = String(Math.ceil((waitMs ?? 0) / 1000));
	}
	if (options.rateLimitHeaders && waitMs !== undefined) headers['X-RateLimit-Reset'] = String(Math.ceil((now + waitMs) / 1000));
	return headers;
}

/** The documented 429. Injected ones (no verdict) carry `Retry-After` only when `retryAfterSeconds` is set. */
export function rateLimited(options: ResolvedSandboxOptions, verdict?: RateLimitVerdict): HandlerResult {
	const headers: Record<string, string> = verdict
		? rateLimitHeaders(options, verdict)
		: options.retryAfterSeconds !== undefined
			? { 'Retry-After': String(options.retryAfterSeconds) }
			: {};
	return { status: 429, statusMessage: 'Too Many Attempts', body: RATE_LIMIT_BODY, headers };
}

const TRUNCATED_JSON = '{"data":[{"type":"customer","id":"1","attributes":{"local_id":"C-00001","first_name":"Fi';

/** Response of a fault that answers (everything but `drop` and `delay`). */
export function faultResponse(f: Fault, options: ResolvedSandboxOptions): HandlerResult {
	switch (f.kind) {
		case 'random429':
			return rateLimited(options);
		case 'status': {
			if (f.status === 429) {
				const base = rateLimited(options);
				return {
					...base,
					headers: { ...base.headers, ...(f.headers ?? {}) },
					body: f.body ?? base.body,
				};
			}
			return {
				status: f.status,
				headers: f.headers,
				body: f.body ?? { errors: [{ status: f.status, title: STATUS_CODES[f.status] ?? 'Error' }] },
			};
		}
		case 'html': {
			const status = f.status ?? 502;
			const text = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
			return {
				status,
				headers: { 'Content-Type': 'text/html; charset=utf-8' },
				body: `<html>\r\n<head><title>${text}</title></head>\r\n<body>\r\n<center><h1>${text}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
			};
		}
		case 'invalidJson':
			return { status: 200, headers: { 'Content-Type': 'application/json' }, body: TRUNCATED_JSON };
		default:
			throw new Error(`fault ${f.kind} has no response`);
	}
}
