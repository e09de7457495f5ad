import type { IDataObject } from 'n8n-workflow';

import type { FieldSpec } from '../../shared/fields';
import { readStructured, type StructuredInput } from '../../shared/structured';
import type { ItemContext } from '../../shared/context';

export const orderIdField: FieldSpec = {
	name: 'orderId',
	label: 'Order Local ID',
	type: 'string',
	required: true,
	placeholder: 'e.g. O-1001',
	description: 'ID of the order (receipt) in your own system (local_id)',
};

export const orderDateField: FieldSpec = {
	name: 'date',
	label: 'Date',
	type: 'dateTime',
	required: true,
	description: 'When the order was placed; sent as yyyy-mm-dd hh:mm:ss in the account time zone (a value without a zone as written)',
};

export const orderFields: FieldSpec[] = [
	{ name: 'clientId', label: 'Customer Local ID', type: 'string', description: "The customer's ID in your own system (local_id)" },
	{ name: 'number', label: 'Number', type: 'string', description: 'Order number shown to the customer' },
	{ name: 'statusName', label: 'Status Name', type: 'string', placeholder: 'e.g. paid' },
	{ name: 'itemsCnt', label: 'Items Count', type: 'number', description: 'Number of units in the order' },
	{ name: 'itemsSum', label: 'Items Sum', type: 'number', description: 'Total of the order' },
];

export const orderLines: StructuredInput = {
	name: 'lines',
	label: 'Lines',
	entryName: 'line',
	entryLabel: 'Line',
	shape: 'array',
	description: 'Order lines (receipt positions); as JSON, an array of objects with the API field names',
	fields: [
		{ name: 'localId', label: 'Line ID', type: 'string', required: true },
		{ name: 'productId', label: 'Product Local ID', type: 'string', required: true },
		{ name: 'price', label: 'Price', type: 'number', required: true },
		{ name: 'cnt', label: 'Quantity', type: 'number', required: true },
		{ name: 'sum', label: 'Sum', type: 'number', required: true },
		{ name: 'clientId', label: 'Customer Local ID', type: 'string' },
		{
			name: 'customAttributes',
			label: 'Custom Attributes (JSON)',
			type: 'json',
			jsonShape: 'object',
			default: '{}',
			description: 'Further line fields configured in your account, as a JSON object',
		},
	],
};

/** Order lines go in `items`; a line's custom attributes sit beside its standard fields. */
export function readOrderLines(context: ItemContext): IDataObject {
	const lines = readStructured(context, orderLines) as IDataObject[] | undefined;
	if (lines === undefined) return {};
	return {
		items: lines.map(({ custom_attributes: custom, ...line }) => ({ ...line, ...((custom as IDataObject) ?? {}) })),
	};
}

export const orderSortable = ['id', 'local_id', 'date', 'client_id', 'number', 'status_name', 'items_sum', 'items_cnt'];
