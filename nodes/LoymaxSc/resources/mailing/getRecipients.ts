import type { OperationSpec } from '../../shared/operation';
import { mailingIdField, type MailingChannel } from './channel';

export const getRecipients = (channel: MailingChannel): OperationSpec => ({
	value: 'getRecipients',
	name: 'Get Recipients',
	action: `Get recipients of ${channel.article} ${channel.noun} mailing by ID`,
	description: `Retrieve the customers who took part in ${channel.article} ${channel.noun} mailing`,
	kind: 'list',
	method: 'GET',
	path: `${channel.path}/{mailingId}/customers`,
	ids: [mailingIdField(channel)],
	sortable: ['id', 'local_id', 'status'],
	outputAttributes: ['local_id', 'status'],
});
