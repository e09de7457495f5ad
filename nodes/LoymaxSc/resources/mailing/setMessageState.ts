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
	hints: [
		{
			displayName:
				'The API reference lists one more required text field here whose name was lost. If Loymax SC rejects the request, ask Loymax for the name and add it under Custom Attributes.',
			name: 'lostFieldNotice',
			type: 'notice',
			default: '',
		},
	],
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
	// The docs list one more required String field whose name was lost: Custom Attributes send it.
	customAttributes: true,
	ackAttributes: ['state', 'message_id'],
	retrySafe: true,
};
