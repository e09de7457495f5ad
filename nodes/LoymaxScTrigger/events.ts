/**
 * The trigger's events: every top-level collection of the API. Each takes the page and sort
 * parameters the API documents for all collections, and its records carry the Platform ID the API
 * assigns on creation, so sorting by it descending lists new records first. Collections under a
 * customer, a mailing or a dictionary need a parent ID and are left out; web events cannot be listed.
 */
export interface TriggerEvent {
	value: string;
	name: string;
	description: string;
	path: string;
	/** Plural noun for messages. */
	records: string;
}

export const triggerEvents: TriggerEvent[] = [
	{ value: 'newCustomer', name: 'New Customer', description: 'A customer is registered', path: '/customer', records: 'customers' },
	{ value: 'newOrder', name: 'New Order', description: 'An order (receipt) arrives', path: '/order', records: 'orders' },
	{ value: 'newEvent', name: 'New Event', description: 'An event is logged', path: '/event', records: 'events' },
	{ value: 'newProduct', name: 'New Product', description: 'A product is added to the catalogue', path: '/product', records: 'products' },
	{
		value: 'newProductCategory',
		name: 'New Product Category',
		description: 'A product category is added to the catalogue',
		path: '/category',
		records: 'product categories',
	},
	{
		value: 'newEmailMailing',
		name: 'New Email Mailing',
		description: 'An email mailing is created',
		path: '/communication/email',
		records: 'email mailings',
	},
	{ value: 'newSmsMailing', name: 'New SMS Mailing', description: 'An SMS mailing is created', path: '/communication/sms', records: 'SMS mailings' },
	{
		value: 'newPushMailing',
		name: 'New Push Mailing',
		description: 'A push mailing is created',
		path: '/communication/push',
		records: 'push mailings',
	},
	{ value: 'newPoll', name: 'New Poll', description: 'A poll is created', path: '/communication/poll', records: 'polls' },
	{
		value: 'newPromoCodeGroup',
		name: 'New Promo Code Group',
		description: 'A promo code group is created',
		path: '/promocode-group',
		records: 'promo code groups',
	},
	{
		value: 'newBlacklistedEmail',
		name: 'New Blacklisted Email',
		description: 'An email address is added to the black list',
		path: '/black-list/email',
		records: 'blacklisted email addresses',
	},
	{
		value: 'newBlacklistedPhone',
		name: 'New Blacklisted Phone',
		description: 'A phone number is added to the black list',
		path: '/black-list/phone',
		records: 'blacklisted phone numbers',
	},
];
