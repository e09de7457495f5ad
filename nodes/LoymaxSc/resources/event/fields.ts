import type { FieldSpec } from '../../shared/fields';
import { keyValueFields, readStructured, type StructuredInput } from '../../shared/structured';
import type { ItemContext } from '../../shared/context';

export const eventIdField: FieldSpec = {
	name: 'eventId',
	label: 'Event ID',
	type: 'string',
	required: true,
	description: 'ID of the event, as returned when it was created',
};

export const eventNameField: FieldSpec = {
	name: 'name',
	label: 'Event Name',
	type: 'string',
	required: true,
	placeholder: 'e.g. order_shipped',
	description: 'Name of the event type configured in Loymax SC',
};

export const eventDateField: FieldSpec = {
	name: 'date',
	label: 'Date',
	type: 'dateTime',
	required: true,
	description: 'When the event happened; sent as yyyy-mm-dd hh:mm:ss in the account time zone (a value without a zone as written)',
};

export const eventClientField: FieldSpec = {
	name: 'clientId',
	label: 'Customer ID',
	type: 'string',
	description: 'ID of the customer in your own system; leave empty for a system event that concerns everyone',
};

export const eventContext: StructuredInput = {
	name: 'context',
	label: 'Context',
	entryName: 'pair',
	entryLabel: 'Variable',
	shape: 'object',
	fields: keyValueFields,
	description: 'Variables of the event, usable in message templates',
};

export function readEventContext(context: ItemContext) {
	const value = readStructured(context, eventContext);
	return value === undefined ? {} : { context: value as never };
}

export const eventSortable = ['id', 'name', 'date', 'client_id'];
