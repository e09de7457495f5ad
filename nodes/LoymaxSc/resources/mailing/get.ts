import type { OperationSpec } from '../../shared/operation';
import { mailingIdField, type MailingChannel } from './channel';

export const get = (channel: MailingChannel): OperationSpec => ({
	value: 'get',
	name: 'Get',
	action: `Get ${channel.article} ${channel.noun} mailing by ID`,
	description: `Retrieve ${channel.article} ${channel.noun} mailing or campaign with its statistics`,
	kind: 'read',
	method: 'GET',
	path: `${channel.path}/{mailingId}`,
	ids: [mailingIdField(channel)],
});
