import type { ResourceSpec } from '../../shared/operation';
import { get } from './get';
import { update } from './update';

export const customerBonus: ResourceSpec = {
	name: 'Customer Bonus',
	value: 'customerBonus',
	operations: [get, update],
};
