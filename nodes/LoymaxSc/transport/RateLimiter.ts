import { sleep } from 'n8n-workflow';

const MINUTE_MS = 60_000;
/** After a 429 the docs ask clients to slow down; each 429 stretches the spacing, up to twice the normal. */
const SLOWDOWN_STEP = 1.25;
const MAX_SLOWDOWN = 2;

/**
 * Spaces requests evenly at a fixed rate (a 1000/min API never sees a burst) and holds every
 * request of the credential while a 429 pause is running.
 */
export class RateLimiter {
	private nextSlotAt = 0;
	private pausedUntil = 0;
	private slowdown = 1;
	private lastRateLimitAt = 0;

	constructor(public requestsPerMinute: number) {}

	get intervalMs(): number {
		if (this.slowdown > 1 && Date.now() - this.lastRateLimitAt > MINUTE_MS) this.slowdown = 1;
		return (MINUTE_MS / this.requestsPerMinute) * this.slowdown;
	}

	/**
	 * Resolves when the caller may send one request. Requests reserve slots in arrival order; an
	 * urgent one (the login everybody else is waiting for) only waits for a running 429 pause and
	 * takes the place of the next reserved slot instead of queueing behind all of them.
	 */
	async acquire(urgent = false): Promise<void> {
		for (;;) {
			const now = Date.now();
			const startAt = urgent ? Math.max(now, this.pausedUntil) : Math.max(now, this.nextSlotAt, this.pausedUntil);
			this.nextSlotAt = Math.max(this.nextSlotAt, startAt) + this.intervalMs;
			if (startAt > now) await sleep(startAt - now);
			// A 429 seen by another request while this one waited moves everyone behind the pause.
			if (this.pausedUntil <= Date.now()) return;
		}
	}

	/** Called on a 429: nobody sends until the pause is over, and the pace slows down. */
	pause(ms: number): void {
		const until = Date.now() + ms;
		this.pausedUntil = Math.max(this.pausedUntil, until);
		this.nextSlotAt = Math.max(this.nextSlotAt, this.pausedUntil);
		this.slowdown = Math.min(MAX_SLOWDOWN, this.slowdown * SLOWDOWN_STEP);
		this.lastRateLimitAt = Date.now();
	}
}

// Module state on purpose: one limiter per credential, shared by every execution in this n8n process.
const limiters = new Map<string, RateLimiter>();

export function limiterFor(key: string, requestsPerMinute: number): RateLimiter {
	let limiter = limiters.get(key);
	if (!limiter) {
		limiter = new RateLimiter(requestsPerMinute);
		limiters.set(key, limiter);
	}
	limiter.requestsPerMinute = requestsPerMinute;
	return limiter;
}
