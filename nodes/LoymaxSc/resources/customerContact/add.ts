import type { OperationSpec } from '../../shared/operation';
import { readStructured, structuredProperties, type StructuredInput } from '../../shared/structured';
import { customerIdField } from '../customer/fields';

const contacts: StructuredInput = {
	name: 'contacts',
	label: 'Contacts',
	entryName: 'contact',
	entryLabel: 'Contact',
	shape: 'array',
	description: 'Contacts to add, e.g. a push token from a mobile app',
	fields: [
		{ name: 'type', label: 'Type', type: 'string', required: true, default: 'push', placeholder: 'e.g. push' },
		{ name: 'value', label: 'Value', type: 'string', required: true, description: 'The contact itself, e.g. an FCM token' },
		{ name: 'subtype', label: 'Subtype', type: 'string', placeholder: 'e.g. fcm' },
		{ name: 'device', label: 'Device', type: 'string', placeholder: 'e.g. android' },
	],
};

export const add: OperationSpec = {
	value: 'add',
	name: 'Add',
	action: 'Add contacts to a customer',
	description: 'Add contacts such as push tokens to a customer',
	kind: 'write',
	method: 'POST',
	path: '/customer/{customerId}/contact',
	ids: [customerIdField],
	envelopeDocumented: true,
	extraProperties: structuredProperties(contacts),
	readExtra: (context) => {
		const list = readStructured(context, contacts);
		return list === undefined ? {} : { contacts: list as never };
	},
	check: (attributes) => (attributes.contacts ? undefined : { field: 'Contacts', problem: 'add at least one contact' }),
};
