import type { FieldSpec } from '../../shared/fields';

export const pollIdField: FieldSpec = {
	name: 'pollId',
	label: 'Poll',
	type: 'locator',
	required: true,
	searchMethod: 'searchPolls',
	description: 'The poll (its ID in Loymax SC)',
};
