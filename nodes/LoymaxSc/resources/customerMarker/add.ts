import type { OperationSpec } from '../../shared/operation';
import { customerIdField } from '../customer/fields';
import { checkPlatformCustomerId, markerNameField, platformCustomerIdField, resolvePlatformCustomerId } from './fields';

export const add: OperationSpec = {
	value: 'add',
	name: 'Add',
	action: 'Add a marker to a customer',
	description: 'Attach a marker (tag) to a customer, creating the marker if its name is new',
	kind: 'write',
	method: 'POST',
	path: '/customer/{customerId}/marker',
	ids: [customerIdField],
	fields: [markerNameField],
	optional: [platformCustomerIdField],
	check: checkPlatformCustomerId,
	prepare: resolvePlatformCustomerId,
	returnsRecord: true,
	retrySafe: true,
};
