'use strict';
/**
 * The queue-mode workflow: Webhook (POST `{ customers: [...] }`; answers with every item of the
 * last node once the worker is done) → Split Out (one item per customer) → Loymax SC
 * customer/upsert (Continue On Fail: a failed item stays an item with `error`). No Code node: on
 * a busy machine the task runner's offers expire and add tens of seconds that are not the node's.
 * One workflow and credential per variant (headers on / off), so each variant starts with an
 * empty token and its own limiter.
 */

const PACKAGE_NODE = 'n8n-nodes-loymaxsc.loymaxSc';
const REGISTER_DATE = '2024-01-15 10:00:00';

/** Row `n` (1-based) of execution `prefix`, as stored (what the check reads back). */
function expectedCustomer(prefix, n) {
	const num = String(n).padStart(4, '0');
	return { local_id: `${prefix}-${num}`, first_name: `Queue${num}`, last_name: prefix, email: `${prefix.toLowerCase()}-${num}@example.com`, city: 'Kazan' };
}

/** The webhook body of one execution: `count` rows. */
function webhookBody(prefix, count) {
	return { customers: Array.from({ length: count }, (_, i) => expectedCustomer(prefix, i + 1)) };
}

/** The credential of one variant: the sandbox user of that variant, paced at the scaled limit. */
function credential({ id, name, baseUrl, username, password, perMinute, windowSeconds, pauseSeconds }) {
	return {
		id,
		name,
		type: 'loymaxScApi',
		data: {
			baseUrl,
			username,
			password,
			advanced: true,
			maxRequestsPerMinute: perMinute,
			rateWindowSeconds: windowSeconds,
			rateLimitPauseSeconds: pauseSeconds,
		},
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
				parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
			}),
			node('00000000a002', {
				name: 'Customers',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
				parameters: { fieldToSplitOut: 'body.customers', include: 'noOtherFields', options: {} },
			}),
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
					localId: '={{ $json.local_id }}',
					registerDate: REGISTER_DATE,
					additionalFields: {
						firstName: '={{ $json.first_name }}',
						lastName: '={{ $json.last_name }}',
						email: '={{ $json.email }}',
						city: '={{ $json.city }}',
					},
				},
			}),
		],
		connections: {
			Webhook: { main: [[{ node: 'Customers', type: 'main', index: 0 }]] },
			Customers: { main: [[{ node: 'Upsert customers', type: 'main', index: 0 }]] },
		},
	};
}

module.exports = { workflow, credential, expectedCustomer, webhookBody, PACKAGE_NODE };
