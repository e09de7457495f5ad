import type { OperationSpec } from '../../shared/operation';
import { customerSortable } from './fields';

export const getAll: OperationSpec = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many customers',
	description: 'Retrieve a list of customers',
	kind: 'list',
	method: 'GET',
	path: '/customer',
	sortable: customerSortable,
};
