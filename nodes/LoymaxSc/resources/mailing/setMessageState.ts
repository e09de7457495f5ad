import type { OperationSpec } from '../../shared/operation';
import { deviceIdHeader, sourceCodeField } from '../customerDevice/fields';

export const setMessageState: OperationSpec = {
	value: 'setMessageState',
	name: 'Set Message State',
	action: 'Set the state of a push message',
	description: 'Report that a push message was delivered to or read on a device',
	kind: 'write',
	method: 'POST',
	path: '/communication/push/state',
	headers: [deviceIdHeader],
	fields: [
		{
			name: 'state',
			label: 'State',
			type: 'options',
			required: true,
			options: [
				{ name: 'Delivered', value: 'Delivered' },
				{ name: 'Read', value: 'Read' },
			],
			default: 'Delivered',
		},
		{ name: 'messageId', label: 'Message ID', type: 'string', required: true, description: 'ID of the push message, from its payload' },
	],
	optional: [sourceCodeField],
	ackAttributes: ['state', 'message_id'],
	retrySafe: true,
};
