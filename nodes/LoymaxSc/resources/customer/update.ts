import type { OperationSpec } from '../../shared/operation';
import { checkCustomer, customerIdField, customerUpdateFields, customerUpdateReadNames, registerDateField } from './fields';

export const update: OperationSpec = {
	value: 'update',
	name: 'Update',
	action: 'Update a customer',
	description: 'Change fields of an existing customer',
	kind: 'write',
	method: 'PATCH',
	path: '/customer/{customerId}',
	ids: [customerIdField],
	optional: [{ ...registerDateField, required: false }, ...customerUpdateFields],
	customAttributes: true,
	keyAttribute: { id: 'customerId', attribute: 'local_id' },
	requires: ['register_date'],
	check: checkCustomer,
	safeUpdate: true,
	// Order count and sum are computed by Loymax SC from the orders (template macros order_cnt, order_sum).
	readOnly: ['order_cnt', 'order_sum'],
	readNames: customerUpdateReadNames,
	returnsRecord: true,
	retrySafe: true,
};
