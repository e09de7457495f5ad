import type { OperationSpec } from '../../shared/operation';
import { customerIdField } from '../customer/fields';

export const update: OperationSpec = {
	value: 'update',
	name: 'Update',
	action: 'Update channel permissions of a customer',
	description: 'Allow or forbid email, SMS and push for a customer; only the channels you add are changed',
	kind: 'write',
	method: 'POST',
	path: '/customer/{customerId}/channel',
	ids: [customerIdField],
	envelopeDocumented: true,
	optionalCollection: 'updateFields',
	optional: [
		{ name: 'email', label: 'Email', type: 'yesNo' },
		{ name: 'sms', label: 'SMS', type: 'yesNo' },
		{ name: 'push', label: 'Push', type: 'yesNo' },
	],
	check: (attributes) =>
		Object.keys(attributes).length ? undefined : { field: 'Update Fields', problem: 'add at least one channel' },
	ackAttributes: ['email', 'sms', 'push'],
	retrySafe: true,
};
