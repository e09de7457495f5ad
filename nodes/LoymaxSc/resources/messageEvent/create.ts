import type { OperationSpec } from '../../shared/operation';

export const create: OperationSpec = {
	value: 'create',
	name: 'Create',
	action: 'Log a message event',
	description: 'Log what happened to a message: delivered, opened, clicked, marked as spam or unsubscribed',
	kind: 'write',
	method: 'POST',
	path: '/communication/{channel}/events',
	ids: [
		{
			name: 'channel',
			label: 'Channel',
			type: 'options',
			required: true,
			options: [
				{ name: 'Bot', value: 'bot' },
				{ name: 'Email', value: 'email' },
				{ name: 'Push', value: 'push' },
				{ name: 'SMS', value: 'sms' },
			],
			default: 'push',
		},
	],
	fields: [
		{
			name: 'eventType',
			label: 'Event Type',
			apiName: 'type',
			type: 'options',
			required: true,
			options: [
				{ name: 'Click', value: 'click' },
				{ name: 'Delivered', value: 'delivered' },
				{ name: 'Open', value: 'open' },
				{ name: 'Spam', value: 'spam' },
				{ name: 'Unsubscribe', value: 'unsubscribe' },
			],
			default: 'delivered',
		},
		{ name: 'messageId', label: 'Message ID', type: 'string', required: true },
		{
			name: 'externalClientId',
			label: 'Customer Local ID',
			type: 'string',
			required: true,
			description: "The customer's ID in your own system (local_id)",
		},
	],
	// Loymax's OpenAPI file: this endpoint takes {"data":[events]}, not the attributes envelope.
	envelopeDocumented: true,
	listBody: true,
	ackAttributes: ['type', 'message_id', 'external_client_id'],
	retrySafe: false,
};
