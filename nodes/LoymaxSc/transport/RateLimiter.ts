import { sleep } from 'n8n-workflow';

/** Time as the limiter and the retry policy see it; tests inject a virtual clock. */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now(), sleep: async (ms) => await sleep(ms) };

export const MINUTE_MS = 60_000;
/**
 * No single sleep is longer than this: a wait is re-evaluated after it (a stop, a deadline, a new
 * request), and no timer outlives an abandoned wait by much.
 */
export const MAX_SLEEP_MS = 1_000;

/** Sleeps `ms` (in slices of at most MAX_SLEEP_MS) unless the signal aborts first. */
export async function sleepUnlessAborted(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
	const until = clock.now() + Math.max(0, ms);
	while (!signal?.aborted) {
		const left = until - clock.now();
		if (left <= 0) return;
		await clock.sleep(Math.min(MAX_SLEEP_MS, left));
	}
}

/** After a 429 the docs ask clients to slow down: the rate is halved, then given back a step each clean minute. */
const MIN_RATE_FACTOR = 1 / 8;
const RATE_STEP_BACK = 1 / 8;

/** One request's place in the window: from its departure until a window after its answer came back. */
interface Slot {
	at: number;
	answered: boolean;
}

/** How often the API is asked, while its window length is unknown, whether its window has ended. */
const PROBE_MS = 1_000;

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

/** The pace one credential asks for: at most this many a minute, counted in windows of `windowMs`. */
export interface Budget {
	requestsPerMinute: number;
	windowMs: number;
}

export interface AcquireOptions {
	/** The login every other request of a credential waits for, or a request repeated after a 429. */
	urgent?: boolean;
	/** The pace of the credential that sends (default: the limiter's own). */
	budget?: Budget;
	/** A stopped execution leaves the queue at once. */
	signal?: AbortSignal;
	/** Epoch ms after which the request gives up waiting (Max Total Wait). */
	deadline?: number;
}

/** Why a request left the queue without a slot. */
export class QueueExit extends Error {
	override name = 'QueueExit';

	constructor(readonly reason: 'cancelled' | 'deadline') {
		super(reason === 'cancelled' ? 'The execution was stopped' : 'Waited too long for the rate budget');
	}
}

interface Waiter {
	resolve: (answered: () => void) => void;
	reject: (error: QueueExit) => void;
	budget: Budget;
	signal?: AbortSignal;
	deadline: number;
	onAbort?: () => void;
}

/**
 * The rate budget of one API host, shared by every credential and execution of this n8n process
 * (the API counts requests per client IP). Each request brings its credential's pace: it leaves
 * when the host's traffic in the last window and in the last minute is below that credential's
 * budget, so no credential lets the host exceed its own Max Requests per Minute, and the host never
 * exceeds the largest budget among the credentials sending.
 *
 * A request stays in the window until a window after its answer, so a slow network cannot make the
 * server see more than the budget. Requests leave in the order they asked (urgent ones first, in
 * their own order); a 429 holds every request of the host for the pause and lowers the rate.
 */
export class RateLimiter {
	/** Requests of the last minute, in order of departure (`head` marks the first live one). */
	private slots: Slot[] = [];
	private head = 0;
	private readonly urgent: Waiter[] = [];
	private readonly waiting: Waiter[] = [];
	private pumping = false;
	private pausedUntil = 0;
	/** The share of each budget used after 429s: 1 normally, halved on each 429 episode. */
	private rateFactor = 1;
	private rateChangedAt = 0;
	private shared?: SharedBudget;
	/** Departure times of our requests, for counting those the last shared figures do not include. */
	private departures: number[] = [];
	private lastDeparture = 0;
	/** When the API's current window was first seen, and the shortest window it has shown so far. */
	private windowSeenAt?: number;
	private learnedWindowMs?: number;
	/** The Rate Window of the credential that sent last: the API's window as the user knows it. */
	private windowGuessMs?: number;
	/** Whether the API sends rate-limit headers: pacing then follows them, and a 429 does not lower the rate. */
	private headersSeen = false;

	constructor(
		public requestsPerMinute: number,
		private readonly clock: Clock = systemClock,
		public windowMs = MINUTE_MS,
	) {}

	private get ownBudget(): Budget {
		return { requestsPerMinute: this.requestsPerMinute, windowMs: this.windowMs };
	}

	/** The share of the budget in use now: after a 429 it grows back a step per clean minute. */
	private factor(now: number): number {
		while (this.rateFactor < 1 && now - this.rateChangedAt >= MINUTE_MS) {
			this.rateFactor = Math.min(1, this.rateFactor + RATE_STEP_BACK);
			this.rateChangedAt += MINUTE_MS;
		}
		return this.rateFactor;
	}

	/** Requests allowed in one of the credential's windows, as lowered after 429s. */
	budgetOf(budget: Budget = this.ownBudget): number {
		const now = this.clock.now();
		return Math.max(1, Math.floor((budget.requestsPerMinute * Math.min(budget.windowMs, MINUTE_MS) * this.factor(now)) / MINUTE_MS));
	}

