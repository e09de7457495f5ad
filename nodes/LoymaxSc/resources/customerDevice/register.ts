import type { OperationSpec } from '../../shared/operation';
import { customerIdField } from '../customer/fields';
import { deviceIdHeader, sourceCodeField } from './fields';

export const register: OperationSpec = {
	value: 'register',
	name: 'Register',
	action: 'Register a device of a customer',
	description: 'Register a mobile device and its push token for a customer',
	kind: 'write',
	method: 'POST',
	path: '/customer/{customerId}/device',
	ids: [customerIdField],
	headers: [deviceIdHeader],
	fields: [
		{ name: 'registrationId', label: 'Push Token', apiName: 'token', type: 'string', required: true },
		{
			name: 'platform',
			label: 'Platform',
			type: 'options',
			required: true,
			options: [
				{ name: 'Android', value: 'Android' },
				{ name: 'HarmonyOS', value: 'Harmony' },
				{ name: 'iOS', value: 'Ios' },
			],
			default: 'Android',
		},
	],
	optional: [sourceCodeField],
	returnsRecord: true,
	retrySafe: true,
	alreadyDoneStatus: 409,
};
