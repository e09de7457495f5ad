import type { OperationSpec } from '../../shared/operation';
import { groupIdField } from './fields';

export const deleteGroup: OperationSpec = {
	value: 'delete',
	name: 'Delete',
	action: 'Delete a promo code group',
	description: 'Delete a promo code group',
	kind: 'delete',
	method: 'DELETE',
	path: '/promocode-group/{groupId}',
	ids: [groupIdField],
	retrySafe: true,
};