	/** The budget of one window of the limiter's own pace. */
	get budget(): number {
		return this.budgetOf();
	}

	/** Requests that count against the current window of the limiter's own pace. */
	get inWindow(): number {
		const now = this.clock.now();
		this.forgetExpired(now);
		let count = 0;
		for (let index = this.head; index < this.slots.length; index++) {
			const slot = this.slots[index];
			if (!slot.answered || slot.at + this.windowMs > now) count++;
		}
		return count;
	}

	/** Requests waiting for a slot. */
	get queued(): number {
		return this.urgent.length + this.waiting.length;
	}

	/**
	 * Resolves when the caller may send one request, with the function to call when its answer has
	 * come back. Rejects with QueueExit when the signal aborts or the deadline passes first.
	 */
	acquire(options: AcquireOptions | boolean = {}): Promise<() => void> {
		const { urgent = false, budget = this.ownBudget, signal, deadline = Infinity } = typeof options === 'boolean' ? { urgent: options } : options;
		return new Promise((resolve, reject) => {
			if (signal?.aborted) return reject(new QueueExit('cancelled'));
			const waiter: Waiter = { resolve, reject, budget, signal, deadline };
			const queue = urgent ? this.urgent : this.waiting;
			if (signal) {
				waiter.onAbort = () => this.leave(waiter, 'cancelled');
				signal.addEventListener('abort', waiter.onAbort, { once: true });
			}
			queue.push(waiter);
			void this.pump();
		});
	}

	private leave(waiter: Waiter, reason: QueueExit['reason']): void {
		for (const queue of [this.urgent, this.waiting]) {
			const index = queue.indexOf(waiter);
			if (index >= 0) queue.splice(index, 1);
		}
		if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
		waiter.reject(new QueueExit(reason));
	}

	/**
	 * Called on a 429: nobody sends until the pause is over, and the rate is halved (once per
	 * episode: several requests refused together are one signal), then given back step by step.
	 */
	pause(ms: number): void {
		const now = this.clock.now();
		const newEpisode = this.pausedUntil <= now && !this.headersSeen;
		this.pausedUntil = Math.max(this.pausedUntil, now + ms);
		if (this.shared && this.headersSeen) {
			// The pause (Retry-After) names the end of the API's window, often closer than X-RateLimit-Reset in whole seconds.
			this.shared.resetAt = Math.min(this.shared.resetAt, this.pausedUntil);
			if (this.windowSeenAt !== undefined) this.learnedWindowMs = Math.min(this.learnedWindowMs ?? MINUTE_MS, Math.max(1_000, this.pausedUntil - this.windowSeenAt));
		}
		if (newEpisode) this.rateFactor = Math.max(MIN_RATE_FACTOR, this.factor(now) / 2);
		// The clean minutes count from the end of the pause.
		this.rateChangedAt = this.pausedUntil;
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
		if (limit === undefined || remaining === undefined || limit <= 0 || remaining < 0) return;
		this.headersSeen = true;
		const now = this.clock.now();
		let resetMs = read('x-ratelimit-reset');
		// Epoch seconds within a minute from now; a reset in milliseconds, in the past or far ahead is
		// not a reset this limiter can wait for.
		if (resetMs !== undefined) resetMs = resetMs * 1000 > now && resetMs * 1000 <= now + MINUTE_MS ? resetMs * 1000 : undefined;
		const current = this.shared;
		if (current && sentAt < current.sentAt && resetMs === undefined) return; // older news
		// A window whose start we did not see is assumed to have opened now: its reset is then
		// expected later than it comes, which only errs on the safe side.
		// Only a new window gives back what was used: a later request that sees as much left, or more,
		// than an earlier one was counted in a new window (other callers only take from it).
		const jumped = current !== undefined && (remaining > current.remaining || (sentAt > current.sentAt && remaining >= current.remaining && remaining > 0));
		const newWindow = !current || now >= current.resetAt || jumped;
		if (jumped && this.windowSeenAt !== undefined) {
			// Remaining jumped back up: a window ended. The time since the last one began bounds its
			// length from above, so pacing by the shortest seen errs on the slow side.
			const seen = Math.max(1_000, sentAt - this.windowSeenAt);
			this.learnedWindowMs = Math.min(this.learnedWindowMs ?? MINUTE_MS, seen);
		}
		if (newWindow) this.windowSeenAt = sentAt;
		let resetAt = newWindow ? now + (this.knownWindowMs() ?? this.windowMs) : current.resetAt;
		if (resetMs !== undefined) {
			resetAt = resetMs;
			// A reset the API names (with a 429) tells how long its window is.
			if (!newWindow && this.windowSeenAt !== undefined) {
				this.learnedWindowMs = Math.min(this.learnedWindowMs ?? MINUTE_MS, Math.max(1_000, resetMs - this.windowSeenAt));
			}
		}
		this.shared = { limit, remaining, sentAt, resetAt };
	}

