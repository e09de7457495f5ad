import type { IHttpRequestOptions } from 'n8n-workflow';

import { systemClock, type Clock } from './RateLimiter';
import type { LoymaxRequestError } from './policy';
import { tokenExpiresAt, tokenNeedsRenewal } from './jwt';

/** How requests reach the API: n8n's request options of the execution that sends. */
export interface ConnectionOptions {
	timeoutMs?: number;
	proxy?: IHttpRequestOptions['proxy'];
	skipSslCertificateValidation?: boolean;
}

/** How long a definite refusal of the login ("wrong user or password") is answered without asking again. */
export const REFUSAL_MEMORY_MS = 30_000;

/** Logins in progress are shared only by requests that would send them the same way. */
const connectionKey = (connection: ConnectionOptions) =>
	JSON.stringify([connection.proxy ?? null, connection.skipSslCertificateValidation === true, connection.timeoutMs ?? null]);

/**
 * What belongs to one credential identity (base URL + username + a hash of the password) inside
 * this n8n process, across executions and nodes: the newest token, the login gate, the logins in
 * progress, the tokens the API rejected and a recent refusal of the login. Nothing here is shared
 * with another identity, not even one of the same user with another password.
 */
export class Session {
	/** The newest token seen (n8n keeps it in the credential store too). */
	private token?: string;
	private readonly rejected = new Set<string>();
	/** Tokens issued by a login that followed a 401: a 401 to one of them is not about the token. */
	private readonly renewedAfter401 = new Set<string>();
	/** Set while one request logs in; the others wait for it and then leave in their order. */
	private gate?: Promise<void>;
	private readonly logins = new Map<string, Promise<string>>();
	private refusal?: { error: LoymaxRequestError; at: number };

	constructor(
		readonly key: string,
		private readonly clock: Clock = systemClock,
	) {}

	/** The token to send: the newest of the stored one and ours, unless rejected or about to expire. */
	usableToken(stored: unknown): string | undefined {
		const candidates = [this.token, typeof stored === 'string' && stored !== '' ? stored : undefined].filter(
			(token): token is string => token !== undefined && !this.rejected.has(token) && !tokenNeedsRenewal(token, this.clock.now()),
		);
		if (candidates.length < 2) return candidates[0];
		return (tokenExpiresAt(candidates[1]) ?? 0) > (tokenExpiresAt(candidates[0]) ?? 0) ? candidates[1] : candidates[0];
	}

	/** The newest token not rejected, even close to its expiry: what preAuthentication hands n8n to save. */
	latestToken(): string | undefined {
		return this.token;
	}

	/** Records a token n8n or a login obtained. */
	remember(token: unknown): void {
		if (typeof token !== 'string' || token === '' || this.rejected.has(token)) return;
		if (!this.token || (tokenExpiresAt(token) ?? Infinity) >= (tokenExpiresAt(this.token) ?? 0)) this.token = token;
	}

	/**
	 * The API answered 401 to this token. Answers whether to log in again: not when the token came
	 * from a login that itself followed a 401 (the 401 is then about something else).
	 */
	reject(token: unknown): boolean {
		if (typeof token !== 'string' || token === '') return true;
		if (this.renewedAfter401.has(token)) return false;
		// Only tokens of the last hour matter; keep the sets small in a long-lived n8n.
		if (this.rejected.size > 100) this.rejected.clear();
		this.rejected.add(token);
		if (this.token === token) this.token = undefined;
		return true;
	}

	/**
	 * The API accepted this token: a later 401 to it is about the token again (revoked, the API
	 * restarted) and earns one new login.
	 */
	confirm(token: unknown): void {
		if (typeof token === 'string') this.renewedAfter401.delete(token);
	}

	/**
	 * Waits while another request logs in. Answers a release function when the caller is the one
	 * to log in, or undefined when a usable token exists. Leaves the wait when the signal aborts.
	 */
	async passGate(stored: () => unknown, signal?: AbortSignal): Promise<(() => void) | undefined> {
		for (;;) {
			if (signal?.aborted) return undefined;
			if (this.usableToken(stored())) return undefined;
			if (!this.gate) {
				let release!: () => void;
				this.gate = new Promise<void>((resolve) => (release = resolve));
				return () => {
					this.gate = undefined;
					release();
				};
			}
			const gate = this.gate;
			await new Promise<void>((resolve) => {
				void gate.then(resolve);
				signal?.addEventListener('abort', () => resolve(), { once: true });
			});
		}
	}

	/** A refusal of the login in the last moments: later requests fail with it at once. */
	recentRefusal(): LoymaxRequestError | undefined {
		if (this.refusal && this.clock.now() - this.refusal.at < REFUSAL_MEMORY_MS) return this.refusal.error;
		this.refusal = undefined;
		return undefined;
	}

	/**
	 * Runs `login` unless one with the same connection is running (its outcome is shared: a
	 * thousand items starting together log in once). Only a definite refusal is remembered, briefly.
	 */
	async login(connection: ConnectionOptions, login: () => Promise<string>, options: { after401?: boolean } = {}): Promise<string> {
		const refusal = this.recentRefusal();
		if (refusal) throw refusal;
		const key = connectionKey(connection);
		let running = this.logins.get(key);
		if (!running) {
			running = login();
			this.logins.set(key, running);
			const done = () => {
				if (this.logins.get(key) === running) this.logins.delete(key);
			};
			running.then(
				(token) => {
					done();
					this.remember(token);
					if (options.after401) this.renewedAfter401.add(token);
					if (this.renewedAfter401.size > 100) this.renewedAfter401.clear();
				},
				(error: LoymaxRequestError) => {
					done();
					if (error?.kind === 'unauthorized') this.refusal = { error, at: this.clock.now() };
				},
			);
		}
		return await running;
	}
}

// Module state on purpose: one session per credential identity, shared by every execution in this n8n process.
const sessions = new Map<string, Session>();

export function sessionFor(identityKey: string, clock: Clock = systemClock): Session {
	let session = sessions.get(identityKey);
	if (!session) {
		session = new Session(identityKey, clock);
		sessions.set(identityKey, session);
	}
	return session;
}
