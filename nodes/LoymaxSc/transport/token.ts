import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import { sendWithPolicy, LoymaxRequestError, type RawResponse } from './policy';
import { sessionFor } from './session';
import { bearer } from './jwt';
import { joinUrl, transportSettings } from './settings';

async function login(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<string> {
	const settings = transportSettings(credentials);
	const session = sessionFor(settings);
	const response = await sendWithPolicy(
		settings,
		session.limiter,
		async () =>
			(await helper.helpers.httpRequest({
				method: 'POST',
				url: joinUrl(settings.baseUrl, '/token'),
				headers: { 'Content-Type': 'application/json', Accept: 'application/vnd.api+json, application/json' },
				body: {
					data: { attributes: { username: credentials.username, password: credentials.password } },
				},
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				// The login goes the way the node's requests go (proxy, SSL, timeout).
				timeout: session.connection.timeoutMs,
				proxy: session.connection.proxy,
				skipSslCertificateValidation: session.connection.skipSslCertificateValidation,
			})) as RawResponse,
		{ retrySafe: true, expectJson: true, renewOn401: false, urgent: true },
	).catch((error: LoymaxRequestError) => {
		if (error.kind === 'client' || error.kind === 'unauthorized') {
			throw new LoymaxRequestError(
				`Loymax SC login failed: ${error.errors[0]?.title ?? error.message}`,
				'unauthorized',
				error.httpCode,
				'Check the Username and Password of the Loymax SC credential (an API user with the API role) and its Base URL.',
				error.errors,
			);
		}
		throw error;
	});
	const body = response.body as { data?: { attributes?: { access_token?: unknown } } };
	const accessToken = body?.data?.attributes?.access_token;
	if (typeof accessToken !== 'string' || accessToken.trim() === '') {
		throw new LoymaxRequestError(
			'Loymax SC login failed: the response has no data.attributes.access_token',
			'invalidResponse',
			response.statusCode,
			'The Base URL may not point at the Loymax SC API.',
		);
	}
	return bearer(accessToken);
}

/**
 * The credential's preAuthentication: exchanges username and password for a JWT. n8n stores the
 * result in the credential (encrypted) and calls this again when the token is empty or rejected.
 */
export async function fetchToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const settings = transportSettings(credentials);
	return await sessionFor(settings).coalesceLogin(async () => await login(helper, credentials));
}
