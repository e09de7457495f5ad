import type { OperationSpec } from '../../shared/operation';
import { orderIdField } from './fields';

export const get: OperationSpec = {
	value: 'get',
	name: 'Get',
	action: 'Get an order',
	description: 'Retrieve an order (receipt) by ID',
	kind: 'read',
	method: 'GET',
	path: '/order/{orderId}',
	ids: [orderIdField],
};
