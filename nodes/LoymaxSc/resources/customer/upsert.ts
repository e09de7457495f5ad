import type { OperationSpec } from '../../shared/operation';
import { checkCustomer, customerFields, registerDateField } from './fields';

export const upsert: OperationSpec = {
	value: 'upsert',
	name: 'Create or Update',
	action: 'Create or update a customer',
	description: 'Create a new customer, or replace the customer with the same ID',
	kind: 'write',
	method: 'POST',
	path: '/customer',
	fields: [
		{
			name: 'localId',
			displayName: 'Customer ID',
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
