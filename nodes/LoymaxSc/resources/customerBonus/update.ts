import type { OperationSpec } from '../../shared/operation';
import { customerIdField } from '../customer/fields';

export const update: OperationSpec = {
	value: 'update',
	name: 'Update',
	action: 'Update the bonus balance of a customer',
	description: 'Set the bonus amounts of a customer',
	kind: 'write',
	method: 'PATCH',
	path: '/customer/{customerId}/bonus',
	ids: [customerIdField],
	hints: [
		{
			displayName:
				'Loymax SC does not document the names of the bonus fields. The fields below are named by this node after the bonus description (active, pending_activation, ...); if your account uses other names, send them as Custom Attributes.',
			name: 'bonusFieldsNotice',
			type: 'notice',
			default: '',
		},
	],
	// Loymax's docs list no bonus fields for this update; these mirror what Get returns.
	optional: [
		{ name: 'active', label: 'Active', type: 'number', description: 'Active bonus amount' },
		{ name: 'pendingActivation', label: 'Pending Activation', type: 'number' },
		{ name: 'pendingDeactivation', label: 'Pending Deactivation', type: 'number' },
		{ name: 'nextDeactivationDate', label: 'Next Deactivation Date', type: 'date' },
		{ name: 'nextDeactivationAmount', label: 'Next Deactivation Amount', type: 'number' },
	],
	customAttributes: true,
	safeUpdate: true,
	returnsRecord: true,
	retrySafe: true,
};
