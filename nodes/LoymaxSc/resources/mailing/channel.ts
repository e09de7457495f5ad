import type { FieldSpec } from '../../shared/fields';

/** Email, SMS and push mailings share their routes under /communication/<channel>. */
export interface MailingChannel {
	resource: 'emailMailing' | 'smsMailing' | 'pushMailing';
	/** Title Case, for labels: Email, SMS, Push. */
	label: string;
	/** Sentence case, for actions and descriptions: email, SMS, push. */
	noun: string;
	/** Its article: an email, an SMS, a push. */
	article: 'a' | 'an';
	path: '/communication/email' | '/communication/sms' | '/communication/push';
	searchMethod: string;
}

export const channels: Record<'email' | 'sms' | 'push', MailingChannel> = {
	email: { resource: 'emailMailing', label: 'Email', noun: 'email', article: 'an', path: '/communication/email', searchMethod: 'searchEmailMailings' },
	sms: { resource: 'smsMailing', label: 'SMS', noun: 'SMS', article: 'an', path: '/communication/sms', searchMethod: 'searchSmsMailings' },
	push: { resource: 'pushMailing', label: 'Push', noun: 'push', article: 'a', path: '/communication/push', searchMethod: 'searchPushMailings' },
};

export const mailingIdField = (channel: MailingChannel): FieldSpec => ({
	name: 'mailingId',
	label: `${channel.label} Mailing`,
	type: 'locator',
	required: true,
	searchMethod: channel.searchMethod,
	description: `The ${channel.noun} mailing (its ID in Loymax SC)`,
});

export const mailingSortable = ['id', 'name', 'status', 'date'];
