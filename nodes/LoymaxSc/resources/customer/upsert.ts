import type { OperationSpec } from '../../shared/operation';
import { checkCustomer, customerFields, registerDateField } from './fields';

export const upsert: OperationSpec = {
	value: 'upsert',
	name: 'Create or Update',
	action: 'Create or replace a customer',
	description: 'Create a new record, or update the current one if it already exists (upsert)',
	kind: 'write',
	method: 'POST',
	path: '/customer',
	fields: [
		{
			name: 'localId',
			label: 'Customer Local ID',
			type: 'string',
			required: true,
			placeholder: 'e.g. C-1001',
			description: 'ID of the customer in your own system (local_id); an existing customer with this ID is replaced',
		},
		registerDateField,
	],
	optional: customerFields,
	customAttributes: true,
	check: checkCustomer,
	replaces: 'customer',
	returnsRecord: true,
	retrySafe: true,
};
