import type { IHttpRequestOptions } from 'n8n-workflow';

import { RateLimiter, systemClock, type Clock } from './RateLimiter';
import type { LoymaxRequestError } from './policy';
import type { TransportSettings } from './settings';
import { tokenExpiresAt, tokenNeedsRenewal } from './jwt';

/** How long a just-issued token is handed to concurrent logins instead of logging in again. */
const COALESCE_MS = 2_000;

interface Login {
	promise: Promise<string>;
	settledAt?: number;
	succeeded?: boolean;
}

/**
 * Everything one API user of one Loymax SC instance shares inside this n8n process, across
 * executions and nodes: the rate budget, the newest token, the login in progress, the tokens the
 * API rejected and the last login failure.
 */
/** How requests reach the API: n8n's request options of the node that sends. */
export interface ConnectionOptions {
	timeoutMs?: number;
	proxy?: IHttpRequestOptions['proxy'];
	skipSslCertificateValidation?: boolean;
}

export class Session {
	readonly limiter: RateLimiter;
	/**
	 * The request options of the request that carries the next login: n8n hands preAuthentication
	 * only the credential, so the login finds them here.
	 */
	connection: ConnectionOptions = {};
	/** The newest token seen (n8n keeps it in the credential store too). */
	private token?: string;
	private readonly rejected = new Set<string>();
	/** Set while one request logs in; the others wait for it and then leave in their order. */
	private gate?: Promise<void>;
	private login?: Login;
	private loginFailure?: { error: LoymaxRequestError; at: number };

	constructor(
		readonly key: string,
		requestsPerMinute: number,
		private readonly clock: Clock = systemClock,
	) {
		this.limiter = new RateLimiter(requestsPerMinute, clock);
	}

	/** The user may change the credential's pacing between executions. */
	configure(settings: Pick<TransportSettings, 'maxRequestsPerMinute' | 'rateWindowMs'>): void {
		this.limiter.requestsPerMinute = settings.maxRequestsPerMinute;
		this.limiter.windowMs = settings.rateWindowMs;
	}

	/** The token to send: the newest of the stored one and ours, unless rejected or about to expire. */
	usableToken(stored: unknown): string | undefined {
		const candidates = [this.token, typeof stored === 'string' && stored !== '' ? stored : undefined].filter(
			(token): token is string => token !== undefined && !this.rejected.has(token) && !tokenNeedsRenewal(token, this.clock.now()),
		);
		if (candidates.length < 2) return candidates[0];
		return (tokenExpiresAt(candidates[1]) ?? 0) > (tokenExpiresAt(candidates[0]) ?? 0) ? candidates[1] : candidates[0];
	}

	/** Records a token n8n obtained through preAuthentication. */
	remember(token: unknown): void {
		if (typeof token !== 'string' || token === '' || this.rejected.has(token)) return;
		if (!this.token || (tokenExpiresAt(token) ?? Infinity) >= (tokenExpiresAt(this.token) ?? 0)) this.token = token;
	}

	/** The API answered 401 to this token: it is never handed out again. */
	reject(token: unknown): void {
		if (typeof token !== 'string' || token === '') return;
		// Only tokens of the last hour matter; keep the set small in a long-lived n8n.
		if (this.rejected.size > 100) this.rejected.clear();
		this.rejected.add(token);
		if (this.token === token) this.token = undefined;
	}

	/**
	 * Waits while another request logs in. Answers a release function when the caller is the one
	 * to log in (its request carries the login), or undefined when a usable token exists.
	 */
	async passGate(stored: () => unknown): Promise<(() => void) | undefined> {
		for (;;) {
			if (this.usableToken(stored())) return undefined;
			if (!this.gate) {
				let release!: () => void;
				this.gate = new Promise<void>((resolve) => (release = resolve));
				return () => {
					this.gate = undefined;
					release();
				};
			}
			await this.gate;
		}
	}

	/**
	 * Runs `login` unless one is running (its outcome is shared: a thousand items starting together
	 * log in once, and a wrong password fails them with one token call) or has just succeeded.
	 */
	async coalesceLogin(login: () => Promise<string>): Promise<string> {
		const current = this.login;
		const fresh = current?.settledAt !== undefined && current.succeeded && this.clock.now() - current.settledAt < COALESCE_MS;
		if (current && (current.settledAt === undefined || fresh)) {
			const token = await current.promise;
			if (!this.rejected.has(token)) return token;
		}
		const entry: Login = { promise: login() };
		this.login = entry;
		// Registered before anyone awaits the login, so they run before the waiting requests resume.
		entry.promise.then(
			(token) => {
				entry.succeeded = true;
				entry.settledAt = this.clock.now();
				this.remember(token);
			},
			(error: LoymaxRequestError) => {
				entry.settledAt = this.clock.now();
				this.loginFailure = { error, at: entry.settledAt };
			},
		);
		return await entry.promise;
	}

	/**
	 * n8n wraps errors thrown by preAuthentication in an error that drops the original, so the
	 * request that triggered the login asks here what really happened.
	 */
	loginFailureSince(since: number): LoymaxRequestError | undefined {
		return this.loginFailure && this.loginFailure.at >= since ? this.loginFailure.error : undefined;
	}
}

// Module state on purpose: one session per credential, shared by every execution in this n8n process.
const sessions = new Map<string, Session>();

export function sessionFor(settings: Pick<TransportSettings, 'limiterKey' | 'maxRequestsPerMinute' | 'rateWindowMs'>): Session {
	let session = sessions.get(settings.limiterKey);
	if (!session) {
		session = new Session(settings.limiterKey, settings.maxRequestsPerMinute);
		sessions.set(settings.limiterKey, session);
	}
	session.configure(settings);
	return session;
}
