import type { OperationSpec } from '../../shared/operation';
import { groupLocalIdField, groupNameField } from './fields';

export const upsert: OperationSpec = {
	value: 'upsert',
	name: 'Create or Update',
	action: 'Create or replace a promo code group',
	description: 'Create a new record, or update the current one if it already exists (upsert)',
	kind: 'write',
	method: 'POST',
	path: '/promocode-group',
	fields: [groupLocalIdField, groupNameField],
	customAttributes: true,
	replaces: 'promo code group',
	returnsRecord: true,
	retrySafe: true,
};
