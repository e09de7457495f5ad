import type { OperationSpec } from '../../shared/operation';
import { orderSortable } from './fields';

export const getAll: OperationSpec = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many orders',
	description: 'Retrieve a list of orders (receipts)',
	kind: 'list',
	method: 'GET',
	path: '/order',
	sortable: orderSortable,
};
