import { createFixture, type Fixture } from './fixture';

/**
 * Groups the tests of one operation. `test/description.test.ts` reads these calls to check that
 * every operation of the node is tested, so keep the two string literals on the call.
 */
export function describeOperation(resource: string, operation: string, body: (fx: () => Fixture) => void): void {
	describe(`${resource} › ${operation}`, () => {
		let fixture: Fixture | undefined;
		beforeEach(async () => {
			fixture = await createFixture({ seed: { customers: 30, orders: 30 } });
		});
		afterEach(async () => fixture?.close());
		body(() => fixture!);
	});
}

/** The requests an operation sent, without the login. */
export const apiRequests = (fx: Fixture) => fx.sandbox.log.filter((entry) => entry.path !== '/token');
