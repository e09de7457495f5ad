import type { OperationSpec } from '../../shared/operation';
import { customerIdField } from '../customer/fields';

export const getAll: OperationSpec = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many markers of a customer',
	description: 'Retrieve the markers attached to a customer',
	kind: 'list',
	method: 'GET',
	path: '/customer/{customerId}/marker',
	ids: [customerIdField],
	sortable: ['id', 'name'],
};
