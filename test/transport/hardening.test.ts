import { LoymaxRequestError, sendWithPolicy, type RawResponse } from '../../nodes/LoymaxSc/transport/policy';
import { RateLimiter } from '../../nodes/LoymaxSc/transport/RateLimiter';
import { hostKey, InvalidSettingError, transportSettings } from '../../nodes/LoymaxSc/transport/settings';
import { settle, VirtualClock } from './virtualClock';

const base = { baseUrl: 'http://api.test', username: 'u', password: 'p' };
const ok: RawResponse = { statusCode: 200, headers: {}, body: { data: {} } };
const tooMany = (headers: Record<string, unknown> = {}): RawResponse => ({ statusCode: 429, headers, body: { errors: [{ status: 429, title: 'Too Many Attempts.' }] } });
const unauthorized: RawResponse = { statusCode: 401, headers: {}, body: { errors: [{ status: 401, title: 'Token has expired' }] } };

/** Sends through the policy with scripted answers on a virtual clock. */
function scripted(answers: Array<RawResponse | Error>, credential: Record<string, unknown> = {}, options: Partial<Parameters<typeof sendWithPolicy>[3]> = {}) {
	const clock = new VirtualClock();
	const limiter = new RateLimiter(1000, clock);
	const settings = transportSettings({ ...base, rateLimitPauseSeconds: 60, maxWaitSeconds: 600, retryDelaySeconds: 1, ...credential });
	const attempts: number[] = [];
	const prepared: boolean[] = [];
	let settled: { response?: RawResponse; error?: LoymaxRequestError } | undefined;
	void sendWithPolicy(
		settings,
		limiter,
		async () => {
			attempts.push(clock.now());
			const answer = answers[Math.min(attempts.length - 1, answers.length - 1)];
			if (answer instanceof Error) throw answer;
			return answer;
		},
		{
			retrySafe: true,
			expectJson: true,
			renewOn401: true,
			prepare: async (after401) => {
				prepared.push(after401);
			},
			...options,
		},
		clock,
	).then(
		(response) => (settled = { response }),
		(error: LoymaxRequestError) => (settled = { error }),
	);
	return { clock, limiter, attempts, prepared, result: () => settled };
}