	/** The API's window: learned from its answers, else a Rate Window below a minute the user set. */
	private knownWindowMs(): number | undefined {
		return this.learnedWindowMs ?? (this.windowGuessMs !== undefined && this.windowGuessMs < MINUTE_MS ? this.windowGuessMs : undefined);
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
		const reserve = Math.ceil(shared.limit / 100);
		const available = shared.remaining - this.departedSince(shared.sentAt) - reserve;
		// Until the API's window is known, what is left goes at once and, once used up, one request
		// a second asks when the window ends (the API names it in a 429).
		if (this.knownWindowMs() === undefined) return available > 0 ? 0 : Math.max(0, this.lastDeparture + PROBE_MS - now);
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
	 * Drops the slots at the front that have left the minute (the longest window counted). A slot
	 * answered late may keep a few expired ones behind it counted a little longer: that only errs
	 * on the safe side.
	 */
	private forgetExpired(now: number): void {
		while (this.head < this.slots.length) {
			const slot = this.slots[this.head];
			if (!slot.answered || slot.at + MINUTE_MS > now) break;
			this.head++;
		}
		if (this.head > 1024 && this.head * 2 > this.slots.length) {
			this.slots = this.slots.slice(this.head);
			this.head = 0;
		}
	}

	/**
	 * How long a request must wait for room in a window of `windowMs` that holds `allowed`
	 * requests: 0 when it may leave now.
	 */
	private windowDelay(now: number, windowMs: number, allowed: number): number {
		const live: Slot[] = [];
		for (let index = this.head; index < this.slots.length; index++) {
			const slot = this.slots[index];
			if (!slot.answered || slot.at + windowMs > now) live.push(slot);
		}
		const excess = live.length - allowed + 1;
		if (excess <= 0) return 0;
		// Wait until the `excess` oldest have left; while one of them is unanswered, look again shortly.
		const leaving = live.sort((a, b) => Number(a.answered) - Number(b.answered) || a.at - b.at).slice(0, excess);
		if (leaving.some((slot) => !slot.answered)) return IN_FLIGHT_POLL_MS;
		return Math.max(...leaving.map((slot) => slot.at + windowMs)) - now;
	}

	/** How long the next request (of this pace) must wait: 0 when it may leave now. */
	private delay(now: number, budget: Budget): number {
		if (this.pausedUntil > now) return this.pausedUntil - now;
		const shared = this.sharedDelay(now);
		if (shared > 0) return shared;
		this.forgetExpired(now);
		const factor = this.factor(now);
		// After a 429 the lowered rate is also spread out: a burst of it would meet the API's window again.
		if (factor < 1 && !this.shared) {
			const spacing = MINUTE_MS / (budget.requestsPerMinute * factor);
			if (this.lastDeparture + spacing > now) return this.lastDeparture + spacing - now;
		}
		const windowMs = Math.min(budget.windowMs, MINUTE_MS);
		const inWindow = Math.max(1, Math.floor((budget.requestsPerMinute * windowMs * factor) / MINUTE_MS));
		const wait = this.windowDelay(now, windowMs, inWindow);
		if (wait > 0 || windowMs >= MINUTE_MS) return wait;
		// Short windows that do not divide the minute would let more through in a minute: hold it too.
		return this.windowDelay(now, MINUTE_MS, Math.max(1, Math.floor(budget.requestsPerMinute * factor)));
	}

	/** Waiters whose deadline has passed leave the queue; answers the nearest deadline still ahead. */
	private expire(now: number): number {
		let nearest = Infinity;
		for (const queue of [this.urgent, this.waiting]) {
			for (const waiter of [...queue]) {
				if (waiter.deadline <= now) this.leave(waiter, 'deadline');
				else nearest = Math.min(nearest, waiter.deadline);
			}
		}
		return nearest;
	}

	/** One loop hands out departures in queue order; it sleeps only when the head must wait. */
	private async pump(): Promise<void> {
		if (this.pumping) return;
		this.pumping = true;
		try {
			for (;;) {
				const now = this.clock.now();
				const nearestDeadline = this.expire(now);
				const queue = this.urgent.length ? this.urgent : this.waiting;
				const next = queue[0];
				if (!next) break;
				const wait = this.delay(now, next.budget);
				if (wait > 0) {
					await this.clock.sleep(Math.max(1, Math.min(wait, MAX_SLEEP_MS, nearestDeadline - now)));
					continue;
				}
				queue.shift();
				this.windowGuessMs = next.budget.windowMs;
				if (next.onAbort) next.signal?.removeEventListener('abort', next.onAbort);
				const slot: Slot = { at: now, answered: false };
				this.slots.push(slot);
				this.lastDeparture = now;
				this.departures.push(now);
				if (this.departures.length > 20_000) this.departures = this.departures.slice(-10_000);
				next.resolve(() => {
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

// Module state on purpose: one budget per API host, shared by every credential and execution in this n8n process.
const hosts = new Map<string, RateLimiter>();

/** The rate budget of an API host (see `hostKey`). */
export function hostLimiter(hostKey: string, clock: Clock = systemClock): RateLimiter {
	let limiter = hosts.get(hostKey);
	if (!limiter) {
		limiter = new RateLimiter(1000, clock);
		hosts.set(hostKey, limiter);
	}
	return limiter;
}
