import {
	NodeApiError,
	type ICredentialsDecrypted,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteSingleFunctions,
	type IHttpRequestMethods,
	type ILoadOptionsFunctions,
	type IPollFunctions,
	type IHttpRequestOptions,
	type JsonObject,
} from 'n8n-workflow';

import { findLoymaxError, sendWithPolicy, type RawResponse } from './policy';
import { limiterFor } from './RateLimiter';
import { CREDENTIAL_TYPE, joinUrl, transportSettings, type TransportSettings } from './settings';
import { markTokenRejected, tokenNeedsRenewal } from './token';

export interface ApiRequest {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: unknown;
	headers?: Record<string, string>;
	/** Whether the request may be repeated after it may have reached the server. */
	retrySafe: boolean;
	timeoutMs?: number;
}

/** Item-level calls of the routing engine, and "From List" searches in the editor. */
export type RequestContext = IExecuteSingleFunctions | ILoadOptionsFunctions | IPollFunctions;

const itemIndexOf = (context: RequestContext) => ('getItemIndex' in context ? context.getItemIndex() : undefined);

/** How long a credential read is trusted: n8n loads and decrypts the credential on every read. */
const SNAPSHOT_MAX_AGE_MS = 1_000;

/** The credential as one item's requests see it, read again only when it may have changed. */
export class CredentialSnapshot {
	private data?: ICredentialDataDecryptedObject;
	private readAt = 0;

	constructor(private readonly context: RequestContext) {}

	async get(maxAgeMs = SNAPSHOT_MAX_AGE_MS): Promise<ICredentialDataDecryptedObject> {
		if (!this.data || Date.now() - this.readAt > maxAgeMs) {
			this.data = await this.context.getCredentials(CREDENTIAL_TYPE);
			this.readAt = Date.now();
		}
		return this.data;
	}

	async settings(): Promise<TransportSettings> {
		return transportSettings(await this.get());
	}

	/** A token this request obtained (n8n has saved it in the credential store as well). */
	remember(token: unknown): void {
		if (this.data && typeof token === 'string' && token !== '') this.data = { ...this.data, token };
	}
}

/** The user-facing form of a failed request: the API's title and validation details, never a stack or HTML. */
export function toNodeApiError(context: RequestContext, error: unknown): NodeApiError {
	const ours = findLoymaxError(error);
	if (!ours) return new NodeApiError(context.getNode(), error as JsonObject, { itemIndex: itemIndexOf(context) });
	return new NodeApiError(
		context.getNode(),
		{ message: ours.message, errors: ours.errors } as unknown as JsonObject,
		{
			message: ours.message,
			description: ours.description,
			httpCode: ours.httpCode === undefined ? undefined : String(ours.httpCode),
			itemIndex: itemIndexOf(context),
		},
	);
}

// Per credential: the request that is logging in; the others wait for it instead of joining the
// login from inside their own request, so that they leave afterwards in their original order.
const tokenGates = new Map<string, Promise<void>>();

/** Waits while another request logs in; returns a release function when this request is the one to log in. */
async function passTokenGate(credentials: CredentialSnapshot, key: string): Promise<(() => void) | undefined> {
	for (let waited = false; ; waited = true) {
		const { token } = await credentials.get(waited ? 0 : undefined);
		if (token && !tokenNeedsRenewal(token)) return undefined;
		const gate = tokenGates.get(key);
		if (!gate) {
			let release!: () => void;
			tokenGates.set(key, new Promise<void>((resolve) => (release = resolve)));
			return () => {
				tokenGates.delete(key);
				release();
			};
		}
		await gate;
		// Logged in (or failed: then the next request tries, and a failed login is shared for a moment).
		if (!tokenGates.has(key)) return undefined;
	}
}

/**
 * Every call of the node goes through here: one rate limiter per credential, the token renewed
 * shortly before it expires (through n8n's own preAuthentication, so it stays in the credential
 * store), 429 pauses, and retries where repeating is safe.
 */
export async function loymaxApiRequest(
	context: RequestContext,
	request: ApiRequest,
	credentials = new CredentialSnapshot(context),
): Promise<RawResponse> {
	const settings = await credentials.settings();
	const options: IHttpRequestOptions = {
		method: request.method,
		url: joinUrl(settings.baseUrl, request.path),
		qs: request.qs,
		headers: {
			// Accepted by every endpoint; event and dictionary writes accept nothing else.
			'Content-Type': 'application/json',
			Accept: 'application/vnd.api+json, application/json',
			...request.headers,
		},
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: request.timeoutMs,
	};
	if (request.body !== undefined) options.body = request.body as IDataObject;

	let sentToken: unknown;
	const releaseGate = await passTokenGate(credentials, settings.limiterKey);
	try {
		return await sendWithPolicy(
			settings,
			limiterFor(settings.limiterKey, settings.maxRequestsPerMinute),
			async (afterRejection) => {
				const current = await credentials.get(afterRejection ? 0 : undefined);
				// After a 401, renew unless another request already replaced the rejected token.
				const rejected = afterRejection && current.token === sentToken;
				if (rejected) markTokenRejected(sentToken);
				const renew = rejected || tokenNeedsRenewal(current.token);
				// n8n runs preAuthentication when the token is empty, saves the new one in the credential
				// store, and writes it into this object, which tells us which token was sent.
				const credentialsDecrypted: ICredentialsDecrypted = {
					id: context.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? '',
					name: context.getNode().credentials?.[CREDENTIAL_TYPE]?.name ?? '',
					type: CREDENTIAL_TYPE,
					data: { ...current, token: renew ? '' : (current.token ?? '') },
				};
				try {
					return (await context.helpers.httpRequestWithAuthentication.call(
						context,
						CREDENTIAL_TYPE,
						{ ...options, headers: { ...options.headers } },
						{ credentialsDecrypted },
					)) as RawResponse;
				} finally {
					sentToken = credentialsDecrypted.data?.token;
					if (renew) credentials.remember(sentToken);
				}
			},
			{ retrySafe: request.retrySafe, expectJson: request.method !== 'DELETE', renewOn401: true },
		);
	} catch (error) {
		throw toNodeApiError(context, error);
	} finally {
		releaseGate?.();
	}
}
