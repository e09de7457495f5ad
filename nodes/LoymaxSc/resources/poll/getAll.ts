import type { OperationSpec } from '../../shared/operation';

export const getAll: OperationSpec = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many polls',
	description: 'Retrieve a list of polls',
	kind: 'list',
	method: 'GET',
	path: '/communication/poll',
	sortable: ['id', 'name', 'status'],
};
