import type { OperationSpec } from '../../shared/operation';

export const create: OperationSpec = {
	value: 'create',
	name: 'Create',
	action: 'Create a web event',
	description: 'Send a site or app event (visit, product view, cart change, checkout...) to Loymax SC',
	kind: 'write',
	method: 'POST',
	path: '/web_event',
	fields: [
		{ name: 'clientId', label: 'Customer Local ID', type: 'string', required: true, description: "The customer's ID in your own system (local_id)" },
		{ name: 'sessionId', label: 'Session ID', type: 'string', required: true },
		{ name: 'name', label: 'Event Name', type: 'string', required: true, placeholder: 'e.g. user_visit' },
		{ name: 'date', label: 'Date', type: 'dateTime', required: true, description: 'Sent as yyyy-mm-dd hh:mm:ss in the account time zone (a value without a zone as written)' },
	],
	optional: [
		{ name: 'sourceCode', label: 'Source Code', type: 'string', description: 'Code of the event source (Settings > Event sources)' },
		{ name: 'categoryId', label: 'Category Local ID', type: 'string' },
		{ name: 'productId', label: 'Product Local ID', type: 'string' },
		{ name: 'quantity', label: 'Quantity', type: 'number' },
		{ name: 'price', label: 'Price', type: 'number' },
		{ name: 'container', label: 'Container', type: 'string', placeholder: 'e.g. cart' },
	],
	ackAttributes: ['client_id', 'session_id', 'name'],
	retrySafe: false,
};
