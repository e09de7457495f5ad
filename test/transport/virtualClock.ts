import type { Clock } from '../../nodes/LoymaxSc/transport/RateLimiter';

/** Lets pending promise chains run (several turns of the event loop). */
export const settle = async () => {
	for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
};

/** A clock whose time moves only when the test says so: no wall-clock timing in these tests. */
export class VirtualClock implements Clock {
	time = 0;
	private timers: Array<{ at: number; resolve: () => void }> = [];

	now = () => this.time;

	sleep = async (ms: number) => await new Promise<void>((resolve) => this.timers.push({ at: this.time + ms, resolve }));

	/** Moves time forward, firing every timer due on the way in order. */
	async advance(ms: number): Promise<void> {
		const target = this.time + ms;
		for (;;) {
			await settle();
			this.timers.sort((a, b) => a.at - b.at);
			const next = this.timers[0];
			if (!next || next.at > target) break;
			this.timers.shift();
			this.time = Math.max(this.time, next.at);
			next.resolve();
		}
		this.time = target;
		await settle();
	}
}

/** An unsigned JWT with the given claims (the node only reads `exp` and `iat`). */
export function jwt(claims: { exp: number; iat?: number }): string {
	const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
	return `Bearer ${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.signature`;
}
