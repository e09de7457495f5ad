import type { FieldSpec } from '../../shared/fields';

/** Email, SMS and push mailings share their routes under /communication/<channel>. */
export interface MailingChannel {
	resource: 'emailMailing' | 'smsMailing' | 'pushMailing';
	label: string;
	/** Article for action texts: an email, an SMS, a push. */
	article: 'a' | 'an';
	path: '/communication/email' | '/communication/sms' | '/communication/push';
	searchMethod: string;
}

export const channels: Record<'email' | 'sms' | 'push', MailingChannel> = {
	email: { resource: 'emailMailing', label: 'Email', article: 'an', path: '/communication/email', searchMethod: 'searchEmailMailings' },
	sms: { resource: 'smsMailing', label: 'SMS', article: 'an', path: '/communication/sms', searchMethod: 'searchSmsMailings' },
	push: { resource: 'pushMailing', label: 'Push', article: 'a', path: '/communication/push', searchMethod: 'searchPushMailings' },
};

export const mailingIdField = (channel: MailingChannel): FieldSpec => ({
	name: 'mailingId',
	label: `${channel.label} Mailing`,
	type: 'locator',
	required: true,
	searchMethod: channel.searchMethod,
	description: `The ${channel.label} mailing (its ID in Loymax SC)`,
});

export const mailingSortable = ['id', 'name', 'status', 'date'];
