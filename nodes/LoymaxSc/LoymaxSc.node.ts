import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { listSearch } from './methods/listSearch';
import { resources } from './resources';
import { route } from './router';
import { requestOptionsProperty } from './shared/descriptions';
import { resourceProperties } from './shared/operation';

/** "Create or Update: Customer" instead of the stored values ("upsert: customer"). */
const subtitles = Object.fromEntries(
	resources.flatMap((resource) => resource.operations.map((spec) => [`${resource.value}:${spec.value}`, `${spec.name}: ${resource.name}`])),
);

export class LoymaxSc implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Loymax SC',
		name: 'loymaxSc',
		icon: { light: 'file:loymaxSc.svg', dark: 'file:loymaxSc.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: `={{ ${JSON.stringify(subtitles)}[$parameter["resource"] + ":" + $parameter["operation"]] }}`,
		description: 'Manage customers, orders, events, mailings and promo codes in Loymax SC (Smart Communications)',
		defaults: { name: 'Loymax SC' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'loymaxScApi', required: true }],
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
			requestOptionsProperty,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
