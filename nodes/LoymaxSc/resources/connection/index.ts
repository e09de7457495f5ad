import type { ResourceSpec } from '../../shared/operation';
import { check } from './check';

export const connection: ResourceSpec = {
	name: 'Connection',
	value: 'connection',
	operations: [check],
};
