import { LoymaxRequestError, sendWithPolicy, type RawResponse } from '../../nodes/LoymaxSc/transport/policy';
import { RateLimiter } from '../../nodes/LoymaxSc/transport/RateLimiter';
import { transportSettings } from '../../nodes/LoymaxSc/transport/settings';
import { VirtualClock } from './virtualClock';

const settings = transportSettings({ baseUrl: 'http://api.test', username: 'u', rateLimitPauseSeconds: 60, maxWaitSeconds: 600, retryDelaySeconds: 1 });
const ok: RawResponse = { statusCode: 200, headers: {}, body: { data: {} } };
const tooMany = (headers: Record<string, unknown> = {}): RawResponse => ({ statusCode: 429, headers, body: { errors: [{ status: 429, title: 'Too Many Attempts.' }] } });
const serverError: RawResponse = { statusCode: 500, headers: {}, body: '<html>oops</html>' };

/** Runs sendWithPolicy with scripted answers on a virtual clock; records when each attempt was made. */
function scripted(answers: Array<RawResponse | Error>, options: { retrySafe?: boolean; renewOn401?: boolean } = {}) {
	const clock = new VirtualClock();
	const limiter = new RateLimiter(1000, clock);
	const attempts: Array<{ at: number; renew: boolean }> = [];
	let settled: { response?: RawResponse; error?: LoymaxRequestError } | undefined;
	void sendWithPolicy(
		settings,
		limiter,
		async (renew) => {
			attempts.push({ at: clock.now(), renew });
			const answer = answers[Math.min(attempts.length - 1, answers.length - 1)];
			if (answer instanceof Error) throw answer;
			return answer;
		},
		{ retrySafe: options.retrySafe ?? true, expectJson: true, renewOn401: options.renewOn401 ?? true },
		clock,
	).then(
		(response) => (settled = { response }),
		(error: LoymaxRequestError) => (settled = { error }),
	);
	return { clock, limiter, attempts, result: () => settled };
}

describe('retry policy (virtual clock)', () => {
	it('pauses for the configured minute after a 429 without Retry-After, then repeats the same request', async () => {
		const run = scripted([tooMany(), ok]);
		await run.clock.advance(59_999);
		expect(run.attempts.map((attempt) => attempt.at)).toEqual([0]);
		await run.clock.advance(1);
		expect(run.attempts.map((attempt) => attempt.at)).toEqual([0, 60_000]);
		expect(run.result()?.response?.statusCode).toBe(200);
		// The rate is halved after the 429, then given back a step each clean minute.
		expect(run.limiter.budget).toBe(500);
		await run.clock.advance(60_000);
		expect(run.limiter.budget).toBe(625);
	});

	it('honours Retry-After in seconds instead of the configured pause', async () => {
		const run = scripted([tooMany({ 'retry-after': '7' }), ok]);
		await run.clock.advance(60_000);
		expect(run.attempts.map((attempt) => attempt.at)).toEqual([0, 7_000]);
	});

	it('gives up with the API\'s title once the next pause would pass Max Total Wait', async () => {
		const run = scripted([tooMany()]);
		await run.clock.advance(3_600_000);
		// 10 pauses of 60 s fit into 600 s; the 11th would not.
		expect(run.attempts).toHaveLength(11);
		expect(run.result()?.error?.message).toBe('Loymax SC rate limit: Too Many Attempts.');
		expect(run.result()?.error?.description).toMatch(/Waited 600 s in total/);
	});

	it('retries a safe request after a server error with doubling delays, at most 3 times', async () => {
		const run = scripted([serverError]);
		await run.clock.advance(60_000);
		expect(run.attempts.map((attempt) => attempt.at)).toEqual([0, 1_000, 3_000, 7_000]);
		expect(run.result()?.error?.message).toBe('Loymax SC answered with an HTML error page (HTTP 500)');
		expect(run.result()?.error?.description).toMatch(/Gave up after 4 attempts/);
	});

	it('never repeats an unsafe request that may have reached the server', async () => {
		const run = scripted([serverError, ok], { retrySafe: false });
		await run.clock.advance(60_000);
		expect(run.attempts).toHaveLength(1);
		expect(run.result()?.error?.description).toMatch(/not repeated/);
	});

	it('repeats an unsafe request whose connection was refused (it never left this machine)', async () => {
		const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
		const run = scripted([refused, ok], { retrySafe: false });
		await run.clock.advance(60_000);
		expect(run.attempts.map((attempt) => attempt.at)).toEqual([0, 1_000]);
		expect(run.result()?.response?.statusCode).toBe(200);
	});

	it('renews the token once on a 401 and repeats the request at once', async () => {
		const unauthorized: RawResponse = { statusCode: 401, headers: {}, body: { errors: [{ title: 'Token has expired' }] } };
		const run = scripted([unauthorized, unauthorized]);
		await run.clock.advance(1_000);
		expect(run.attempts).toEqual([
			{ at: 0, renew: false },
			{ at: 0, renew: true },
		]);
		expect(run.result()?.error?.message).toBe('Authorization failed - please check your credentials (Token has expired)');
	});
});
