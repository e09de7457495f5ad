import type { IDataObject } from 'n8n-workflow';

import type { FieldSpec } from '../../shared/fields';

/** The customer's ID in the master system (`local_id`), used in every customer path; "Local ID" keeps it apart from the Platform ID (`id`). */
export const customerIdField: FieldSpec = {
	name: 'customerId',
	label: 'Customer Local ID',
	type: 'string',
	required: true,
	placeholder: 'e.g. C-1001',
	description: "The customer's ID in your own system (local_id), not the numeric ID Loymax SC gives it",
};

export const registerDateField: FieldSpec = {
	name: 'registerDate',
	label: 'Register Date',
	type: 'registerDate',
	required: true,
	description:
		'When the customer registered; sent as yyyy-mm-dd hh:mm:ss in the account time zone (a value without a zone as written), the year must be between 2010 and this year',
};

const NAME_FIELDS = ['full_name', 'first_name', 'middle_name', 'last_name'];

export const customerFields: FieldSpec[] = [
	{ name: 'firstName', label: 'First Name', type: 'string' },
	{ name: 'middleName', label: 'Middle Name', type: 'string' },
	{ name: 'lastName', label: 'Last Name', type: 'string' },
	{ name: 'fullName', label: 'Full Name', type: 'string' },
	{ name: 'email', label: 'Email', type: 'string', placeholder: 'name@email.com' },
	{ name: 'phone', label: 'Phone', type: 'string', placeholder: 'e.g. 79990000000' },
	{
		name: 'sex',
		label: 'Sex',
		type: 'options',
		options: [
			{ name: 'Female', value: 'F' },
			{ name: 'Male', value: 'M' },
			{ name: 'No Data', value: '' },
		],
		default: '',
	},
	{ name: 'birthDate', label: 'Birth Date', type: 'date', description: 'Sent as yyyy-mm-dd; of a date-time, its date in the workflow time zone' },
	{ name: 'country', label: 'Country', type: 'string' },
	{ name: 'city', label: 'City', type: 'string' },
	{ name: 'zip', label: 'Zip', type: 'string' },
	{ name: 'pushId', label: 'Push ID', type: 'string', description: 'Push identifier of the customer (push_id)' },
];

/** The PATCH spells the push ID `push-id` (docs/api-readings.md, "Customer"); records hold it as `push_id`. */
export const customerUpdateFields: FieldSpec[] = customerFields.map((field) =>
	field.name === 'pushId' ? { ...field, apiName: 'push-id', description: 'Push identifier of the customer (sent as push-id)' } : field,
);
export const customerUpdateReadNames = { 'push-id': 'push_id' };

/** The API refuses a customer without at least one of the four name fields. */
export function checkCustomer(attributes: IDataObject) {
	if (NAME_FIELDS.some((name) => typeof attributes[name] === 'string' && (attributes[name] as string).trim() !== '')) {
		return undefined;
	}
	return { field: 'First Name', problem: 'set at least one of First Name, Middle Name, Last Name or Full Name' };
}

/** A customer record's attributes (the reference's fields and its message-template names). */
export const customerAttributes = [
	'local_id',
	'register_date',
	'first_name',
	'middle_name',
	'last_name',
	'full_name',
	'email',
	'phone',
	'sex',
	'birth_date',
	'country',
	'city',
	'zip',
	'push_id',
	'order_cnt',
	'order_sum',
];

export const customerSortable = [
	'id',
	'local_id',
	'register_date',
	'first_name',
	'last_name',
	'full_name',
	'email',
	'phone',
	'birth_date',
	'city',
];
