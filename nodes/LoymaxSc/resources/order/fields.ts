import type { IDataObject, IExecuteSingleFunctions } from 'n8n-workflow';

import type { FieldSpec } from '../../shared/fields';
import { readStructured, type StructuredInput } from '../../shared/structured';

export const orderIdField: FieldSpec = {
	name: 'orderId',
	displayName: 'Order ID',
	type: 'string',
	required: true,
	placeholder: 'e.g. O-1001',
	description: 'ID of the order (receipt) in your own system (local_id)',
};

export const orderDateField: FieldSpec = {
	name: 'date',
	displayName: 'Date',
	type: 'dateTime',
	required: true,
	description: 'When the order was placed; sent as yyyy-mm-dd hh:mm:ss',
};

export const orderFields: FieldSpec[] = [
	{ name: 'clientId', displayName: 'Customer ID', type: 'string', description: 'ID of the customer in your own system' },
	{ name: 'number', displayName: 'Number', type: 'string', description: 'Order number shown to the customer' },
	{ name: 'statusName', displayName: 'Status Name', type: 'string', placeholder: 'e.g. paid' },
	{ name: 'itemsCnt', displayName: 'Items Count', type: 'number', description: 'Number of units in the order' },
	{ name: 'itemsSum', displayName: 'Items Sum', type: 'number', description: 'Total of the order' },
];

export const orderLines: StructuredInput = {
	name: 'lines',
	displayName: 'Lines',
	entryName: 'line',
	entryDisplayName: 'Line',
	shape: 'array',
	description: 'Order lines (receipt positions); as JSON, an array of objects with the API field names',
	fields: [
		{ name: 'localId', displayName: 'Line ID', type: 'string', required: true },
		{ name: 'productId', displayName: 'Product ID', type: 'string', required: true },
		{ name: 'price', displayName: 'Price', type: 'number', required: true },
		{ name: 'cnt', displayName: 'Quantity', type: 'number', required: true },
		{ name: 'sum', displayName: 'Sum', type: 'number', required: true },
		{ name: 'clientId', displayName: 'Customer ID', type: 'string' },
		{
			name: 'customAttributes',
			displayName: 'Custom Attributes (JSON)',
			type: 'json',
			jsonShape: 'object',
			default: '{}',
			description: 'Further line fields configured in your account, as a JSON object',
		},
	],
};

/** Order lines go in `items`; a line's custom attributes sit beside its standard fields. */
export function readOrderLines(context: IExecuteSingleFunctions): IDataObject {
	const lines = readStructured(context, orderLines) as IDataObject[] | undefined;
	if (lines === undefined) return {};
	return {
		items: lines.map(({ custom_attributes: custom, ...line }) => ({ ...line, ...((custom as IDataObject) ?? {}) })),
	};
}

export const orderSortable = ['id', 'local_id', 'date', 'client_id', 'number', 'status_name', 'items_sum', 'items_cnt'];
