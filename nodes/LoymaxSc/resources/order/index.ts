import type { ResourceSpec } from '../../shared/operation';
import { get } from './get';
import { getAll } from './getAll';
import { update } from './update';
import { upsert } from './upsert';

export const order: ResourceSpec = {
	name: 'Order',
	value: 'order',
	operations: [upsert, update, get, getAll],
	attributes: ['local_id', 'date', 'client_id', 'number', 'status_name', 'items_cnt', 'items_sum', 'items'],
};
