import type { OperationSpec } from '../../shared/operation';

export const getAll: OperationSpec = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many blacklisted contacts',
	description: 'Retrieve email addresses or phone numbers that must not be contacted',
	kind: 'list',
	method: 'GET',
	path: '/black-list/{listType}',
	ids: [
		{
			name: 'listType',
			label: 'Type',
			type: 'options',
			required: true,
			options: [
				{ name: 'Email', value: 'email' },
				{ name: 'Phone', value: 'phone' },
			],
			default: 'email',
		},
	],
	sortable: ['id', 'value', 'date'],
};
