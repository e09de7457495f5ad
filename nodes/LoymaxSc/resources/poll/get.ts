import type { OperationSpec } from '../../shared/operation';
import { pollIdField } from './fields';

export const get: OperationSpec = {
	value: 'get',
	name: 'Get',
	action: 'Get a poll by ID',
	description: 'Retrieve a poll by ID',
	kind: 'read',
	method: 'GET',
	path: '/communication/poll/{pollId}',
	ids: [pollIdField],
};
