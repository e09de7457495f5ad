import { Session } from '../../nodes/LoymaxSc/transport/session';
import { LoymaxRequestError } from '../../nodes/LoymaxSc/transport/policy';
import { jwt, settle, VirtualClock } from './virtualClock';

const HOUR_S = 3600;

describe('session: token renewal and logins (virtual clock)', () => {
	it('uses a token until five minutes before it expires, then asks for a new one', async () => {
		const clock = new VirtualClock();
		const session = new Session('key', 1000, clock);
		const token = jwt({ iat: 0, exp: HOUR_S });
		expect(session.usableToken(token)).toBe(token);
		await clock.advance((HOUR_S - 300) * 1000);
		expect(session.usableToken(token)).toBe(token);
		await clock.advance(1);
		expect(session.usableToken(token)).toBeUndefined();
	});

	it('renews a short-lived token in the last tenth of its life', async () => {
		const clock = new VirtualClock();
		const session = new Session('key', 1000, clock);
		const token = jwt({ iat: 0, exp: 40 });
		await clock.advance(36_000);
		expect(session.usableToken(token)).toBe(token);
		await clock.advance(1);
		expect(session.usableToken(token)).toBeUndefined();
	});

	it('prefers the newest token of the credential store and its own, and never hands out a rejected one', () => {
		const clock = new VirtualClock();
		const session = new Session('key', 1000, clock);
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
		const session = new Session('key', 1000, clock);
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

	it('coalesces concurrent logins into one, shares a failure only with those who waited for it', async () => {
		const clock = new VirtualClock();
		const session = new Session('key', 1000, clock);
		let logins = 0;
		const failing = async () => {
			logins++;
			throw new LoymaxRequestError('Loymax SC login failed: client not found', 'unauthorized', 401, 'Check the credential');
		};
		const results = await Promise.allSettled([session.coalesceLogin(failing), session.coalesceLogin(failing), session.coalesceLogin(failing)]);
		expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
		expect(logins).toBe(1);
		expect(session.loginFailureSince(0)?.message).toBe('Loymax SC login failed: client not found');
		// A login that starts after the failure tries again (the password may have been fixed).
		await expect(session.coalesceLogin(failing)).rejects.toThrow('client not found');
		expect(logins).toBe(2);
		const token = jwt({ iat: 2, exp: HOUR_S });
		await expect(session.coalesceLogin(async () => (logins++, token))).resolves.toBe(token);
		expect(logins).toBe(3);
		// Within a moment of a successful login, another login reuses its token.
		await expect(session.coalesceLogin(async () => (logins++, 'other'))).resolves.toBe(token);
		expect(logins).toBe(3);
		expect(session.usableToken('')).toBe(token);
	});
});
