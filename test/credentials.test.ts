import { LoymaxScApi } from '../credentials/LoymaxScApi.credentials';
import { credentialTestNode, testerMessage } from './harness/credentialTest';
import { createFixture, DEMO_PASSWORD, type Fixture } from './harness/fixture';

const credentialType = new LoymaxScApi();

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

	it("fails its test with the API's own login message for a wrong password, not n8n's generic 401 text", async () => {
		fx = await createFixture({}, { password: 'not-it' });
		const result = await fx.run({ parameters: {}, nodeType: credentialTestNode });
		const shown = testerMessage(result.error);
		expect(shown).toMatch(/^Loymax SC login failed: client not found\. Check the Username and Password/);
		expect(shown).not.toMatch(/Authorization failed/);
		expect(fx.sandbox.log.map((entry) => [entry.path, entry.status])).toEqual([['/token', 401]]);
		expect(JSON.stringify(result.error)).not.toContain('not-it');
		expect(shown).not.toContain('not-it');
	});

	it('offers an optional Account Time Zone, empty by default (the time zone of the workflow)', () => {
		const zone = credentialType.properties.find((property) => property.name === 'accountTimeZone');
		expect(zone).toMatchObject({ displayName: 'Account Time Zone', type: 'string', default: '' });
		expect(zone?.required).toBeFalsy();
		expect(zone?.displayOptions).toBeUndefined();
	});
});
