'use strict';
/**
 * Workflows built in code for the bulk checks (test/e2e/bulk.js) and the real-n8n benchmark
 * (test/bench/real-n8n.js): the same calls through this node and through n8n's own HTTP Request
 * node with the Loymax SC credential, so the two can be compared in one run.
 */

const LOYMAX_NODE = 'n8n-nodes-loymaxsc.loymaxSc';
const TARGET = 'Target';

let uuid = 0;
const nodeId = () => `00000000-0000-4000-8000-${String(++uuid).padStart(12, '0')}`;

/** Rows a marketer would upsert: a local ID, a registration date and a first name. */
const rowsCode = (count, prefix) =>
	`return Array.from({ length: ${count} }, (_, i) => ({ json: { localId: '${prefix}-' + i, registerDate: '2024-01-31 12:00:00', firstName: 'Row' + i } }));`;

/** Manual Trigger → Code (`count` rows, or one item) → the node under test, named "Target". */
function workflow({ id, name, count = 1, prefix = 'ROW', target }) {
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
		nodes: [
			{ id: nodeId(), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: nodeId(), name: 'Rows', type: 'n8n-nodes-base.code', typeVersion: 2, position: [240, 0], parameters: { jsCode: rowsCode(count, prefix) } },
			{ id: nodeId(), name: TARGET, position: [480, 0], ...target },
		],
		connections: {
			Start: { main: [[{ node: 'Rows', type: 'main', index: 0 }]] },
			Rows: { main: [[{ node: TARGET, type: 'main', index: 0 }]] },
		},
	};
}

const credentials = (credential) => ({ loymaxScApi: { id: credential.id, name: credential.name } });

/** This node: customer Create or Update from the row. */
const upsertNode = (credential) => ({
	type: LOYMAX_NODE,
	typeVersion: 1,
	credentials: credentials(credential),
	parameters: {
		resource: 'customer',
		operation: 'upsert',
		localId: '={{ $json.localId }}',
		registerDate: '={{ $json.registerDate }}',
		additionalFields: { firstName: '={{ $json.firstName }}' },
	},
});

/** n8n's HTTP Request node sending the same upsert, authenticated by the Loymax SC credential. */
const httpUpsertNode = (credential, baseUrl) => ({
	type: 'n8n-nodes-base.httpRequest',
	typeVersion: 4.2,
	credentials: credentials(credential),
	parameters: {
		method: 'POST',
		url: `${baseUrl}/customer`,
		authentication: 'predefinedCredentialType',
		nodeCredentialType: 'loymaxScApi',
		sendBody: true,
		specifyBody: 'json',
		jsonBody:
			'={{ JSON.stringify({ data: { attributes: { local_id: $json.localId, register_date: $json.registerDate, first_name: $json.firstName } } }) }}',
		options: {},
	},
});

/** n8n's HTTP Request node reading one customer with the Loymax SC credential (the escape hatch). */
const httpGetNode = (credential, baseUrl, path) => ({
	type: 'n8n-nodes-base.httpRequest',
	typeVersion: 4.2,
	credentials: credentials(credential),
	parameters: {
		url: `${baseUrl}${path}`,
		authentication: 'predefinedCredentialType',
		nodeCredentialType: 'loymaxScApi',
		// The API answers application/vnd.api+json, which the node does not parse by itself.
		options: { response: { response: { responseFormat: 'json' } } },
	},
});

/** This node: one customer. */
const getNode = (credential) => ({
	type: LOYMAX_NODE,
	typeVersion: 1,
	credentials: credentials(credential),
	parameters: { resource: 'customer', operation: 'get', customerId: 'C-00001' },
});

/** This node: every customer, default settings (Return All, pages of 100). */
const getManyNode = (credential) => ({
	type: LOYMAX_NODE,
	typeVersion: 1,
	credentials: credentials(credential),
	parameters: { resource: 'customer', operation: 'getAll', returnAll: true },
});

/** The hand-wired equivalent: HTTP Request with n8n's pagination over page[number], 100 a page. */
const httpGetManyNode = (credential, baseUrl) => ({
	type: 'n8n-nodes-base.httpRequest',
	typeVersion: 4.2,
	credentials: credentials(credential),
	parameters: {
		url: `${baseUrl}/customer`,
		authentication: 'predefinedCredentialType',
		nodeCredentialType: 'loymaxScApi',
		sendQuery: true,
		queryParameters: { parameters: [{ name: 'page[size]', value: '100' }] },
		options: {
			// The API answers application/vnd.api+json, which the node does not parse by itself.
			response: { response: { responseFormat: 'json' } },
			pagination: {
				pagination: {
					paginationMode: 'updateAParameterInEachRequest',
					parameters: { parameters: [{ type: 'qs', name: 'page[number]', value: '={{ $pageCount + 1 }}' }] },
					paginationCompleteWhen: 'other',
					completeExpression: '={{ $response.body.data.length < 100 }}',
				},
			},
		},
	},
});

/** The run data of the target node: items, start time and execution time. */
function targetRun(run) {
	const task = run.resultData?.runData?.[TARGET]?.[0];
	const items = task?.data?.main?.[0] ?? [];
	return { task, items, startTime: task?.startTime, executionTime: task?.executionTime, error: task?.error };
}

module.exports = { workflow, upsertNode, httpUpsertNode, httpGetNode, getNode, getManyNode, httpGetManyNode, targetRun, TARGET };
