import { sleep } from 'n8n-workflow';

/** Time as the limiter and the retry policy see it; tests inject a virtual clock. */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now(), sleep: async (ms) => await sleep(ms) };

export const MINUTE_MS = 60_000;
/** After a 429 the docs ask clients to slow down: each 429 lowers the budget, down to half, for a minute. */
const SLOWDOWN_STEP = 1.25;
const MAX_SLOWDOWN = 2;

/** One request's place in the window: from its departure until a window after its answer came back. */
interface Slot {
	at: number;
	answered: boolean;
}

/** How often a full window is looked at again while its oldest requests are still unanswered. */
const IN_FLIGHT_POLL_MS = 20;

/**
 * What the API said of the shared budget (Laravel's `X-RateLimit-*` headers, when it sends them):
 * the budget of every process and tool calling from this IP, not only ours.
 */
interface SharedBudget {
	limit: number;
	/** Remaining after the request sent at `sentAt`. */
	remaining: number;
	sentAt: number;
	/** When the API's window is expected to reset (known exactly after a 429, else estimated late). */
	resetAt: number;
}

/**
 * A rate budget: at most `requestsPerMinute` requests a minute, counted in a sliding window (60 s
 * unless the API counts in shorter windows). Requests leave at once while the window has room (a
 * Get Many of 100 pages is one burst, far inside the API's 1000 per minute), then each waits for
 * the oldest request to leave the window. A request stays in the window until a window after its
 * answer, so a slow network cannot make the server see more than the budget in any of its windows.
 * Requests leave in the order they asked; a 429 holds every request of the credential for the pause.
 */
export class RateLimiter {
	/** Requests in the current window, in order of departure (`head` marks the first live one). */
	private slots: Slot[] = [];
	private head = 0;
	private readonly waiting: Array<(answered: () => void) => void> = [];
	private pumping = false;
	private pausedUntil = 0;
	private slowdown = 1;
	private lastRateLimitAt = 0;
	private shared?: SharedBudget;
	/** Departure times of our requests, for counting those the last shared figures do not include. */
	private departures: number[] = [];
	private lastDeparture = 0;

	constructor(
		public requestsPerMinute: number,
		private readonly clock: Clock = systemClock,
		public windowMs = MINUTE_MS,
	) {}

	/** The budget of one window, lowered for a minute after a 429. */
	get budget(): number {
		if (this.slowdown > 1 && this.clock.now() - this.lastRateLimitAt > MINUTE_MS) this.slowdown = 1;
		return Math.max(1, Math.floor((this.requestsPerMinute * this.windowMs) / MINUTE_MS / this.slowdown));
	}

	/** Requests that count against the current window. */
	get inWindow(): number {
		this.forgetExpired(this.clock.now());
		return this.slots.length - this.head;
	}

	/**
	 * Resolves when the caller may send one request, with the function to call when its answer has
	 * come back. An urgent request (the login every other request waits for, or a request repeated
	 * after a 429) goes to the front of the queue but still respects the budget and pauses.
	 */
	acquire(urgent = false): Promise<() => void> {
		return new Promise((resolve) => {
			if (urgent) this.waiting.unshift(resolve);
			else this.waiting.push(resolve);
			void this.pump();
		});
	}

	/** Called on a 429: nobody sends until the pause is over, and the budget shrinks for a minute. */
	pause(ms: number): void {
		const now = this.clock.now();
		this.pausedUntil = Math.max(this.pausedUntil, now + ms);
		this.slowdown = Math.min(MAX_SLOWDOWN, this.slowdown * SLOWDOWN_STEP);
		this.lastRateLimitAt = now;
	}

