import type { ResourceSpec } from '../../shared/operation';
import { get } from './get';
import { update } from './update';

export const customerSubscription: ResourceSpec = {
	name: 'Customer Subscription',
	value: 'customerSubscription',
	operations: [get, update],
	attributes: ['mailing_cat_id', 'name', 'description', 'status_email', 'status_sms', 'status_push'],
};
