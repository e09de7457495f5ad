import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import { login } from './login';
import { sessionFor } from './session';
import { transportSettings } from './settings';

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
	return await session.login({}, async () => await login(helper, credentials, {}));
}
