import { RateLimiter } from '../../nodes/LoymaxSc/transport/RateLimiter';
import { RateLimiter as ServerLimiter } from '../../sandbox/rateLimit';
import { VirtualClock } from './virtualClock';

/**
 * Two n8n workers on one IP against a Laravel-style fixed window of 300 requests per 20 s that
 * sends X-RateLimit-Limit / -Remaining on every answer (and -Reset, Retry-After on a 429). Each
 * worker has its own limiter; they share nothing but what the API tells them.
 */
async function twoWorkers(options: { headers: boolean; rowsEach: number; requestsPerMinute: number }) {
	const clock = new VirtualClock();
	const server = new ServerLimiter();
	const rule = { mode: 'fixed' as const, limit: 300, windowMs: 20_000 };
	let refused = 0;
	let accepted = 0;
	let finishedAt = 0;
	const worker = async () => {
		const limiter = new RateLimiter(options.requestsPerMinute, clock, 20_000);
		let next = 0;
		const lane = async () => {
			while (next < options.rowsEach) {
				next++;
				for (;;) {
					const answered = await limiter.acquire();
					const sentAt = clock.now();
					await clock.sleep(5); // the network
					const verdict = server.hit('10.0.0.1', rule, clock.now());
					answered();
					const headers: Record<string, string> = {};
					if (options.headers) {
						headers['x-ratelimit-limit'] = String(verdict.limit);
						headers['x-ratelimit-remaining'] = String(verdict.remaining);
						if (!verdict.allowed) headers['x-ratelimit-reset'] = String(Math.ceil((clock.now() + verdict.retryAfterMs!) / 1000));
					}
					limiter.observe(headers, sentAt);
					if (verdict.allowed) {
						accepted++;
						break;
					}
					refused++;
					limiter.pause(verdict.retryAfterMs!);
				}
			}
		};
		await Promise.all(Array.from({ length: 8 }, lane));
		finishedAt = Math.max(finishedAt, clock.now());
	};
	const done = Promise.all([worker(), worker()]);
	let settled = false;
	void done.then(() => (settled = true));
	for (let step = 0; step < 400 && !settled; step++) await clock.advance(500);
	return { refused, accepted, finishedAt, settled };
}

describe('one budget across processes, from the API\'s rate-limit headers (virtual clock)', () => {
	it('keeps two workers inside a shared fixed window: no 429, finished within the ideal time', async () => {
		const run = await twoWorkers({ headers: true, rowsEach: 400, requestsPerMinute: 100_000 });
		expect(run.settled).toBe(true);
		expect(run.accepted).toBe(800);
		expect(run.refused).toBeLessThanOrEqual(1);
		// 800 rows at 300 per 20 s cannot finish before the third window opens (40 s); the ideal of
		// rows / limit × window is 53.3 s.
		expect(run.finishedAt).toBeLessThanOrEqual(53_334);
	});

	it('needs the headers: without them two workers at full speed meet 429s', async () => {
		const run = await twoWorkers({ headers: false, rowsEach: 400, requestsPerMinute: 100_000 });
		expect(run.refused).toBeGreaterThan(1);
	});

	it('without headers, each worker keeps to its configured share and no 429 comes', async () => {
		// Two workers, each set to 450 a minute counted in 20 s windows = 150 per window each.
		const run = await twoWorkers({ headers: false, rowsEach: 400, requestsPerMinute: 450 });
		expect(run.settled).toBe(true);
		expect(run.accepted).toBe(800);
		expect(run.refused).toBe(0);
	});
});
