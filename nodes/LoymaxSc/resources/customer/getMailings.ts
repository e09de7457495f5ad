import type { OperationSpec } from '../../shared/operation';
import { customerIdField } from './fields';

export const getMailings: OperationSpec = {
	value: 'getMailings',
	name: 'Get Mailings',
	action: 'Get mailings of a customer',
	description: 'Retrieve the mailings and campaigns a customer received',
	kind: 'list',
	method: 'GET',
	path: '/customer/{customerId}/mailing',
	ids: [customerIdField],
	sortable: ['id', 'date', 'name', 'channel'],
	outputAttributes: ['date', 'name', 'channel'],
};
