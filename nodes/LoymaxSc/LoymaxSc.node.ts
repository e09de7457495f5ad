import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { listSearch } from './methods/listSearch';
import { resources } from './resources';
import { route } from './router';
import { requestOptionsProperty } from './shared/descriptions';
import { resourceProperties } from './shared/operation';

export class LoymaxSc implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Loymax SC',
		name: 'loymaxSc',
		icon: { light: 'file:loymaxSc.svg', dark: 'file:loymaxSc.dark.svg' },
		group: ['transform'],
		version: 1,
		// Names, not stored values ("Create or Update: Customer", not "upsert: customer"); a literal, as
		// n8n's linter asks; a test checks it against the operation table.
		subtitle:
			'={{ {"upsert":"Create or Update","update":"Update","get":"Get","getAll":"Get Many","getMailings":"Get Mailings","add":"Add","register":"Register","delete":"Delete","remove":"Remove","create":"Create","getRecipients":"Get Recipients","setMessageState":"Set Message State","uploadCodes":"Upload Codes","check":"Check"}[$parameter["operation"]] + ": " + {"customer":"Customer","customerSubscription":"Customer Subscription","customerChannel":"Customer Channel","customerContact":"Customer Contact","customerDevice":"Customer Device","customerBonus":"Customer Bonus","customerMarker":"Customer Marker","order":"Order","event":"Event","webEvent":"Web Event","product":"Product","productCategory":"Product Category","emailMailing":"Email Mailing","smsMailing":"SMS Mailing","pushMailing":"Push Mailing","messageEvent":"Message Event","poll":"Poll","blacklist":"Blacklist","promoCodeGroup":"Promo Code Group","dictionary":"Dictionary","dictionaryItem":"Dictionary Item","connection":"Connection"}[$parameter["resource"]] }}',
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
