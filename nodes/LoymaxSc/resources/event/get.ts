import type { OperationSpec } from '../../shared/operation';
import { eventIdField } from './fields';

export const get: OperationSpec = {
	value: 'get',
	name: 'Get',
	action: 'Get an event',
	description: 'Retrieve an event by ID',
	kind: 'read',
	method: 'GET',
	path: '/event/{eventId}',
	ids: [eventIdField],
};
