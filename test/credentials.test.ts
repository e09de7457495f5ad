import type { INodeType } from 'n8n-workflow';

import { LoymaxScApi } from '../credentials/LoymaxScApi.credentials';
import { createFixture, DEMO_PASSWORD, type Fixture } from './harness/fixture';

const credentialType = new LoymaxScApi();

/**
 * What n8n's credential tester runs for a `test.request`: a declarative node whose requestDefaults
 * are the test request, executed with the credential.
 */
const credentialTestNode: INodeType = {
	description: {
		displayName: 'Credential Test',
		name: 'credentialTest',
		group: ['transform'],
		version: 1,
		description: 'Runs the test request of the Loymax SC credential',
		defaults: { name: 'Credential Test' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'loymaxScApi', required: true }],
		requestDefaults: credentialType.test.request,
		properties: [],
	},
};

describe('Loymax SC API credential', () => {
	let fx: Fixture;
	afterEach(async () => fx?.close());

	it('defines the fields users fill in, the hidden expirable token and a password field', () => {
		const names = credentialType.properties.map((property) => property.name);
		expect(names.slice(0, 4)).toEqual(['baseUrl', 'username', 'password', 'token']);
		const [baseUrl, , password, token] = credentialType.properties;
		expect(baseUrl.default).toBe('https://api.loymaxsc.net');
		expect(password.typeOptions?.password).toBe(true);
		expect(token).toMatchObject({ type: 'hidden', typeOptions: { expirable: true } });
		expect(credentialType.authenticate).toEqual({
			type: 'generic',
			properties: { headers: { Authorization: '={{$credentials.token}}' } },
		});
	});

	it('passes its test: logs in, then one cheap authenticated request (a trailing slash in the base URL is fine)', async () => {
		fx = await createFixture({ seed: { customers: 3 } });
		fx.engine.setCredential({ baseUrl: `${fx.sandbox.url}/` });
		const result = await fx.run({ parameters: {}, nodeType: credentialTestNode });
		expect(result.error).toBeUndefined();
		expect(fx.sandbox.log.map((entry) => [entry.method, entry.path, entry.query, entry.status])).toEqual([
			['POST', '/token', {}, 200],
			['GET', '/customer', { 'page[size]': '1' }, 200],
		]);
		expect(fx.sandbox.log[0].body).toEqual({ data: { attributes: { username: 'demo@loymaxsc.local', password: DEMO_PASSWORD } } });
	});

	it('fails its test with the login error for a wrong password', async () => {
		fx = await createFixture({}, { password: 'not-it' });
		const result = await fx.run({ parameters: {}, nodeType: credentialTestNode });
		expect(result.error?.message).toMatch(/client not found|Authorization failed/);
		expect(fx.sandbox.log.map((entry) => [entry.path, entry.status])).toEqual([['/token', 401]]);
		expect(JSON.stringify(result.error)).not.toContain('not-it');
	});
});
