import type { ResourceSpec } from '../../shared/operation';
import { create } from './create';
import { get } from './get';
import { getAll } from './getAll';
import { update } from './update';

export const event: ResourceSpec = {
	name: 'Event',
	value: 'event',
	operations: [create, update, get, getAll],
	attributes: ['name', 'date', 'client_id', 'context'],
};
