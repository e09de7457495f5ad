import type { ResourceSpec } from '../../shared/operation';
import { get } from './get';
import { update } from './update';

export const customerBonus: ResourceSpec = {
	name: 'Customer Bonus',
	value: 'customerBonus',
	operations: [get, update],
	attributes: ['active', 'pending_activation', 'pending_deactivation', 'next_deactivation_date', 'next_deactivation_amount'],
};
