import type { OperationSpec } from '../../shared/operation';
import { structuredProperties } from '../../shared/structured';
import { eventClientField, eventContext, eventDateField, eventIdField, eventNameField, readEventContext } from './fields';

export const update: OperationSpec = {
	value: 'update',
	name: 'Update',
	action: 'Update an event',
	description: 'Change an existing event',
	kind: 'write',
	method: 'PATCH',
	path: '/event/{eventId}',
	ids: [eventIdField],
	optional: [{ ...eventNameField, required: false }, { ...eventDateField, required: false }, eventClientField],
	extraProperties: structuredProperties({ ...eventContext, description: 'New variables; they replace the current context' }),
	readExtra: readEventContext,
	requires: ['date'],
	safeUpdate: true,
	returnsRecord: true,
	retrySafe: true,
};
