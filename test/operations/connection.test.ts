import { describeOperation } from '../harness/operation';

describeOperation('connection', 'check', (fx) => {
	const check = { resource: 'connection', operation: 'check' };

	it('logs in, reads one customer and reports what the API showed, as one item', async () => {
		const result = await fx().ok(check, [{}, {}]);
		expect(fx().sandbox.log.map((entry) => [entry.method, entry.path, entry.query])).toEqual([
			['POST', '/token', {}],
			['GET', '/customer', { 'page[number]': '1', 'page[size]': '1' }],
			['GET', '/customer', { 'page[number]': '1', 'page[size]': '1' }],
		]);
		expect(result.raw.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(result.items[0]).toEqual({
			connected: true,
			baseUrl: fx().sandbox.url,
			bodyFormat: 'auto',
			customersRead: 1,
			customersTotal: 30,
			pagesLinkNext: true,
			host: fx().sandbox.url.replace('http://', ''),
			loginForm: 'body',
			loginFormAfterFallback: false,
			tokenLocation: 'data.attributes.access_token',
			tokenBearerPrefix: true,
			tokenExpiresInSeconds: null,
			writeEnvelope: {},
			writeEnvelopeByEndpoint: {},
			rateLimitHeaders: {},
			answersSeen: 2,
			findings: [
				'logs in with username and password in a JSON:API body ({"data":{"attributes":{…}}})',
				'answers the token in data.attributes.access_token with "Bearer "',
				'sends no rate-limit headers',
			],
		});
		expect(JSON.stringify(result.items)).not.toContain('demo-password');
	});

	it('shows the write envelopes once writes were made, and says when a stored token spared the login', async () => {
		fx().engine.setCredential({ token: `Bearer ${fx().sandbox.issueToken('demo@loymaxsc.local')}` });
		await fx().ok({ resource: 'product', operation: 'upsert', localId: 'P-C', name: 'Checked' });
		const [report] = (await fx().ok(check)).items;
		expect(fx().tokenCalls()).toBe(0);
		expect(report).toMatchObject({
			loginForm: 'not seen: this n8n process has not logged in to this host (a stored token was used)',
			tokenLocation: 'not seen',
			writeEnvelope: { undocumented: 'wrapped' },
			writeEnvelopeByEndpoint: { 'POST /product': 'wrapped' },
		});
	});
});
