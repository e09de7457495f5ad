import type { ResourceSpec } from '../../shared/operation';
import { get } from './get';
import { update } from './update';

export const customerChannel: ResourceSpec = {
	name: 'Customer Channel',
	value: 'customerChannel',
	operations: [get, update],
	attributes: ['type', 'subtype', 'value'],
};
