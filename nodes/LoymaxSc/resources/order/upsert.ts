import type { OperationSpec } from '../../shared/operation';
import { structuredProperties } from '../../shared/structured';
import { orderDateField, orderFields, orderLines, readOrderLines } from './fields';

export const upsert: OperationSpec = {
	value: 'upsert',
	name: 'Create or Update',
	action: 'Create or replace an order',
	description: 'Create a new record, or update the current one if it already exists (upsert)',
	kind: 'write',
	method: 'POST',
	path: '/order',
	fields: [
		{
			name: 'localId',
			label: 'Order Local ID',
			type: 'string',
			required: true,
			placeholder: 'e.g. O-1001',
			description: 'ID of the order in your own system (local_id); an existing order with this ID is replaced',
		},
		orderDateField,
	],
	extraProperties: structuredProperties(orderLines),
	readExtra: readOrderLines,
	optional: orderFields,
	customAttributes: true,
	replaces: 'order',
	returnsRecord: true,
	retrySafe: true,
};
