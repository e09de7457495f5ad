import type { OperationSpec } from '../../shared/operation';
import { customerIdField } from './fields';

export const get: OperationSpec = {
	value: 'get',
	name: 'Get',
	action: 'Get a customer',
	description: 'Retrieve a customer by ID',
	kind: 'read',
	method: 'GET',
	path: '/customer/{customerId}',
	ids: [customerIdField],
};
