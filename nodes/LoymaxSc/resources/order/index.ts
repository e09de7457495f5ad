import type { ResourceSpec } from '../../shared/operation';
import { get } from './get';
import { getAll } from './getAll';
import { update } from './update';
import { upsert } from './upsert';

export const order: ResourceSpec = {
	name: 'Order',
	value: 'order',
	operations: [upsert, update, get, getAll],
};
