import type { ResourceSpec } from '../../shared/operation';
import { add } from './add';

export const customerContact: ResourceSpec = {
	name: 'Customer Contact',
	value: 'customerContact',
	operations: [add],
};
