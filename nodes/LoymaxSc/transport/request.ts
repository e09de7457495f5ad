import {
	NodeApiError,
	type ICredentialsDecrypted,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IExecuteSingleFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { findLoymaxError, sendWithPolicy, type LoymaxRequestError, type RawResponse } from './policy';
import { logReadings } from './readings';
import { sessionFor, type ConnectionOptions, type Session } from './session';
import { CREDENTIAL_TYPE, joinUrl, transportSettings, type TransportSettings } from './settings';

export interface ApiRequest {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: unknown;
	headers?: Record<string, string>;
	/** Whether the request may be repeated after it may have reached the server. */
	retrySafe: boolean;
	/** The input item the request is for: errors carry it, so n8n shows which item failed. */
	itemIndex?: number;
	/** What the request is about (e.g. `Customer ID "C-1"`), named when the API answers Not Found. */
	subject?: string;
}

export type { ConnectionOptions };

/** Anything that may send with the credential: the node, its "From List" searches, the trigger. */
export type RequestContext = IExecuteFunctions | IExecuteSingleFunctions | ILoadOptionsFunctions | IPollFunctions;

/** The user-facing form of a failed request: the API's title and validation details, never a stack or HTML. */
export function toNodeApiError(context: RequestContext, error: unknown, request?: Pick<ApiRequest, 'itemIndex' | 'subject'>): NodeApiError {
	const itemIndex = request?.itemIndex;
	const ours = findLoymaxError(error);
	if (!ours) return new NodeApiError(context.getNode(), error as JsonObject, { itemIndex });
	const notFound = ours.httpCode === 404 && request?.subject ? ` (${request.subject})` : '';
	const message = `${ours.message}${notFound}`;
	return new NodeApiError(context.getNode(), { message, errors: ours.errors } as unknown as JsonObject, {
		message,
		description: ours.description,
		httpCode: ours.httpCode === undefined ? undefined : String(ours.httpCode),
		itemIndex,
	});
}

/**
 * One execution's connection to Loymax SC: the credential read once, the session of that API user
 * (rate budget, token, logins) and n8n's request options. Every request goes through `request`.
 */
export class ApiClient {
	readonly settings: TransportSettings;
	readonly session: Session;
	/** A failed login fails the rest of the execution's requests at once, without more token calls. */
	private loginFailure?: LoymaxRequestError;

	private constructor(
		private readonly context: RequestContext,
		private credentials: ICredentialDataDecryptedObject,
		private readonly connection: ConnectionOptions,
	) {
		this.settings = transportSettings(credentials);
		this.session = sessionFor(this.settings);
	}

	/** Reads the credential (n8n loads and decrypts it on every read, so once per execution). */
	static async open(context: RequestContext, connection: ConnectionOptions = {}): Promise<ApiClient> {
		return new ApiClient(context, await context.getCredentials(CREDENTIAL_TYPE), connection);
	}

	/**
	 * Sends one logical request: the token renewed shortly before it expires (through n8n's own
	 * preAuthentication, so it stays in the credential store), the rate budget, 429 pauses, and
	 * retries where repeating is safe.
	 */
	async request(request: ApiRequest): Promise<RawResponse> {
		const { context, session, settings } = this;
		if (this.loginFailure) throw toNodeApiError(context, this.loginFailure, request);
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
			timeout: this.connection.timeoutMs,
			proxy: this.connection.proxy,
			skipSslCertificateValidation: this.connection.skipSslCertificateValidation,
		};
		if (request.body !== undefined) options.body = request.body as IDataObject;
		const credentialRef = context.getNode().credentials?.[CREDENTIAL_TYPE];

		let sentToken: unknown;
		// While one request logs in, the others wait and then leave in their order.
		const releaseGate = await session.passGate(() => this.credentials.token);
		try {
			return await sendWithPolicy(
				settings,
				session.limiter,
				async (afterRejection) => {
					if (afterRejection) session.reject(sentToken);
					const token = session.usableToken(this.credentials.token);
					if (token === undefined) session.connection = this.connection;
					// n8n runs preAuthentication when the token is empty, saves the new one in the
					// credential store and writes it into this object.
					const credentialsDecrypted: ICredentialsDecrypted = {
						id: credentialRef?.id ?? '',
						name: credentialRef?.name ?? '',
						type: CREDENTIAL_TYPE,
						data: { ...this.credentials, token: token ?? '' },
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
						if (token === undefined && typeof sentToken === 'string' && sentToken !== '') {
							session.remember(sentToken);
							this.credentials = { ...this.credentials, token: sentToken };
						}
					}
				},
				{
					retrySafe: request.retrySafe,
					expectJson: request.method === 'GET',
					renewOn401: true,
					loginFailureSince: (since) => (this.loginFailure = session.loginFailureSince(since)),
				},
			);
		} catch (error) {
			throw toNodeApiError(context, error, request);
		} finally {
			releaseGate?.();
			logReadings(context.logger, settings.baseUrl);
		}
	}
}
