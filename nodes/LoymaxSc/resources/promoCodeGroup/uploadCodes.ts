import type { OperationSpec } from '../../shared/operation';
import { groupLocalIdField } from './fields';

export const uploadCodes: OperationSpec = {
	value: 'uploadCodes',
	name: 'Upload Codes',
	action: 'Upload promo codes to a group',
	description: 'Add promo codes to a group; each code can be issued once',
	kind: 'write',
	method: 'POST',
	// «Метод для заливки промокодов в группу по local_id»: the group's ID in your system, not its Platform ID.
	path: '/promocode-group/{groupLocalId}/codes',
	ids: [
		{
			...groupLocalIdField,
			// A new name: `groupId` held the Platform ID, and reusing it would send that number as a local ID.
			name: 'groupLocalId',
			placeholder: 'e.g. PG-00001',
			description: 'ID of the group in your own system (local_id), as given to Create or Update',
		},
	],
	fields: [
		{
			name: 'codes',
			label: 'Codes',
			type: 'list',
			required: true,
			placeholder: 'e.g. SPRING-001, SPRING-002',
			description: 'Promo codes separated by commas, semicolons or new lines, or an array from an expression',
		},
	],
	// The body is undocumented: other fields the account expects go as Custom Attributes.
	customAttributes: true,
	retrySafe: false,
};
