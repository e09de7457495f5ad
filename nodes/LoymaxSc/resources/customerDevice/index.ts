import type { ResourceSpec } from '../../shared/operation';
import { deleteDevice } from './delete';
import { getAll } from './getAll';
import { register } from './register';

export const customerDevice: ResourceSpec = {
	name: 'Customer Device',
	value: 'customerDevice',
	operations: [register, getAll, deleteDevice],
	attributes: ['token', 'platform', 'source_code'],
};
