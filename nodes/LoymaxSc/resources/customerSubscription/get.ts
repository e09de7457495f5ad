import type { OperationSpec } from '../../shared/operation';
import { customerIdField } from '../customer/fields';

export const get: OperationSpec = {
	value: 'get',
	name: 'Get',
	action: 'Get mailing subscriptions of a customer',
	description: 'Retrieve the mailing categories a customer is subscribed to, per channel',
	kind: 'list',
	fetchAll: true,
	method: 'GET',
	path: '/customer/{customerId}/subscribe',
	ids: [customerIdField],
};
