import type { ResourceSpec } from '../../shared/operation';
import { create } from './create';

export const messageEvent: ResourceSpec = {
	name: 'Message Event',
	value: 'messageEvent',
	operations: [create],
};
