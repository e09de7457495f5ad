import type { OperationSpec } from '../../shared/operation';
import { customerIdField } from '../customer/fields';
import { checkPlatformCustomerId, markerNameField, platformCustomerIdField, resolvePlatformCustomerId } from './fields';

export const remove: OperationSpec = {
	value: 'remove',
	name: 'Remove',
	action: 'Remove a marker from a customer',
	description: 'Detach a marker from a customer',
	kind: 'delete',
	method: 'DELETE',
	path: '/customer/{customerId}/marker',
	ids: [customerIdField],
	fields: [{ ...markerNameField, description: 'Name of the marker to detach' }],
	optional: [platformCustomerIdField],
	check: checkPlatformCustomerId,
	prepare: resolvePlatformCustomerId,
	ackAttributes: ['name'],
	retrySafe: true,
};
