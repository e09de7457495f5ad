import type { ResourceSpec } from '../../shared/operation';
import { getAll } from './getAll';

export const blacklist: ResourceSpec = {
	name: 'Blacklist',
	value: 'blacklist',
	operations: [getAll],
	attributes: ['value', 'date'],
};
