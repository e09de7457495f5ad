import type { OperationSpec } from '../../shared/operation';
import { groupIdField } from './fields';

export const get: OperationSpec = {
	value: 'get',
	name: 'Get',
	action: 'Get a promo code group by ID',
	description: 'Retrieve a promo code group by ID',
	kind: 'read',
	method: 'GET',
	path: '/promocode-group/{groupId}',
	ids: [groupIdField],
};
