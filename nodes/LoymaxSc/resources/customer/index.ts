import type { ResourceSpec } from '../../shared/operation';
import { customerAttributes } from './fields';
import { get } from './get';
import { getAll } from './getAll';
import { getMailings } from './getMailings';
import { update } from './update';
import { upsert } from './upsert';

export const customer: ResourceSpec = {
	name: 'Customer',
	value: 'customer',
	operations: [upsert, update, get, getAll, getMailings],
	attributes: customerAttributes,
};
