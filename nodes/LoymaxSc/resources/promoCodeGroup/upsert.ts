import type { OperationSpec } from '../../shared/operation';
import { groupLocalIdField, groupNameField } from './fields';

export const upsert: OperationSpec = {
	value: 'upsert',
	name: 'Create or Update',
	action: 'Create or update a promo code group',
	description: 'Create a new promo code group, or replace the group with the same local ID',
	kind: 'write',
	method: 'POST',
	path: '/promocode-group',
	fields: [groupLocalIdField, groupNameField],
	customAttributes: true,
	replaces: 'promo code group',
	returnsRecord: true,
	retrySafe: true,
};
