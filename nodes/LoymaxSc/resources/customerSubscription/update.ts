import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { ItemContext } from '../../shared/context';
import type { FieldSpec } from '../../shared/fields';
import type { OperationSpec } from '../../shared/operation';
import { invalidField, reservedKeyProblem } from '../../shared/values';
import { readStructured, structuredProperties, type StructuredInput } from '../../shared/structured';
import { customerIdField } from '../customer/fields';

const UNCHANGED = 'unchanged';
const STATUSES: INodePropertyOptions[] = [
	{ name: 'Subscribed', value: 'Y' },
	{ name: 'Unsubscribed', value: 'N' },
	{ name: 'No Data', value: 'ND', description: 'Clears the status (the API calls it ND)' },
];
const channel = (name: string, label: string, apiName: string): FieldSpec => ({
	name,
	label,
	apiName,
	type: 'options',
	options: [{ name: 'Unchanged', value: UNCHANGED }, ...STATUSES],
	default: UNCHANGED,
});
const codeField: FieldSpec = { name: 'code', label: 'Category Code', type: 'string', required: true, placeholder: 'e.g. news' };

/** Loymax's OpenAPI file: each category code maps to a status per channel. */
const perChannel: StructuredInput = {
	name: 'categories',
	label: 'Categories',
	entryName: 'category',
	entryLabel: 'Category',
	shape: 'array',
	description: 'Mailing categories to change, by code; categories not listed stay as they are',
	fields: [
		codeField,
		channel('email', 'Email', 'email'),
		channel('sms', 'SMS', 'sms'),
		channel('push', 'Push', 'push'),
		channel('telegram', 'Telegram', 'messenger:telegram'),
		channel('whatsapp', 'WhatsApp', 'messenger:whatsapp'),
	],
};

/** The API reference: «Категория - статус подписки», one status per category code. */
const perCategory: StructuredInput = {
	name: 'categoryStatuses',
	label: 'Categories',
	entryName: 'category',
	entryLabel: 'Category',
	shape: 'array',
	description: 'Mailing categories to change, by code, each with one status; categories not listed stay as they are',
	fields: [codeField, { name: 'status', label: 'Status', type: 'options', options: STATUSES, default: 'Y' }],
};

const FORMS = { channel: perChannel, category: perCategory };
type Form = keyof typeof FORMS;

const formProperty: INodeProperties = {
	displayName: 'Set Status',
	name: 'statusPer',
	type: 'options',
	options: [
		{ name: 'Per Channel', value: 'channel', description: "A status for each channel of a category (as in Loymax's OpenAPI file)" },
		{ name: 'Per Category', value: 'category', description: 'One status for the whole category (as in the API reference)' },
	],
	default: 'channel',
};

const shownFor = (form: Form) => (property: INodeProperties): INodeProperties => ({
	...property,
	displayOptions: { show: { ...property.displayOptions?.show, statusPer: [form] } },
});

/** `{categories: {<code>: <status per channel> | <status>}}`; a category's form follows Set Status. */
function readCategories(context: ItemContext): IDataObject {
	const form: Form = context.getNodeParameter('statusPer', 'channel') === 'category' ? 'category' : 'channel';
	const input = FORMS[form];
	const json = context.getNodeParameter(`${input.name}Input`, 'fields') === 'json';
	const entries = (readStructured(context, input) ?? []) as IDataObject[];
	const byCode: IDataObject = {};
	entries.forEach(({ code, ...statuses }, index) => {
		const fail = (field: string, problem: string) =>
			invalidField(context.getNode(), context.getItemIndex(), json ? `${input.label} (JSON)` : `${input.label} ${index + 1}: ${field}`, problem);
		// As JSON, each entry is {"code": "news", "email": "Y", ...} or {"code": "news", "status": "Y"}, like a row of the fields.
		if (typeof code !== 'string' || code.trim() === '') throw fail(codeField.label, 'every category needs a "code"');
		const reserved = reservedKeyProblem(code);
		if (reserved) throw fail(codeField.label, reserved);
		if (form === 'channel') {
			byCode[code] = Object.fromEntries(Object.entries(statuses).filter(([, status]) => status !== UNCHANGED));
			return;
		}
		const { status, ...rest } = statuses;
		if (!STATUSES.some((option) => option.value === status) || Object.keys(rest).length) {
			throw fail('Status', `category "${code}" needs a "status" of "Y", "N" or "ND" and nothing else`);
		}
		byCode[code] = status;
	});
	return Object.keys(byCode).length ? { categories: byCode } : {};
}

export const update: OperationSpec = {
	value: 'update',
	name: 'Update',
	action: 'Update mailing subscriptions of a customer',
	description: 'Subscribe a customer to, or unsubscribe from, mailing categories per channel or as a whole',
	kind: 'write',
	method: 'PATCH',
	path: '/customer/{customerId}/subscribe',
	ids: [customerIdField],
	envelopeDocumented: true,
	extraProperties: [
		formProperty,
		...structuredProperties(perChannel).map(shownFor('channel')),
		...structuredProperties(perCategory).map(shownFor('category')),
	],
	readExtra: readCategories,
	check: (attributes) => (attributes.categories ? undefined : { field: 'Categories', problem: 'add at least one category' }),
	ackAttributes: ['categories'],
	retrySafe: true,
};
