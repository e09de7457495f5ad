import type { INodeType } from 'n8n-workflow';

import { LoymaxScApi } from '../../credentials/LoymaxScApi.credentials';

const credentialType = new LoymaxScApi();

/**
 * What n8n's credential tester runs for a `test.request`: a declarative node whose requestDefaults
 * are the test request, executed with the credential.
 */
export const credentialTestNode: INodeType = {
	description: {
		displayName: 'Credential Test',
		name: 'credentialTest',
		group: ['transform'],
		version: 1,
		description: 'Runs the test request of the Loymax SC credential',
		defaults: { name: 'Credential Test' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'loymaxScApi', required: true }],
		requestDefaults: credentialType.test.request,
		properties: [],
	},
};

/**
 * The text n8n's credential tester (CredentialsTester.testCredentials in n8n's cli package) shows
 * when the test request fails: the HTTP status text of an HTTP error, else the system error code,
 * else the error's message.
 */
export function testerMessage(error: (Error & { cause?: { response?: { status?: number; statusText?: string }; code?: unknown } }) | undefined) {
	if (!error) return 'Connection successful!';
	const { cause } = error;
	if (cause?.response) return cause.response.statusText || `Received HTTP status code: ${cause.response.status}`;
	if (cause?.code) return String(cause.code);
	return error.message;
}

