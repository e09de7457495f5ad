import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import { sendWithPolicy, LoymaxRequestError, type RawResponse } from './policy';
import { hostLimiter } from './RateLimiter';
import { sessionFor, type ConnectionOptions } from './session';
import { bearer } from './jwt';
import { joinUrl, transportSettings, type TransportSettings } from './settings';

/**
 * Exchanges username and password for a JWT at `POST /token`, through the host's rate budget as
 * the first in line (every request of the credential waits for it, none holds a slot meanwhile),
 * the way the execution's requests go (proxy, SSL, timeout).
 */
export async function login(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	settings: TransportSettings,
	connection: ConnectionOptions,
	signal?: AbortSignal,
): Promise<string> {
	const response = await sendWithPolicy(
		settings,
		hostLimiter(settings.hostKey),
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
				timeout: connection.timeoutMs,
				proxy: connection.proxy,
				skipSslCertificateValidation: connection.skipSslCertificateValidation,
				abortSignal: signal,
			})) as RawResponse,
		{
			retrySafe: true,
			expectJson: true,
			renewOn401: false,
			urgent: true,
			signal,
			budget: { requestsPerMinute: settings.maxRequestsPerMinute, windowMs: settings.rateWindowMs },
		},
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
 * The credential's preAuthentication. The node logs in before it sends (see ApiClient) and then
 * lets n8n save that token through here; n8n also calls this for the credential's Test and for
 * other nodes using the credential (the HTTP Request node), which get the identity's newest token
 * or a fresh login. Never another identity's token: the session is keyed by a hash of the password.
 */
export async function fetchToken(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<string> {
	const settings = transportSettings(credentials);
	const session = sessionFor(settings.identityKey);
	const latest = session.latestToken();
	if (latest !== undefined && typeof credentials.token === 'string' && credentials.token === '') return latest;
	return await session.login({}, async () => await login(helper, credentials, settings, {}));
}
