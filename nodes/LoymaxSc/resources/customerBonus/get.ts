import type { OperationSpec } from '../../shared/operation';
import { customerIdField } from '../customer/fields';

export const get: OperationSpec = {
	value: 'get',
	name: 'Get',
	action: 'Get the bonus balance of a customer',
	description: 'Retrieve active and pending bonus amounts and the next deactivation',
	kind: 'read',
	method: 'GET',
	path: '/customer/{customerId}/bonus',
	ids: [customerIdField],
};
