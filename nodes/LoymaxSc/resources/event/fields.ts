import type { FieldSpec } from '../../shared/fields';
import { keyValueFields, readStructured, type StructuredInput } from '../../shared/structured';
import type { ItemContext } from '../../shared/context';

export const eventIdField: FieldSpec = {
	name: 'eventId',
	label: 'Event ID',
	type: 'string',
	required: true,
	description: 'ID of the event in Loymax SC (its id), as returned when it was created',
};

export const eventNameField: FieldSpec = {
	name: 'name',
	label: 'Event Name',
	type: 'string',
	required: true,
	placeholder: 'e.g. order_shipped',
	description: 'Name of an event type set up in your Loymax SC account; other names are refused',
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
	label: 'Customer Local ID',
	type: 'string',
	description: "The customer's ID in your own system (local_id); leave empty for a system event that concerns everyone",
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
