import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import type { FieldSpec } from '../../shared/fields';
import type { OperationSpec } from '../../shared/operation';
import { invalidField } from '../../shared/values';
import { readStructured, structuredProperties, type StructuredInput } from '../../shared/structured';
import { customerIdField } from '../customer/fields';

const UNCHANGED = 'unchanged';
const statusOptions: INodePropertyOptions[] = [
	{ name: 'Unchanged', value: UNCHANGED },
	{ name: 'Subscribed', value: 'Y' },
	{ name: 'Unsubscribed', value: 'N' },
	{ name: 'No Data', value: 'ND', description: 'Clears the status (the API calls it ND)' },
];
const channel = (name: string, label: string, apiName: string): FieldSpec => ({
	name,
	label,
	apiName,
	type: 'options',
	options: statusOptions,
	default: UNCHANGED,
});

const categories: StructuredInput = {
	name: 'categories',
	label: 'Categories',
	entryName: 'category',
	entryLabel: 'Category',
	shape: 'array',
	description: 'Mailing categories to change, by code; categories not listed stay as they are',
	fields: [
		{ name: 'code', label: 'Category Code', type: 'string', required: true, placeholder: 'e.g. news' },
		channel('email', 'Email', 'email'),
		channel('sms', 'SMS', 'sms'),
		channel('push', 'Push', 'push'),
		channel('telegram', 'Telegram', 'messenger:telegram'),
		channel('whatsapp', 'WhatsApp', 'messenger:whatsapp'),
	],
};

export const update: OperationSpec = {
	value: 'update',
	name: 'Update',
	action: 'Update mailing subscriptions of a customer',
	description: 'Subscribe a customer to, or unsubscribe from, mailing categories per channel',
	kind: 'write',
	method: 'PATCH',
	path: '/customer/{customerId}/subscribe',
	ids: [customerIdField],
	envelopeDocumented: true,
	extraProperties: structuredProperties(categories),
	readExtra: (context) => {
		const entries = (readStructured(context, categories) ?? []) as IDataObject[];
		const byCode: IDataObject = {};
		for (const { code, ...statuses } of entries) {
			// As JSON, each entry is {"code": "news", "email": "Y", ...}, like a row of the fields.
			if (typeof code !== 'string' || code.trim() === '') {
				throw invalidField(context.getNode(), context.getItemIndex(), 'Categories (JSON)', 'every category needs a "code"');
			}
			byCode[code] = Object.fromEntries(Object.entries(statuses).filter(([, status]) => status !== UNCHANGED));
		}
		return Object.keys(byCode).length ? { categories: byCode } : {};
	},
	check: (attributes) => (attributes.categories ? undefined : { field: 'Categories', problem: 'add at least one category' }),
	ackAttributes: ['categories'],
	retrySafe: true,
};