	/**
	 * Reads the API's rate-limit headers from an answer to a request sent at `sentAt`. With them,
	 * every process paces itself by what is left of the shared budget until the window resets.
	 */
	observe(headers: Record<string, unknown>, sentAt: number): void {
		const read = (name: string) => {
			const value = headers[name] ?? headers[name.toLowerCase()];
			const number = Number(Array.isArray(value) ? value[0] : value);
			return value === undefined || value === '' || !Number.isFinite(number) ? undefined : number;
		};
		const limit = read('x-ratelimit-limit');
		const remaining = read('x-ratelimit-remaining');
		if (limit === undefined || remaining === undefined) return;
		const now = this.clock.now();
		const reset = read('x-ratelimit-reset');
		const current = this.shared;
		if (current && sentAt < current.sentAt && reset === undefined) return; // older news
		// A window whose start we did not see is assumed to have opened now: its reset is then
		// expected later than it comes, which only errs on the safe side.
		const newWindow = !current || now >= current.resetAt || remaining > current.remaining;
		let resetAt = newWindow ? now + this.windowMs : current.resetAt;
		if (reset !== undefined) resetAt = Math.max(reset * 1000, now);
		this.shared = { limit, remaining, sentAt, resetAt };
	}

	/** How long the shared budget asks the next request to wait: 0 when it may leave now. */
	private sharedDelay(now: number): number {
		const shared = this.shared;
		if (!shared) return 0;
		if (now >= shared.resetAt) {
			this.shared = undefined;
			return 0;
		}
		// Ours that left after the request the figures came with are not counted in them yet; a
		// small reserve covers other processes' requests under way.
		const reserve = Math.max(2, Math.ceil(shared.limit / 100));
		const available = shared.remaining - this.departedSince(shared.sentAt) - reserve;
		if (available <= 0) return shared.resetAt - now;
		// What is left is spread over the time left, so several processes cannot burn it at once.
		const spacing = (shared.resetAt - now) / available;
		return Math.max(0, this.lastDeparture + spacing - now);
	}

	private departedSince(time: number): number {
		let low = 0;
		let high = this.departures.length;
		while (low < high) {
			const middle = (low + high) >> 1;
			if (this.departures[middle] <= time) low = middle + 1;
			else high = middle;
		}
		return this.departures.length - low;
	}

	/**
	 * Drops the slots at the front that have left the window. A slot answered late may keep a few
	 * expired ones behind it counted a little longer: that only errs on the safe side.
	 */
	private forgetExpired(now: number): void {
		while (this.head < this.slots.length) {
			const slot = this.slots[this.head];
			if (!slot.answered || slot.at + this.windowMs > now) break;
			this.head++;
		}
		if (this.head > 1024 && this.head * 2 > this.slots.length) {
			this.slots = this.slots.slice(this.head);
			this.head = 0;
		}
	}

	/** How long the next request must wait: 0 when it may leave now. */
	private delay(now: number): number {
		if (this.pausedUntil > now) return this.pausedUntil - now;
		const shared = this.sharedDelay(now);
		if (shared > 0) return shared;
		this.forgetExpired(now);
		const excess = this.slots.length - this.head - this.budget + 1;
		if (excess <= 0) return 0;
		// The window is full: wait until the `excess` oldest requests have left it (the latest of
		// them bounds when that many have left); while one is unanswered, look again shortly.
		let leavesAt = 0;
		for (let index = this.head; index < this.head + excess; index++) {
			const slot = this.slots[index];
			if (!slot.answered) return IN_FLIGHT_POLL_MS;
			leavesAt = Math.max(leavesAt, slot.at + this.windowMs);
		}
		return leavesAt - now;
	}

	/** One loop hands out departures in queue order; it sleeps only when the head must wait. */
	private async pump(): Promise<void> {
		if (this.pumping) return;
		this.pumping = true;
		try {
			while (this.waiting.length) {
				const now = this.clock.now();
				const wait = this.delay(now);
				if (wait > 0) {
					await this.clock.sleep(Math.max(1, wait));
					continue;
				}
				const slot: Slot = { at: now, answered: false };
				this.slots.push(slot);
				this.lastDeparture = now;
				this.departures.push(now);
				if (this.departures.length > 20_000) this.departures = this.departures.slice(-10_000);
				this.waiting.shift()!(() => {
					if (slot.answered) return;
					slot.answered = true;
					slot.at = Math.max(slot.at, this.clock.now());
				});
			}
		} finally {
			this.pumping = false;
		}
	}
}
