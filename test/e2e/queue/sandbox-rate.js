'use strict';
/**
 * The sandbox's rate limiter for the queue-mode run: a scaled-down limit (default 300 requests per
 * 20 s window, fixed window, rate-limit headers on or off).
 *
 * The fixed-window mode and the X-RateLimit-* headers are newer than the sandbox's original
 * sliding 60 s window. They are asked for both ways, through the environment of the sandbox
 * process and through `PATCH /__sandbox/options`, with the names in RATE_OPTIONS (the one place
 * to adjust). A sandbox without them is used as it is: its sliding 60 s window at the same rate
 * (limit × 60 / window per minute) and, for "headers on", only `Retry-After: <window>`. Whatever
 * was asked, `probe()` measures what the limiter does (requests accepted before the first 429,
 * which headers came) and the report prints that.
 */

const { SandboxClient } = require('../../../scripts/sandbox-proc');
const { httpJson } = require('../../../scripts/n8n-run');

/**
 * Option names of the limiter: env of the sandbox process, key of PATCH /options. With a window
 * set, `rateLimitPerMinute` / SANDBOX_RATE_LIMIT count requests per window.
 */
const RATE_OPTIONS = {
	limit: { env: 'SANDBOX_RATE_LIMIT', option: 'rateLimitPerMinute' },
	windowSeconds: { env: 'SANDBOX_RATE_LIMIT_WINDOW', option: 'rateLimitWindowSeconds' },
	mode: { env: 'SANDBOX_RATE_LIMIT_MODE', option: 'rateLimitMode' },
	headers: { env: 'SANDBOX_RATE_LIMIT_HEADERS', option: 'rateLimitHeaders' },
};

/** Environment for startSandboxProcess(): the limit with headers on (variants switch them later). */
function sandboxEnv({ limit, windowSeconds }) {
	return {
		[RATE_OPTIONS.limit.env]: String(limit),
		[RATE_OPTIONS.windowSeconds.env]: String(windowSeconds),
		[RATE_OPTIONS.mode.env]: 'fixed',
		[RATE_OPTIONS.headers.env]: '1',
	};
}

/** Which of the newer options the running sandbox knows (they appear in GET /__sandbox/options). */
async function sandboxFeatures(sb) {
	const r = await httpJson('GET', `${sb.url}/__sandbox/options`);
	const o = (r.body && typeof r.body === 'object' && (r.body.options || r.body)) || {};
	return {
		fixedWindow: RATE_OPTIONS.windowSeconds.option in o && RATE_OPTIONS.mode.option in o,
		headers: RATE_OPTIONS.headers.option in o,
		options: o,
	};
}

/**
 * Sets the limiter for one variant. Returns a description of what the sandbox was asked for.
 * `extraUsers`: sandbox users to add (each variant logs in as its own user).
 */
async function configureRate(sb, features, { limit, windowSeconds, headers, users }) {
	// Without a window option the sandbox counts per 60 s: the same rate per minute.
	const patch = { users, [RATE_OPTIONS.limit.option]: features.fixedWindow ? limit : Math.round((limit * 60) / windowSeconds) };
	if (features.fixedWindow) {
		patch[RATE_OPTIONS.windowSeconds.option] = windowSeconds;
		patch[RATE_OPTIONS.mode.option] = 'fixed';
	}
	if (features.headers) patch[RATE_OPTIONS.headers.option] = headers;
	// Retry-After: the newer sandbox computes it; the older one can only send a constant.
	patch.retryAfterSeconds = headers && !features.headers ? windowSeconds : null;
	const r = await httpJson('PATCH', `${sb.url}/__sandbox/options`, patch);
	if (r.status !== 200) throw new Error(`PATCH /__sandbox/options -> ${r.status} ${r.text.slice(0, 500)}`);
	const mode = features.fixedWindow
		? `fixed ${windowSeconds} s window, ${limit} per window`
		: `sliding 60 s window at ${patch[RATE_OPTIONS.limit.option]}/min (= ${limit} per ${windowSeconds} s; this sandbox has no fixed-window mode)`;
	const hdr = headers
		? features.headers
			? 'rate-limit headers on'
			: `headers on = only Retry-After: ${windowSeconds} on 429 (this sandbox sends no X-RateLimit-* headers)`
		: 'no rate-limit headers';
	return `${mode}; ${hdr}`;
}

/** Lifts the limit (to read the results back without being throttled). */
async function liftRate(sb) {
	await httpJson('PATCH', `${sb.url}/__sandbox/options`, { [RATE_OPTIONS.limit.option]: 1_000_000, retryAfterSeconds: null });
}

const RATE_HEADERS = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after'];

/**
 * Measures the limiter: logs in as `user` and sends GETs as fast as one connection allows until
 * the first 429 (at most limit × 3 + 5). Resets the sandbox before and after (store, log, counters).
 * Returns { accepted, headersOn200, headersOn429, text }.
 */
async function probe(sb, { limit, user }) {
	const api = new SandboxClient({ url: sb.url, username: user.username, password: user.password });
	let accepted = 0;
	let first429;
	let last200;
	await httpJson('POST', `${sb.url}/__sandbox/reset`); // counters of earlier requests out of the way
	await api._login();
	accepted++; // the login counts as a request
	for (let i = 0; i < limit * 3 + 5; i++) {
		const r = await httpJson('GET', `${sb.url}/customer?page%5Bsize%5D=1`, undefined, { authorization: `Bearer ${api.token}`, accept: 'application/vnd.api+json' });
		if (r.status === 429) {
			first429 = r;
			break;
		}
		if (r.status !== 200) throw new Error(`rate probe: GET /customer -> ${r.status} ${r.text.slice(0, 300)}`);
		accepted++;
		last200 = r;
	}
	await httpJson('POST', `${sb.url}/__sandbox/reset`);
	const pick = (r) => (r ? Object.fromEntries(RATE_HEADERS.filter((h) => r.headers[h] !== undefined).map((h) => [h, r.headers[h]])) : {});
	const headersOn200 = pick(last200);
	const headersOn429 = pick(first429);
	const show = (h) => (Object.keys(h).length ? Object.entries(h).map(([k, v]) => `${k}: ${v}`).join(', ') : 'none');
	return {
		accepted,
		got429: !!first429,
		headersOn200,
		headersOn429,
		text: `${accepted} requests accepted, then ${first429 ? '429' : 'no 429'}; headers on 200: ${show(headersOn200)}; on 429: ${show(headersOn429)}`,
	};
}

module.exports = { RATE_OPTIONS, sandboxEnv, sandboxFeatures, configureRate, liftRate, probe };
