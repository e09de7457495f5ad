import { RateLimiter } from '../../nodes/LoymaxSc/transport/RateLimiter';
import { settle, VirtualClock } from './virtualClock';

/** Acquires `count` slots and records when each was granted (virtual time) and in which order. */
function acquireMany(limiter: RateLimiter, clock: VirtualClock, count: number, answerAfterMs = 0) {
	const granted: Array<{ index: number; at: number }> = [];
	for (let index = 0; index < count; index++) {
		void limiter.acquire().then(async (answered) => {
			granted.push({ index, at: clock.now() });
			if (answerAfterMs > 0) await clock.sleep(answerAfterMs);
			answered();
		});
	}
	return granted;
}

describe('rate budget (virtual clock)', () => {
	it('sends a burst up to the budget at once, then waits for the oldest request to leave the window', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(5, clock);
		const granted = acquireMany(limiter, clock, 8);
		await settle();
		expect(granted.map((entry) => entry.at)).toEqual([0, 0, 0, 0, 0]);
		await clock.advance(59_999);
		expect(granted).toHaveLength(5);
		await clock.advance(1);
		expect(granted.map((entry) => entry.at)).toEqual([0, 0, 0, 0, 0, 60_000, 60_000, 60_000]);
		// In input order.
		expect(granted.map((entry) => entry.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
		// The first five left the window as the last three entered it.
		expect(limiter.inWindow).toBe(3);
		await clock.advance(60_000);
		expect(limiter.inWindow).toBe(0);
	});

	it('keeps a request in the window until a window after its answer, so slow answers never overfill the server\'s window', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(2, clock);
		const granted = acquireMany(limiter, clock, 3, 10_000);
		await clock.advance(60_000);
		expect(granted.map((entry) => entry.at)).toEqual([0, 0]);
		await clock.advance(9_999);
		expect(granted).toHaveLength(2);
		await clock.advance(21);
		expect(granted.map((entry) => entry.at)).toEqual([0, 0, 70_000]);
	});

	it('counts the budget in shorter windows when told to (600 a minute in 1 s windows = 10 a second)', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(600, clock, 1_000);
		expect(limiter.budget).toBe(10);
		const granted = acquireMany(limiter, clock, 25);
		await clock.advance(2_500);
		const perSecond = [0, 1, 2].map((second) => granted.filter((entry) => Math.floor(entry.at / 1000) === second).length);
		expect(perSecond).toEqual([10, 10, 5]);
	});

	it('holds every request during a 429 pause, lets an urgent request go first, and halves the rate, then gives it back step by step', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(100, clock);
		limiter.pause(5_000);
		const order: string[] = [];
		void limiter.acquire().then((answered) => (order.push(`normal@${clock.now()}`), answered()));
		void limiter.acquire(true).then((answered) => (order.push(`urgent@${clock.now()}`), answered()));
		await clock.advance(4_999);
		expect(order).toEqual([]);
		await clock.advance(1);
		expect(order).toEqual(['urgent@5000']);
		// The halved rate is spread out: 50 a minute, 1.2 s apart.
		await clock.advance(1_200);
		expect(order).toEqual(['urgent@5000', 'normal@6200']);
		expect(limiter.budget).toBe(50);
		await clock.advance(60_000);
		expect(limiter.budget).toBe(62);
		await clock.advance(3 * 60_000);
		expect(limiter.budget).toBe(100);
	});
});
