import { REFUSAL_MEMORY_MS, Session, sessionFor } from '../../nodes/LoymaxSc/transport/session';
import { LoymaxRequestError } from '../../nodes/LoymaxSc/transport/policy';
import { jwt, settle, VirtualClock } from './virtualClock';

const HOUR_S = 3600;

describe('session: token renewal and logins (virtual clock)', () => {
	it('uses a token until five minutes before it expires, then asks for a new one', async () => {
		const clock = new VirtualClock();
		const session = new Session('key', clock);
		const token = jwt({ iat: 0, exp: HOUR_S });
		expect(session.usableToken(token)).toBe(token);
		await clock.advance((HOUR_S - 300) * 1000);
		expect(session.usableToken(token)).toBe(token);
		await clock.advance(1);
		expect(session.usableToken(token)).toBeUndefined();
	});

	it('renews a short-lived token in the last tenth of its life', async () => {
		const clock = new VirtualClock();
		const session = new Session('key', clock);
		const token = jwt({ iat: 0, exp: 40 });
		await clock.advance(36_000);
		expect(session.usableToken(token)).toBe(token);
		await clock.advance(1);
		expect(session.usableToken(token)).toBeUndefined();
	});

	it('prefers the newest token of the credential store and its own, and never hands out a rejected one', () => {
		const clock = new VirtualClock();
		const session = new Session('key', clock);
		const older = jwt({ iat: 0, exp: HOUR_S });
		const newer = jwt({ iat: 10, exp: HOUR_S + 10 });
		session.remember(newer);
		expect(session.usableToken(older)).toBe(newer);
		session.reject(newer);
		expect(session.usableToken(older)).toBe(older);
		session.remember(newer);
		expect(session.usableToken(older)).toBe(older);
		session.reject(older);
		expect(session.usableToken(older)).toBeUndefined();
	});

	it('lets one request log in while the others wait, then lets them go', async () => {
		const clock = new VirtualClock();
		const session = new Session('key', clock);
		let stored = '';
		const release = await session.passGate(() => stored);
		expect(release).toBeInstanceOf(Function);
		let waiterPassed: unknown = 'waiting';
		void session.passGate(() => stored).then((result) => (waiterPassed = result));
		await settle();
		expect(waiterPassed).toBe('waiting');
		stored = jwt({ iat: 0, exp: HOUR_S });
		release!();
		await settle();
		// A usable token exists now: the waiter goes without logging in itself.
		expect(waiterPassed).toBeUndefined();
	});

	it('coalesces concurrent logins of one connection into one, remembers only a definite refusal, briefly', async () => {
		const clock = new VirtualClock();
		const session = new Session('key', clock);
		let logins = 0;
		const refused = async () => {
			logins++;
			throw new LoymaxRequestError('Loymax SC login failed: client not found', 'unauthorized', 401, 'Check the credential');
		};
		const results = await Promise.allSettled([session.login({}, refused), session.login({}, refused), session.login({}, refused)]);
		expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
		expect(logins).toBe(1);
		// Within the refusal memory a later login is answered without a token call...
		await expect(session.login({}, refused)).rejects.toThrow('client not found');
		expect(logins).toBe(1);
		// ...after it, the login is tried again (the password may have been fixed).
		await clock.advance(REFUSAL_MEMORY_MS);
		const token = jwt({ iat: 2, exp: HOUR_S });
		await expect(session.login({}, async () => (logins++, token))).resolves.toBe(token);
		expect(logins).toBe(2);
		expect(session.usableToken('')).toBe(token);
	});

	it('does not remember a network failure of the login: the next request tries again', async () => {
		const clock = new VirtualClock();
		const session = new Session('key', clock);
		let logins = 0;
		const blip = async () => {
			logins++;
			throw new LoymaxRequestError('Could not reach Loymax SC: socket hang up', 'network', undefined, '');
		};
		await expect(session.login({}, blip)).rejects.toThrow('socket hang up');
		expect(session.recentRefusal()).toBeUndefined();
		await expect(session.login({}, blip)).rejects.toThrow('socket hang up');
		expect(logins).toBe(2);
	});

	it('shares a login in progress only with requests that use the same connection (proxy, SSL, timeout)', async () => {
		const clock = new VirtualClock();
		const session = new Session('key', clock);
		const calls: string[] = [];
		const slowLogin = (via: string) => async () => {
			calls.push(via);
			await clock.sleep(100);
			if (via === 'broken proxy') throw new LoymaxRequestError('Could not reach Loymax SC: proxy refused', 'network', undefined, '');
			return jwt({ iat: 0, exp: HOUR_S });
		};
		const proxied = session.login({ proxy: { host: 'broken', port: 1 } }, slowLogin('broken proxy')).catch((error: Error) => error.message);
		const direct = session.login({}, slowLogin('direct'));
		const directToo = session.login({}, slowLogin('direct again'));
		await clock.advance(100);
		await expect(proxied).resolves.toMatch('proxy refused');
		await expect(direct).resolves.toMatch(/^Bearer /);
		await expect(directToo).resolves.toMatch(/^Bearer /);
		expect(calls).toEqual(['broken proxy', 'direct']);
	});

	it('renews once after a 401; a 401 to the token that renewal gave is not about the token', async () => {
		const clock = new VirtualClock();
		const session = new Session('key', clock);
		const first = jwt({ iat: 0, exp: HOUR_S });
		const second = jwt({ iat: 1, exp: HOUR_S + 1 });
		session.remember(first);
		expect(session.reject(first)).toBe(true);
		await session.login({}, async () => second, { after401: true });
		expect(session.usableToken('')).toBe(second);
		expect(session.reject(second)).toBe(false);
		expect(session.usableToken('')).toBe(second);
		// Once the API accepted it, a later 401 (the token revoked) earns one new login again.
		session.confirm(second);
		expect(session.reject(second)).toBe(true);
		expect(session.usableToken('')).toBeUndefined();
	});

	it('keeps identities apart: another password is another session', () => {
		const a = sessionFor('https://api.test\nuser\nhash-a');
		const b = sessionFor('https://api.test\nuser\nhash-b');
		a.remember(jwt({ iat: 0, exp: Date.now() / 1000 + HOUR_S }));
		expect(a.usableToken('')).toBeDefined();
		expect(b.usableToken('')).toBeUndefined();
		expect(sessionFor('https://api.test\nuser\nhash-a')).toBe(a);
	});
});
