import type { ResourceSpec } from '../../shared/operation';
import { get } from './get';
import { getAll } from './getAll';

export const poll: ResourceSpec = {
	name: 'Poll',
	value: 'poll',
	operations: [get, getAll],
	attributes: ['name', 'status'],
};
