import { sendWithPolicy, type RawResponse } from '../../nodes/LoymaxSc/transport/policy';
import { RateLimiter } from '../../nodes/LoymaxSc/transport/RateLimiter';
import { transportSettings } from '../../nodes/LoymaxSc/transport/settings';
import { RateLimiter as ServerLimiter } from '../../sandbox/rateLimit';
import { VirtualClock } from './virtualClock';

/**
 * The API's limit as the reference describes it (pause after a 429 and lower the rate), against a
 * Laravel-style fixed window of 20 requests per 3 s: 150 upserts, 8 at a time, default credential.
 */
async function upserts(options: { headers: boolean; retryAfter: boolean; rows?: number; credential?: Record<string, unknown> }) {
	const clock = new VirtualClock();
	const server = new ServerLimiter();
	const rule = { mode: 'fixed' as const, limit: 20, windowMs: 3_000 };
	const limiter = new RateLimiter(1000, clock);
	const settings = transportSettings({ baseUrl: 'http://api.test', username: 'u', password: 'p', ...options.credential });
	const rows = options.rows ?? 150;
	let refused = 0;
	let next = 0;
	let finishedAt = 0;
	const lane = async () => {
		while (next < rows) {
			next++;
			await sendWithPolicy(
				settings,
				limiter,
				async () => {
					await clock.sleep(20); // the network and the API
					const verdict = server.hit('10.0.0.1', rule, clock.now());
					const headers: Record<string, string> = {};
					if (options.headers) {
						headers['x-ratelimit-limit'] = String(verdict.limit);
						headers['x-ratelimit-remaining'] = String(verdict.remaining);
					}
					if (verdict.allowed) return { statusCode: 201, headers, body: { data: {} } } as RawResponse;
					refused++;
					if (options.retryAfter) headers['retry-after'] = String(Math.ceil(verdict.retryAfterMs! / 1000));
					if (options.headers) headers['x-ratelimit-reset'] = String(Math.ceil((clock.now() + verdict.retryAfterMs!) / 1000));
					return { statusCode: 429, headers, body: { errors: [{ status: 429, title: 'Too Many Attempts.' }] } } as RawResponse;
				},
				{ retrySafe: true, expectJson: true, renewOn401: false, budget: { requestsPerMinute: settings.maxRequestsPerMinute, windowMs: settings.rateWindowMs } },
				clock,
			);
		}
		finishedAt = Math.max(finishedAt, clock.now());
	};
	const done = Promise.all(Array.from({ length: 8 }, lane));
	let settled = false;
	void done.then(() => (settled = true));
	for (let step = 0; step < 2_000 && !settled; step++) await clock.advance(250);
	return { refused, finishedAt, settled };
}

describe('a rate limit below the credential budget (virtual clock)', () => {
	it('learns the API window from its headers and uses the whole budget', async () => {
		const run = await upserts({ headers: true, retryAfter: true });
		expect(run.settled).toBe(true);
		// One 429 tells when the window ends; then every window is used. The ideal is
		// rows / limit × window = 150 / 20 × 3 s = 22.5 s.
		expect(run.refused).toBeLessThanOrEqual(1);
		expect(run.finishedAt).toBeLessThanOrEqual(1.1 * 22_500);
	});

	it('without headers, pauses and lowers the rate: few 429s', async () => {
		const run = await upserts({ headers: false, retryAfter: true });
		expect(run.settled).toBe(true);
		expect(run.refused).toBeLessThanOrEqual(10);
		const slow = await upserts({ headers: false, retryAfter: false, credential: { rateLimitPauseSeconds: 1 } });
		expect(slow.settled).toBe(true);
		expect(slow.refused).toBeLessThanOrEqual(10);
	});
});
