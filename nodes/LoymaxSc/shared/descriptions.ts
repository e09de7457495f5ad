import type { INodeProperties } from 'n8n-workflow';

/** Parameters shared by many operations, defined once; `operation.ts` adds their displayOptions. */

export const returnAllProperty: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

export const limitProperty: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 50,
	description: 'Max number of results to return',
};

export function sortProperty(attributes: string[]): INodeProperties {
	return {
		displayName: 'Sort',
		name: 'sort',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Sort Rule',
		default: {},
		description: 'Order of the results; the first rule counts most',
		options: [
			{
				displayName: 'Rule',
				name: 'rule',
				values: [
					{
						displayName: 'Attribute',
						name: 'attribute',
						type: 'options',
						options: attributes.map((attribute) => ({ name: attribute, value: attribute })),
						default: 'id',
						description:
							'Attribute to sort by. Choose from the list, or specify an attribute of your account using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Direction',
						name: 'direction',
						type: 'options',
						options: [
							{ name: 'Ascending', value: 'asc' },
							{ name: 'Descending', value: 'desc' },
						],
						default: 'asc',
					},
				],
			},
		],
	};
}

/** As a plain node; the AI Agent tool variant shows Output instead (n8n's `@tool` display option). */
export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return a simplified version of the response (the record\'s ID, type and attributes side by side) instead of the raw JSON:API data',
	displayOptions: { hide: { '@tool': [true] } },
};

/** As an AI Agent tool (n8n's guidelines for tool nodes): what the model receives of each record. */
export const outputProperty: INodeProperties = {
	displayName: 'Output',
	name: 'output',
	type: 'options',
	noDataExpression: true,
	default: 'simplified',
	description: 'What the agent receives of each record; fewer fields leave more of the model\'s context for the conversation',
	options: [
		{ name: 'Raw', value: 'raw', description: 'The record as the API sends it (JSON:API)' },
		{ name: 'Selected Fields', value: 'selected', description: 'Only the fields you choose, with the record\'s ID and Local ID' },
		{
			name: 'Simplified',
			value: 'simplified',
			description: 'The record\'s ID, type and attributes side by side, empty attributes left out',
		},
	],
	displayOptions: { show: { '@tool': [true] } },
};

export function outputFieldsProperty(attributes: string[]): INodeProperties {
	return {
		displayName: 'Fields',
		name: 'outputFields',
		type: 'multiOptions',
		default: [],
		description:
			'Attributes to send to the agent; the record\'s ID and Local ID are always included. Add custom attributes of your account with an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		options: [...attributes].sort().map((attribute) => ({ name: attribute, value: attribute })),
		displayOptions: { show: { output: ['selected'], '@tool': [true] } },
	};
}

export const customAttributesProperty: INodeProperties = {
	displayName: 'Custom Attributes',
	name: 'customAttributes',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Custom Attribute',
	default: {},
	description: 'Fields configured in your Loymax SC account; they are sent beside the standard fields',
	options: [
		{
			displayName: 'Attribute',
			name: 'attribute',
			values: [
				{
					displayName: 'Name',
					name: 'name',
					type: 'string',
					default: '',
					placeholder: 'e.g. loyalty_level',
				},
				{
					displayName: 'Value',
					name: 'value',
					type: 'string',
					default: '',
				},
			],
		},
	],
};

export const keepUnsetFieldsProperty: INodeProperties = {
	displayName: 'Keep Fields Not Set',
	name: 'keepUnsetFields',
	type: 'boolean',
	default: true,
	description:
		'Whether to keep the current values of the fields you did not add. The Loymax SC API replaces the whole record on update and empties every field that is not sent; when on, the node first reads the record (one extra request) and sends it back with your changes. A field you added to Update Fields is sent as given, empty included: add a field and leave it empty to clear it.',
};

export const replaceWarning = (what: string): INodeProperties => ({
	displayName: `If the ${what} already exists, Loymax SC replaces the whole record: fields you do not send are emptied. Send the complete record.`,
	name: 'replaceNotice',
	type: 'notice',
	default: '',
});

/**
 * The "Request Options" n8n gives declarative nodes, with the same names and values, so workflows
 * saved before the node ran its own execute() keep them.
 */
export const requestOptionsProperty: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	isNodeSetting: true,
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Batching',
			name: 'batching',
			placeholder: 'Add Batching',
			type: 'fixedCollection',
			typeOptions: { multipleValues: false },
			default: { batch: {} },
			description: 'Extra pauses between groups of input items; the credential\'s rate budget already keeps requests inside the API\'s limit',
			options: [
				{
					displayName: 'Batching',
					name: 'batch',
					values: [
						{
							displayName: 'Items per Batch',
							name: 'batchSize',
							type: 'number',
							typeOptions: { minValue: -1 },
							default: 50,
							description: 'Input will be split in batches to throttle requests. -1 for disabled. 0 will be treated as 1.',
						},
						{
							displayName: 'Batch Interval (Ms)',
							name: 'batchInterval',
							type: 'number',
							typeOptions: { minValue: 0 },
							default: 1000,
							description: 'Time (in milliseconds) between each batch of requests. 0 for disabled.',
						},
					],
				},
			],
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'allowUnauthorizedCerts',
			type: 'boolean',
			noDataExpression: true,
			default: false,
			description: 'Whether to connect even if SSL certificate validation is not possible',
		},
		{
			displayName: 'Proxy',
			name: 'proxy',
			type: 'string',
			default: '',
			placeholder: 'e.g. http://myproxy:3128',
			description:
				'HTTP proxy to use, e.g. http://username:password@myproxy:3128. Without it, n8n\'s HTTP_PROXY, HTTPS_PROXY and NO_PROXY environment variables apply.',
		},
		{
			displayName: 'Timeout',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 10000,
			description:
				'Time in ms to wait for the server to send response headers (and start the response body) before aborting the request. Without this option a request waits up to 5 minutes.',
		},
	],
};
