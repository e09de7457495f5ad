import type { OperationSpec } from '../../shared/operation';
import { mailingSortable, type MailingChannel } from './channel';

export const getAll = (channel: MailingChannel): OperationSpec => ({
	value: 'getAll',
	name: 'Get Many',
	action: `Get many ${channel.noun} mailings`,
	description: `Retrieve a list of ${channel.noun} mailings and campaigns`,
	kind: 'list',
	method: 'GET',
	path: channel.path,
	sortable: mailingSortable,
});