describe('hardening of the transport (virtual clock)', () => {
	it('holds the per-minute budget when the Rate Window does not divide the minute', async () => {
		for (const windowSeconds of [25, 45, 59]) {
			const clock = new VirtualClock();
			const limiter = new RateLimiter(950, clock, windowSeconds * 1000);
			const granted: number[] = [];
			for (let index = 0; index < 3000; index++) void limiter.acquire().then((answered) => (granted.push(clock.now()), answered()));
			await clock.advance(60_000 - 1);
			await settle();
			expect(granted.filter((at) => at < 60_000).length).toBeLessThanOrEqual(950);
		}
	});

	it('keeps repeated (urgent) requests in their own order', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(100, clock);
		limiter.pause(1_000);
		const order: string[] = [];
		for (const name of ['a', 'b', 'c']) void limiter.acquire(true).then((answered) => (order.push(name), answered()));
		void limiter.acquire().then((answered) => (order.push('normal'), answered()));
		// After the pause the lowered rate is spread out (1.2 s apart at half of 100 a minute).
		await clock.advance(5_000);
		expect(order).toEqual(['a', 'b', 'c', 'normal']);
	});

	it('ignores an X-RateLimit-Reset in milliseconds or far ahead instead of stalling', async () => {
		for (const reset of [String(Date.now() + 3_600_000), String(10 ** 13), '99999999999']) {
			const clock = new VirtualClock();
			clock.time = Date.now();
			const limiter = new RateLimiter(1000, clock);
			limiter.observe({ 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, clock.now());
			let granted = false;
			void limiter.acquire().then((answered) => ((granted = true), answered()));
			// Without a reset it can trust, the limiter waits at most one window.
			await clock.advance(60_000);
			expect(granted).toBe(true);
		}
	});

	it('gives every 429 a pause that counts, even with Retry-After: 0 or a past date', async () => {
		for (const retryAfter of ['0', 'Thu, 01 Jan 1970 00:00:00 GMT']) {
			const run = scripted([tooMany({ 'retry-after': retryAfter })], { maxWaitSeconds: 10 });
			await run.clock.advance(60_000);
			expect(run.result()?.error?.kind).toBe('rateLimit');
			// One-second pauses, bounded by Max Total Wait: 11 attempts, not thousands.
			expect(run.attempts.length).toBe(11);
			expect(run.attempts[1] - run.attempts[0]).toBe(1_000);
		}
	});

	it('with Max Total Wait 0, fails at the first 429 instead of waiting', async () => {
		const run = scripted([tooMany(), ok], { maxWaitSeconds: 0 });
		await run.clock.advance(60_000);
		expect(run.attempts).toHaveLength(1);
		expect(run.result()?.error?.kind).toBe('rateLimit');
	});

	it('renews the token once per 401, not again after later 429s', async () => {
		const run = scripted([unauthorized, tooMany({ 'retry-after': '1' }), tooMany({ 'retry-after': '1' }), tooMany({ 'retry-after': '1' }), ok]);
		await run.clock.advance(10_000);
		expect(run.result()?.response?.statusCode).toBe(200);
		// Only the attempt right after the 401 asks for a new token.
		expect(run.prepared).toEqual([false, true, false, false, false]);
	});

	it('fails with the API message when a new login would not help the 401', async () => {
		const run = scripted([unauthorized, ok], {}, { prepare: async (after401) => !after401 });
		await run.clock.advance(1_000);
		expect(run.attempts).toHaveLength(1);
		expect(run.result()?.error?.message).toMatch(/Token has expired/);
	});

	it('answers "already done" when a repeat after a timeout finds the work done', async () => {
		const timeout = Object.assign(new Error('timeout of 200ms exceeded'), { code: 'ECONNABORTED' });
		const notFound: RawResponse = { statusCode: 404, headers: {}, body: { errors: [{ status: 404, title: 'Not Found' }] } };
		const run = scripted([timeout, notFound], {}, { alreadyDoneStatuses: [404] });
		await run.clock.advance(10_000);
		expect(run.result()?.response).toEqual(expect.objectContaining({ statusCode: 404, alreadyDone: true }));
		// Without a possible earlier arrival a 404 stays a failure.
		const plain = scripted([notFound], {}, { alreadyDoneStatuses: [404] });
		await plain.clock.advance(1_000);
		expect(plain.result()?.error?.httpCode).toBe(404);
	});

	it('stops at once and repeats nothing when the execution is stopped', async () => {
		// n8n aborts the request in flight: it fails with ERR_CANCELED, which is never repeated.
		const canceled = Object.assign(new Error('canceled'), { code: 'ERR_CANCELED' });
		const run = scripted([canceled, ok]);
		await run.clock.advance(10_000);
		expect(run.attempts).toHaveLength(1);
		expect(run.result()?.error?.kind).toBe('cancelled');
		// Stopped before it was sent: nothing is sent.
		const controller = new AbortController();
		controller.abort();
		const never = scripted([ok], {}, { signal: controller.signal });
		await never.clock.advance(1_000);
		expect(never.attempts).toHaveLength(0);
		expect(never.result()?.error?.kind).toBe('cancelled');
	});

	it('leaves the queue when the execution is stopped or the wait is too long', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(1, clock);
		void limiter.acquire().then((answered) => answered());
		const controller = new AbortController();
		const stopped = limiter.acquire({ signal: controller.signal }).then(() => 'granted', (error: Error) => error.message);
		const late = limiter.acquire({ deadline: 5_000 }).then(() => 'granted', (error: Error) => error.message);
		controller.abort();
		await clock.advance(5_000);
		await expect(stopped).resolves.toBe('The execution was stopped');
		await expect(late).resolves.toBe('Waited too long for the rate budget');
		expect(limiter.queued).toBe(0);
	});

	it('shares one budget per host, however the base URL is spelled', () => {
		expect(hostKey('https://API.loymaxsc.net')).toBe('api.loymaxsc.net');
		expect(hostKey('https://api.loymaxsc.net:443')).toBe('api.loymaxsc.net');
		expect(hostKey('https://api.loymaxsc.net/')).toBe('api.loymaxsc.net');
		expect(hostKey('http://127.0.0.1:8080')).toBe('127.0.0.1:8080');
	});

	it('keys the token by base URL, username and a hash of the password, never the password itself', () => {
		const right = transportSettings({ ...base, password: 'secret-one' });
		const wrong = transportSettings({ ...base, password: 'secret-two' });
		expect(right.identityKey).not.toBe(wrong.identityKey);
		expect(right.identityKey).not.toContain('secret-one');
		expect(right.hostKey).toBe(wrong.hostKey);
	});

	it.each([
		['pageSize', 0.5, 'Page Size'],
		['pageSize', 0, 'Page Size'],
		['maxRequestsPerMinute', '1,234', 'Max Requests per Minute'],
		['maxRequestsPerMinute', 0, 'Max Requests per Minute'],
		['rateWindowSeconds', 90, 'Rate Window (Seconds)'],
		['maxWaitSeconds', -1, 'Max Total Wait (Seconds)'],
	])('refuses the credential setting %s = %p, naming it', (name, value, label) => {
		expect(() => transportSettings({ ...base, [name]: value })).toThrow(InvalidSettingError);
		expect(() => transportSettings({ ...base, [name]: value })).toThrow(label);
	});

	it('lets 0 mean what the field says', () => {
		const settings = transportSettings({ ...base, rateLimitPauseSeconds: 0, maxWaitSeconds: 0, retryDelaySeconds: 0 });
		expect([settings.rateLimitPauseMs, settings.maxWaitMs, settings.retryDelayMs]).toEqual([0, 0, 0]);
	});
});
