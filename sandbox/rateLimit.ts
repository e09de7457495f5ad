/**
 * Per-client-IP rate limit in two modes (see `RateLimitMode`). Only accepted requests are counted,
 * as in Laravel, whose ThrottleRequests middleware checks before it counts.
 */
import type { RateLimitMode } from './types';

export interface RateLimitRule {
	mode: RateLimitMode;
	/** Requests accepted per window. */
	limit: number;
	windowMs: number;
}

/** What the limiter decided for one request. */
export interface RateLimitVerdict {
	allowed: boolean;
	limit: number;
	/** Requests still accepted in the current window after this one (0 when refused). */
	remaining: number;
	/** Refused: ms until a request would be accepted again. */
	retryAfterMs?: number;
}

interface Sliding {
	times: number[];
	head: number;
}

interface Fixed {
	start: number;
	windowMs: number;
	count: number;
}

export class RateLimiter {
	private sliding = new Map<string, Sliding>();
	private fixed = new Map<string, Fixed>();

	/** Records the request when it is within the rule; a refused request is not recorded. */
	hit(ip: string, rule: RateLimitRule, now = Date.now()): RateLimitVerdict {
		return rule.mode === 'fixed' ? this.hitFixed(ip, rule, now) : this.hitSliding(ip, rule, now);
	}

	private hitSliding(ip: string, { limit, windowMs }: RateLimitRule, now: number): RateLimitVerdict {
		let w = this.sliding.get(ip);
		if (!w) this.sliding.set(ip, (w = { times: [], head: 0 }));
		const cutoff = now - windowMs;
		while (w.head < w.times.length && w.times[w.head] <= cutoff) w.head++;
		if (w.head > 4096 && w.head * 2 > w.times.length) {
			w.times = w.times.slice(w.head);
			w.head = 0;
		}
		const inWindow = w.times.length - w.head;
		if (inWindow >= limit) {
			// The request that leaves the window first is the one `limit` places back from the end.
			const oldest = inWindow > 0 ? w.times[w.times.length - Math.max(1, limit)] : now;
			return { allowed: false, limit, remaining: 0, retryAfterMs: Math.max(1, oldest + windowMs - now) };
		}
		w.times.push(now);
		return { allowed: true, limit, remaining: limit - inWindow - 1 };
	}

	/** Laravel: the window opens at the first request and lasts its length, whatever comes after. */
	private hitFixed(ip: string, { limit, windowMs }: RateLimitRule, now: number): RateLimitVerdict {
		let w = this.fixed.get(ip);
		if (!w || now >= w.start + w.windowMs) this.fixed.set(ip, (w = { start: now, windowMs, count: 0 }));
		if (w.count >= limit) return { allowed: false, limit, remaining: 0, retryAfterMs: Math.max(1, w.start + w.windowMs - now) };
		w.count++;
		return { allowed: true, limit, remaining: limit - w.count };
	}

	reset(): void {
		this.sliding.clear();
		this.fixed.clear();
	}
}
