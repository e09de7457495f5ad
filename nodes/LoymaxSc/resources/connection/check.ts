import type { OperationSpec } from '../../shared/operation';
import { readPage } from '../../shared/jsonapi';
import { readingsReport } from '../../transport/readings';

/**
 * Says what the node found out about the API instance (docs/api-readings.md): the login form and
 * token it uses, the write bodies it took, its rate-limit headers. Sends no write: the envelope is
 * learned at the first write of each kind and shows here afterwards.
 */
export const check: OperationSpec = {
	value: 'check',
	name: 'Check',
	action: 'Check the connection',
	description: 'Log in, read one customer and report how this Loymax SC instance takes logins, tokens and write bodies',
	kind: 'read',
	method: 'GET',
	path: '/customer',
	execute: async ({ client, send }) => {
		const page = readPage((await send('GET', { 'page[number]': 1, 'page[size]': 1 })).body);
		const { baseUrl, bodyFormat } = client.settings;
		return [
			{
				connected: true,
				baseUrl,
				bodyFormat,
				customersRead: page.data.length,
				customersTotal: page.total ?? null,
				pagesLinkNext: page.hasNextLink,
				...readingsReport(baseUrl),
			},
		];
	},
};
