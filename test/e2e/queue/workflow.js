'use strict';
/**
 * The queue-mode workflow: Webhook (POST, answers with the last node's first item when the worker
 * is done) → Code "Customers" (`count` customers with ids `<prefix>-0001`...) → Loymax SC
 * customer/upsert (Continue On Fail: every failed item stays an item with `error`) → Code
 * "Summary" (one item: items, error items, the first error). One workflow and credential per
 * variant (headers on / off), so each variant starts with an empty token and its own limiter.
 */

const PACKAGE_NODE = 'n8n-nodes-loymaxsc.loymaxSc';
const REGISTER_DATE = '2024-01-15 10:00:00';

/** The customer a row of `prefix` number `n` (1-based) is stored as (what the check reads back). */
function expectedCustomer(prefix, n) {
	const num = String(n).padStart(4, '0');
	return { local_id: `${prefix}-${num}`, first_name: `Queue${num}`, last_name: prefix, email: `${prefix.toLowerCase()}-${num}@example.com`, city: 'Kazan' };
}

const CUSTOMERS_CODE = `const { prefix, count } = $input.first().json.body;
return Array.from({ length: count }, (_, i) => {
	const num = String(i + 1).padStart(4, '0');
	return { json: { customer_id: prefix + '-' + num, first_name: 'Queue' + num, last_name: prefix, email: prefix.toLowerCase() + '-' + num + '@example.com', city: 'Kazan' } };
});`;

const SUMMARY_CODE = `const items = $input.all();
const failed = items.filter((i) => i.json.error !== undefined);
const stored = items.filter((i) => i.json.error === undefined && typeof i.json.local_id === 'string');
return [{ json: {
	items: items.length,
	errorItems: failed.length,
	storedItems: stored.length,
	firstError: failed.length ? String(failed[0].json.error).slice(0, 500) : null,
	firstItemKeys: items.length ? Object.keys(items[0].json).slice(0, 20) : [],
} }];`;

/** The credential of one variant: the sandbox user of that variant, paced at the scaled limit. */
function credential({ id, name, baseUrl, username, password, perMinute, pauseSeconds }) {
	return {
		id,
		name,
		type: 'loymaxScApi',
		data: { baseUrl, username, password, advanced: true, maxRequestsPerMinute: perMinute, rateLimitPauseSeconds: pauseSeconds },
	};
}

function workflow({ id, name, webhookPath, webhookId, credentialRef }) {
	const node = (suffix, rest) => ({ id: `${webhookId.slice(0, 24)}${suffix}`, ...rest });
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
		nodes: [
			node('00000000a001', {
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId,
				parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
			}),
			node('00000000a002', { name: 'Customers', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { jsCode: CUSTOMERS_CODE } }),
			node('00000000a003', {
				name: 'Upsert customers',
				type: PACKAGE_NODE,
				typeVersion: 1,
				position: [440, 0],
				credentials: { loymaxScApi: credentialRef },
				onError: 'continueRegularOutput',
				parameters: {
					resource: 'customer',
					operation: 'upsert',
					localId: '={{ $json.customer_id }}',
					registerDate: REGISTER_DATE,
					additionalFields: {
						firstName: '={{ $json.first_name }}',
						lastName: '={{ $json.last_name }}',
						email: '={{ $json.email }}',
						city: '={{ $json.city }}',
					},
				},
			}),
			node('00000000a004', { name: 'Summary', type: 'n8n-nodes-base.code', typeVersion: 2, position: [660, 0], parameters: { jsCode: SUMMARY_CODE } }),
		],
		connections: {
			Webhook: { main: [[{ node: 'Customers', type: 'main', index: 0 }]] },
			Customers: { main: [[{ node: 'Upsert customers', type: 'main', index: 0 }]] },
			'Upsert customers': { main: [[{ node: 'Summary', type: 'main', index: 0 }]] },
		},
	};
}

module.exports = { workflow, credential, expectedCustomer, PACKAGE_NODE };
