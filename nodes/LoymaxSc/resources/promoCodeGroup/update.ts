import type { OperationSpec } from '../../shared/operation';
import { groupIdField, groupLocalIdField, groupNameField } from './fields';

export const update: OperationSpec = {
	value: 'update',
	name: 'Update',
	action: 'Update a promo code group',
	description: 'Change the name or local ID of a promo code group',
	kind: 'write',
	method: 'PATCH',
	path: '/promocode-group/{groupId}',
	ids: [groupIdField],
	optional: [
		{ ...groupNameField, required: false },
		{ ...groupLocalIdField, required: false },
	],
	customAttributes: true,
	requires: ['local_id', 'name'],
	safeUpdate: true,
	readOnly: ['codes_total', 'codes_free'],
	returnsRecord: true,
	retrySafe: true,
};
