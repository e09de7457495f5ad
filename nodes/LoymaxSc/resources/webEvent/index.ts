import type { ResourceSpec } from '../../shared/operation';
import { create } from './create';

export const webEvent: ResourceSpec = {
	name: 'Web Event',
	value: 'webEvent',
	operations: [create],
};
