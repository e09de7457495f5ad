import type { OperationSpec } from '../../shared/operation';
import { mailingSortable, type MailingChannel } from './channel';

export const getAll = (channel: MailingChannel): OperationSpec => ({
	value: 'getAll',
	name: 'Get Many',
	action: `Get many ${channel.label} mailings`,
	description: `Retrieve a list of ${channel.label} mailings and campaigns`,
	kind: 'list',
	method: 'GET',
	path: channel.path,
	sortable: mailingSortable,
});
