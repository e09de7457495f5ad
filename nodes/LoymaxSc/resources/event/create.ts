import type { OperationSpec } from '../../shared/operation';
import { structuredProperties } from '../../shared/structured';
import { eventClientField, eventContext, eventDateField, eventNameField, readEventContext } from './fields';

export const create: OperationSpec = {
	value: 'create',
	name: 'Create',
	action: 'Create an event of a configured type',
	description: 'Record a customer event or a system event that can trigger campaigns',
	kind: 'write',
	method: 'POST',
	path: '/event',
	fields: [eventNameField, eventDateField],
	// The POST types client_id number, the PATCH string: a whole number goes as a number here.
	optional: [{ ...eventClientField, wholeAsNumber: true }],
	extraProperties: structuredProperties(eventContext),
	readExtra: readEventContext,
	returnsRecord: true,
	// Every POST creates a new event: a repeat after a lost answer could duplicate it.
	retrySafe: false,
};
