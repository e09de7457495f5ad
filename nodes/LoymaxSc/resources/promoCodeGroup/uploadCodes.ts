import type { OperationSpec } from '../../shared/operation';
import { groupIdField } from './fields';

export const uploadCodes: OperationSpec = {
	value: 'uploadCodes',
	name: 'Upload Codes',
	action: 'Upload promo codes to a group',
	description: 'Add promo codes to a group; each code can be issued once',
	kind: 'write',
	method: 'POST',
	path: '/promocode-group/{groupId}/codes',
	ids: [groupIdField],
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
	retrySafe: false,
};
