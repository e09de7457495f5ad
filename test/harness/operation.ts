import type { ICredentialDataDecryptedObject, INodeParameterResourceLocator } from 'n8n-workflow';

import type { SandboxOptions } from '../../sandbox';
import type { RunResult } from './engine';
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

/** A resource locator parameter, as the editor stores it: "By ID" or "From List". */
export const rl = (value: string, mode: 'id' | 'list' = 'id'): INodeParameterResourceLocator => ({ __rl: true, mode, value });

/** Runs a test against a sandbox of its own (other seed, envelope or credential), closed afterwards. */
export async function withFixture(
	sandboxOptions: SandboxOptions,
	credential: ICredentialDataDecryptedObject,
	test: (fx: Fixture) => Promise<void>,
): Promise<void> {
	const fx = await createFixture(sandboxOptions, credential);
	try {
		await test(fx);
	} finally {
		await fx.close();
	}
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Bad input: the item fails with `Invalid value for "<field>" in item <n>: <problem>` (the whole
 * message when `problem` is a string, a part of it when a RegExp), and nothing is sent (not even
 * the login).
 */
export function expectInputError(fx: Fixture, result: RunResult, field: string, problem: string | RegExp, item = 0) {
	expect(result.error).toBeDefined();
	expect(result.error?.message).toMatch(new RegExp(`^Invalid value for "${escape(field)}" in item ${item}: `));
	if (typeof problem === 'string') expect(result.error?.message).toBe(`Invalid value for "${field}" in item ${item}: ${problem}`);
	else expect(result.error?.message).toMatch(problem);
	expect(result.error?.description).toMatch(/nothing was sent to Loymax SC/);
	expect(result.items).toEqual([]);
	expect(fx.sandbox.log).toHaveLength(0);
	// The node throws a NodeOperationError; n8n's routing engine (declarative nodes) hands it on as a
	// NodeApiError without an HTTP code, keeping message and description.
	expect(result.error?.name === 'NodeOperationError' || (result.error?.name === 'NodeApiError' && result.error?.httpCode === 'none')).toBe(true);
}
