import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { listSearch } from './methods/listSearch';
import { resources } from './resources';
import { resourceProperties } from './shared/operation';

export class LoymaxSc implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Loymax SC',
		name: 'loymaxSc',
		icon: { light: 'file:loymaxSc.svg', dark: 'file:loymaxSc.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Manage customers, orders, events, mailings and promo codes in Loymax SC (Smart Communications)',
		defaults: { name: 'Loymax SC' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'loymaxScApi', required: true }],
		// Marks the node as declarative; every operation sends through its own routing hook, which
		// builds the URL from the credential (a literal here costs no expression per item).
		requestDefaults: {
			headers: { Accept: 'application/vnd.api+json, application/json' },
		},
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: resources.map(({ name, value }) => ({ name, value })),
				default: 'customer',
			},
			...resources.flatMap(resourceProperties),
		],
	};

	methods = { listSearch };
}
