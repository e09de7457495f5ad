import type { FieldSpec } from '../../shared/fields';

export const groupIdField: FieldSpec = {
	name: 'groupId',
	label: 'Promo Code Group',
	type: 'locator',
	required: true,
	searchMethod: 'searchPromoCodeGroups',
	description: 'The promo code group (its ID in Loymax SC)',
};

export const groupLocalIdField: FieldSpec = {
	name: 'localId',
	label: 'Group Local ID',
	type: 'string',
	required: true,
	description: 'ID of the group in your own system (local_id)',
};

export const groupNameField: FieldSpec = {
	name: 'name',
	label: 'Name',
	type: 'string',
	required: true,
	description: 'Name of the group, used in templates as {{client.promocode(\'<name>\')}}',
};
