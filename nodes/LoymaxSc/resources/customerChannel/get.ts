import type { OperationSpec } from '../../shared/operation';
import { customerIdField } from '../customer/fields';

export const get: OperationSpec = {
	value: 'get',
	name: 'Get',
	action: 'Get channel permissions of a customer',
	description: 'Retrieve whether a customer may be contacted by email, SMS and push',
	kind: 'list',
	fetchAll: true,
	method: 'GET',
	path: '/customer/{customerId}/channel',
	ids: [customerIdField],
};
