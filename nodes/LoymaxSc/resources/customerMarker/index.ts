import type { ResourceSpec } from '../../shared/operation';
import { add } from './add';
import { getAll } from './getAll';
import { remove } from './remove';

export const customerMarker: ResourceSpec = {
	name: 'Customer Marker',
	value: 'customerMarker',
	operations: [add, getAll, remove],
	attributes: ['name'],
};
