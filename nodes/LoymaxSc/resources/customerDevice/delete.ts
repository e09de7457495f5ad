import type { OperationSpec } from '../../shared/operation';
import { customerIdField } from '../customer/fields';
import { deviceIdHeader, sourceCodeField } from './fields';

export const deleteDevice: OperationSpec = {
	value: 'delete',
	name: 'Delete',
	action: 'Delete a device of a customer',
	description: 'Remove a registered device (push token) from a customer',
	kind: 'delete',
	method: 'DELETE',
	path: '/customer/{customerId}/device/{registrationId}',
	ids: [
		customerIdField,
		{ name: 'registrationId', label: 'Push Token', type: 'string', required: true, description: 'Token of the device to remove' },
	],
	headers: [deviceIdHeader],
	optional: [sourceCodeField],
	retrySafe: true,
};
