import type { OperationSpec } from '../../shared/operation';
import { eventSortable } from './fields';

export const getAll: OperationSpec = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many events',
	description: 'Retrieve a list of events',
	kind: 'list',
	method: 'GET',
	path: '/event',
	sortable: eventSortable,
};
