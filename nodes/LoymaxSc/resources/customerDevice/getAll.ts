import type { OperationSpec } from '../../shared/operation';
import { customerIdField } from '../customer/fields';

export const getAll: OperationSpec = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many devices of a customer',
	description: 'Retrieve the devices registered for a customer',
	kind: 'list',
	method: 'GET',
	path: '/customer/{customerId}/device',
	ids: [customerIdField],
	sortable: ['id', 'token', 'platform'],
};
