import {
	NodeApiError,
	type ICredentialsDecrypted,
	type IDataObject,
	type IExecuteSingleFunctions,
	type IHttpRequestMethods,
	type ILoadOptionsFunctions,
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
export type RequestContext = IExecuteSingleFunctions | ILoadOptionsFunctions;

const itemIndexOf = (context: RequestContext) => ('getItemIndex' in context ? context.getItemIndex() : undefined);

export async function credentialSettings(context: RequestContext): Promise<TransportSettings> {
	return transportSettings(await context.getCredentials(CREDENTIAL_TYPE));
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
async function passTokenGate(context: RequestContext, key: string): Promise<(() => void) | undefined> {
	for (;;) {
		const { token } = await context.getCredentials(CREDENTIAL_TYPE);
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
export async function loymaxApiRequest(context: RequestContext, request: ApiRequest): Promise<RawResponse> {
	const settings = await credentialSettings(context);
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
	const releaseGate = await passTokenGate(context, settings.limiterKey);
	try {
		return await sendWithPolicy(
			settings,
			limiterFor(settings.limiterKey, settings.maxRequestsPerMinute),
			async (afterRejection) => {
				const credentials = await context.getCredentials(CREDENTIAL_TYPE);
				// After a 401, renew unless another request already replaced the rejected token.
				const rejected = afterRejection && credentials.token === sentToken;
				if (rejected) markTokenRejected(sentToken);
				const renew = rejected || tokenNeedsRenewal(credentials.token);
				// n8n runs preAuthentication when the token is empty, saves the new one in the credential
				// store, and writes it into this object, which tells us which token was sent.
				const credentialsDecrypted: ICredentialsDecrypted = {
					id: context.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? '',
					name: context.getNode().credentials?.[CREDENTIAL_TYPE]?.name ?? '',
					type: CREDENTIAL_TYPE,
					data: { ...credentials, token: renew ? '' : (credentials.token ?? '') },
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
