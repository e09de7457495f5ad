import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import { login } from './login';
import { sessionFor } from './session';
import { transportSettings } from './settings';

/**
 * The credential's preAuthentication: exchanges username and password for a JWT. n8n stores the
 * result in the credential (encrypted) and calls this again when the token is empty or rejected.
 */
export async function fetchToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const session = sessionFor(transportSettings(credentials));
	return await session.coalesceLogin(async () => await login(helper, credentials, session.connection));
}
