'use strict';
/**
 * e2e check "contract: the node adapts to the API's reading" (run by scripts/e2e.js after the
 * headless example scenarios): real n8n, the default credential (no Body Format saved), a sandbox
 * switched to readings of the reference other than the default (sandbox/CONTRACT.md, "Contract
 * variants"). One `n8n execute` per variant, each a new process that meets the API for the first
 * time:
 *
 *   Start → Items (2) → product upsert → channel update → Connection › Check (once)
 *
 * Every write must succeed; a flat API costs one refused write per group of endpoints (the data
 * endpoints, the bodies of Loymax's OpenAPI file), not one per item; a query-only login costs one
 * refused token call; n8n's log names what was found, once.
 */

const NAME = 'contract: the node adapts to the API\'s reading';
const KEY = 'contract';
const WORKFLOW_ID = 'loymaxE2eContract';
const ITEMS = 2;

/** Readings other than the sandbox's defaults; each variant has a credential of its own (a fresh login). */
const VARIANTS = [
	{ id: 'loymaxScContractA', options: { tokenForm: 'query', tokenResponse: 'plain', bearerPrefix: false, envelope: 'flat', emptyWriteAck: 'text200' } },
	{ id: 'loymaxScContractB', options: { tokenForm: 'both', tokenResponse: 'jsonapi', bearerPrefix: true, envelope: 'flat', emptyWriteAck: 'empty200' } },
	{ id: 'loymaxScContractC', options: { tokenForm: 'body', tokenResponse: 'plain', bearerPrefix: true, envelope: 'wrapped', emptyWriteAck: '204' } },
];
const DEFAULTS = { tokenForm: 'body', tokenResponse: 'jsonapi', bearerPrefix: true, envelope: 'wrapped', emptyWriteAck: 'json' };

const credentials = (sb) =>
	VARIANTS.map(({ id }) => ({ id, name: `Loymax SC sandbox (${id})`, type: 'loymaxScApi', data: { baseUrl: sb.url, username: sb.username, password: sb.password } }));

const node = (n, name, parameters, credentialId, extra = {}) => ({
	id: `00000000-0000-4000-8000-00000000c00${n}`,
	name,
	type: 'n8n-nodes-loymaxsc.loymaxSc',
	typeVersion: 1,
	position: [240 * n, 0],
	credentials: { loymaxScApi: { id: credentialId, name: `Loymax SC sandbox (${credentialId})` } },
	parameters,
	...extra,
});

/** One workflow per variant (they differ only in the credential). */
function workflows() {
	return VARIANTS.map(({ id }, v) => ({
		id: `${WORKFLOW_ID}${v}`,
		name: `Loymax SC e2e: contract ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
		nodes: [
			{ id: '00000000-0000-4000-8000-00000000c001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: '00000000-0000-4000-8000-00000000c002',
				name: 'Items',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [240, 0],
				parameters: { jsCode: `return Array.from({ length: ${ITEMS} }, (_, i) => ({ json: { id: 'E2E-${v}-' + (i + 1) } }));` },
			},
			node(3, 'Upsert product', { resource: 'product', operation: 'upsert', localId: '={{ $json.id }}', name: 'Contract' }, id),
			node(4, 'Update channel', { resource: 'customerChannel', operation: 'update', customerId: 'C-00001', updateFields: { sms: 'Y' } }, id),
			node(5, 'Check', { resource: 'connection', operation: 'check' }, id, { executeOnce: true }),
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Upsert product', type: 'main', index: 0 }]] },
			'Upsert product': { main: [[{ node: 'Update channel', type: 'main', index: 0 }]] },
			'Update channel': { main: [[{ node: 'Check', type: 'main', index: 0 }]] },
		},
	}));
}

const statuses = (log, method, re) => log.filter((e) => e.method === method && re.test(e.path)).map((e) => e.status);

async function run({ home, api, expect, note }) {
	try {
		for (const [v, { id, options }] of VARIANTS.entries()) {
			await api.reset();
			await api.setOptions({ ...DEFAULTS, ...options });
			const r = await home.execute(`${WORKFLOW_ID}${v}`);
			const log = await api.log();
			const label = Object.entries(options).map(([k, x]) => `${k}=${x}`).join(' ');
			expect(r.ok, `${label}: execution failed:\n${r.ok ? '' : r.describeFailure()}`);
			if (!r.ok) continue;
			const flat = options.envelope === 'flat';
			const query = options.tokenForm === 'query';
			const tokens = statuses(log, 'POST', /^\/token$/);
			const products = statuses(log, 'POST', /^\/product$/);
			const channels = statuses(log, 'POST', /^\/customer\/C-00001\/channel$/);
			expect(JSON.stringify(tokens) === JSON.stringify(query ? [400, 200] : [200]), `${label}: token calls ${JSON.stringify(tokens)}`);
			const ok = options.emptyWriteAck === '204' ? 204 : 200;
			const expectWrites = (seen, created) => JSON.stringify(seen) === JSON.stringify([...(flat ? [400] : []), ...Array(ITEMS).fill(created)]);
			expect(expectWrites(products, options.emptyWriteAck === 'json' ? 201 : ok), `${label}: POST /product answered ${JSON.stringify(products)}`);
			expect(expectWrites(channels, ok), `${label}: POST channel answered ${JSON.stringify(channels)}`);
			// The sandbox's own client logs in the documented way: read what was stored with the defaults back.
			await api.setOptions(DEFAULTS);
			const stored = await api.getAll('/product');
			expect(stored.filter((p) => String(p.local_id).startsWith(`E2E-${v}-`)).length === ITEMS, `${label}: products not stored`);
			const [report] = r.nodeOutput('Check') || [];
			expect(
				report && report.loginForm === (query ? 'query' : 'body') && report.tokenLocation === (options.tokenResponse === 'plain' ? 'access_token' : 'data.attributes.access_token'),
				`${label}: Check reported ${JSON.stringify(report)}`,
			);
			expect(
				report && report.writeEnvelope.undocumented === options.envelope && report.writeEnvelope.documented === options.envelope,
				`${label}: Check reported envelopes ${JSON.stringify(report && report.writeEnvelope)}`,
			);
			const output = `${r.stdout}\n${r.stderr}`;
			const lines = output.split('\n').filter((line) => line.includes('Loymax SC at '));
			const loginLines = lines.filter((line) => line.includes('logs in with'));
			expect(loginLines.length === 1, `${label}: n8n's log has ${loginLines.length} login findings, expected 1:\n${lines.join('\n')}`);
			expect(!output.includes(api.password), `${label}: the password appears in n8n's output`);
			note(`${label} (${id}): token ${JSON.stringify(tokens)}, product ${JSON.stringify(products)}, channel ${JSON.stringify(channels)}; log: ${lines.map((l) => l.replace(/^.*Loymax SC at /, '')).join(' | ')}`);
		}
	} finally {
		await api.setOptions(DEFAULTS);
	}
}

module.exports = { name: NAME, key: KEY, credentials, workflows, run };
