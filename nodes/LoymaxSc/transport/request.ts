import {
	NodeApiError,
	NodeOperationError,
	type IHttpRequestHelper,
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

import { cancelledError, findLoymaxError, sendWithPolicy, TokenLapsed, type RawResponse } from './policy';
import { hostLimiter, type RateLimiter } from './RateLimiter';
import { logReadings } from './readings';
import { sessionFor, type ConnectionOptions, type Session } from './session';
import { CREDENTIAL_TYPE, InvalidSettingError, joinUrl, transportSettings, type TransportSettings } from './settings';
import { login } from './login';

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
	/** Statuses meaning "already done" when an earlier attempt may have reached the API. */
	alreadyDoneStatuses?: number[];
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

/** The credential's settings, or the setting it cannot use. */
function readSettings(credentials: ICredentialDataDecryptedObject): TransportSettings | InvalidSettingError {
	try {
		return transportSettings(credentials);
	} catch (error) {
		if (error instanceof InvalidSettingError) return error;
		return new InvalidSettingError('Base URL', `cannot be used: ${(error as Error).message}`);
	}
}

/** A request context that may offer n8n's cancel signal (executions do; polls and searches do not). */
type MaybeCancellable = { getExecutionCancelSignal?: () => AbortSignal | undefined };

/**
 * One execution's connection to Loymax SC: the credential read once, its identity's session
 * (token, logins), its host's rate budget, and what belongs to the execution alone: n8n's request
 * options (proxy, SSL, timeout) and its cancel signal. Every request goes through `request`.
 */
export class ApiClient {
	readonly settings: TransportSettings;
	readonly session: Session;
	readonly limiter: RateLimiter;
	readonly signal?: AbortSignal;

	private constructor(
		private readonly context: RequestContext,
		private credentials: ICredentialDataDecryptedObject,
		private readonly connection: ConnectionOptions,
	) {
		const settings = readSettings(credentials);
		if (settings instanceof InvalidSettingError) {
			throw new NodeOperationError(context.getNode(), settings.message, {
				description: 'Open the Loymax SC credential (Advanced Settings) and correct the value.',
			});
		}
		this.settings = settings;
		this.session = sessionFor(this.settings.identityKey);
		this.limiter = hostLimiter(this.settings.hostKey);
		this.signal = (context as MaybeCancellable).getExecutionCancelSignal?.();
	}

	/** Reads the credential (n8n loads and decrypts it on every read, so once per execution). */
	static async open(context: RequestContext, connection: ConnectionOptions = {}): Promise<ApiClient> {
		return new ApiClient(context, await context.getCredentials(CREDENTIAL_TYPE), connection);
	}

	get cancelled(): boolean {
		return this.signal?.aborted === true;
	}

	/**
	 * Makes sure a usable token exists before a request takes its slot: one request of the identity
	 * logs in (first in the host's queue), the others wait at the gate without holding a slot, so a
	 * login can never wait behind the requests that wait for it. The gate opens once the login is done.
	 * Answers whether the request needs n8n to save a new token (it then sends an empty one and
	 * preAuthentication hands n8n the token just obtained).
	 */
	private async ensureToken(after401: boolean): Promise<{ token: string; fresh: boolean }> {
		const { session, signal } = this;
		const stored = () => this.credentials.token;
		const refusal = session.recentRefusal();
		if (refusal) throw refusal;
		const releaseGate = await session.passGate(stored, signal);
		if (signal?.aborted) {
			releaseGate?.();
			throw cancelledError();
		}
		if (!releaseGate) return { token: session.usableToken(stored())!, fresh: false };
		try {
			const helper = { helpers: { httpRequest: this.context.helpers.httpRequest } } as IHttpRequestHelper;
			const token = await session.login(
				this.connection,
				// Not cancelled with this execution: other executions may be waiting for the same login.
				async () => await login(helper, this.credentials, this.connection),
				{ after401 },
			);
			return { token, fresh: true };
		} finally {
			releaseGate();
		}
	}

	/**
	 * Sends one logical request: the token renewed before it expires, the rate budget, 429 pauses,
	 * and retries where repeating is safe; a stopped execution sends nothing more.
	 */
	async request(request: ApiRequest): Promise<RawResponse> {
		const { context, session, settings } = this;
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

		let current: { token: string; fresh: boolean } | undefined;
		try {
			return await sendWithPolicy(
				settings,
				this.limiter,
				async () => {
					const { fresh } = current!;
					let { token } = current!;
					if (!fresh && session.usableToken(token) !== token) {
						// The token came due while this request waited for its turn: take a newer one, or log in.
						const newer = session.usableToken(this.credentials.token);
						if (newer === undefined) throw new TokenLapsed();
						token = newer;
					}
					// n8n runs preAuthentication when the token is empty: a fresh token goes that way so that
					// n8n saves it in the credential store for later executions and other processes.
					const credentialsDecrypted: ICredentialsDecrypted = {
						id: credentialRef?.id ?? '',
						name: credentialRef?.name ?? '',
						type: CREDENTIAL_TYPE,
						data: { ...this.credentials, token: fresh ? '' : token },
					};
					current = { token, fresh: false };
					const response = (await context.helpers.httpRequestWithAuthentication.call(
						context,
						CREDENTIAL_TYPE,
						{ ...options, headers: { ...options.headers } },
						{ credentialsDecrypted },
					)) as RawResponse;
					const sent = credentialsDecrypted.data?.token;
					if (response.statusCode !== 401) session.confirm(sent);
					if (typeof sent === 'string' && sent !== '') {
						session.remember(sent);
						this.credentials = { ...this.credentials, token: sent };
						current = { token: sent, fresh: false };
					}
					return response;
				},
				{
					retrySafe: request.retrySafe,
					expectJson: request.method === 'GET',
					renewOn401: true,
					signal: this.signal,
					budget: { requestsPerMinute: settings.maxRequestsPerMinute, windowMs: settings.rateWindowMs },
					alreadyDoneStatuses: request.alreadyDoneStatuses,
					prepare: async (after401) => {
						if (after401 && current) {
							if (!session.reject(current.token)) return false;
							if (this.credentials.token === current.token) this.credentials = { ...this.credentials, token: '' };
						}
						if (current && !after401 && session.usableToken(current.token) === current.token) return true;
						current = await this.ensureToken(after401);
						return true;
					},
				},
			);
		} catch (error) {
			throw toNodeApiError(context, error, request);
		} finally {
			logReadings(context.logger, settings.baseUrl);
		}
	}
}
