import type { OperationSpec } from '../../shared/operation';

export const getAll: OperationSpec = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many promo code groups',
	description: 'Retrieve a list of promo code groups',
	kind: 'list',
	method: 'GET',
	path: '/promocode-group',
	sortable: ['id', 'local_id', 'name'],
};
