import type { ResourceSpec } from '../../shared/operation';
import { get } from './get';
import { update } from './update';

export const customerSubscription: ResourceSpec = {
	name: 'Customer Subscription',
	value: 'customerSubscription',
	operations: [get, update],
};
