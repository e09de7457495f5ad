/**
 * Per-client-IP sliding 60 s window. Only accepted requests are counted.
 */
const WINDOW_MS = 60_000;

interface Window {
	times: number[];
	head: number;
}

export class RateLimiter {
	private windows = new Map<string, Window>();

	/** Records the request and returns true when it is within `limit`; false (not recorded) otherwise. */
	hit(ip: string, limit: number, now = Date.now()): boolean {
		let w = this.windows.get(ip);
		if (!w) this.windows.set(ip, (w = { times: [], head: 0 }));
		const cutoff = now - WINDOW_MS;
		while (w.head < w.times.length && w.times[w.head] <= cutoff) w.head++;
		if (w.head > 4096 && w.head * 2 > w.times.length) {
			w.times = w.times.slice(w.head);
			w.head = 0;
		}
		if (w.times.length - w.head >= limit) return false;
		w.times.push(now);
		return true;
	}

	/** Requests counted in the current window for `ip`. */
	count(ip: string, now = Date.now()): number {
		const w = this.windows.get(ip);
		if (!w) return 0;
		let n = 0;
		for (let i = w.head; i < w.times.length; i++) if (w.times[i] > now - WINDOW_MS) n++;
		return n;
	}

	reset(): void {
		this.windows.clear();
	}
}
