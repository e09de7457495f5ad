import type { ResourceSpec } from '../../shared/operation';
import { channels, mailingSortable, type MailingChannel } from './channel';
import { get } from './get';
import { getAll } from './getAll';
import { getRecipients } from './getRecipients';
import { setMessageState } from './setMessageState';

const mailingResource = (channel: MailingChannel, ...extra: ResourceSpec['operations']): ResourceSpec => ({
	name: `${channel.label} Mailing`,
	value: channel.resource,
	operations: [get(channel), getAll(channel), getRecipients(channel), ...extra],
	attributes: mailingSortable.filter((name) => name !== 'id'),
});

export const emailMailing = mailingResource(channels.email);
export const smsMailing = mailingResource(channels.sms);
export const pushMailing = mailingResource(channels.push, setMessageState);
