import type { ICredentialDataDecryptedObject, IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

import { bearer } from './jwt';
import { findLoymaxError, LoymaxRequestError, sendWithPolicy, type RawResponse } from './policy';
import { loginFormOf, rememberLogin, type LoginForm, type TokenShape } from './readings';
import { missesSentFields } from './refusal';
import { hostLimiter } from './RateLimiter';
import type { ConnectionOptions } from './session';
import { joinUrl, transportSettings } from './settings';

/**
 * The login (docs/api-readings.md, "Authentication"): the reference lists username and password as
 * query parameters of POST /token; Loymax's OpenAPI file and SDKs send them in a JSON:API body.
 * The body goes first; an answer that calls them missing sends the other form once. What worked is
 * remembered per host.
 */

export const LOGIN_FORMS: readonly LoginForm[] = ['body', 'query'];

/** The token request in one form (without the connection options). */
export function loginRequest(form: LoginForm, baseUrl: string, username: string, password: string): IHttpRequestOptions {
	const request: IHttpRequestOptions = {
		method: 'POST',
		url: joinUrl(baseUrl, '/token'),
		headers: { 'Content-Type': 'application/json', Accept: 'application/vnd.api+json, application/json' },
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	if (form === 'body') request.body = { data: { attributes: { username, password } } };
	else request.qs = { username, password };
	return request;
}

export interface TokenAnswer {
	/** `Bearer <token>`, ready for the Authorization header. */
	token: string;
	shape: TokenShape;
	/** Whether the API sent the value with `Bearer ` already. */
	bearerPrefix: boolean;
	expiresInSeconds?: number;
}

/** The token of a login answer: `data.attributes.access_token` (Loymax's OpenAPI file) or a plain `access_token`. */
export function readTokenAnswer(body: unknown): TokenAnswer | undefined {
	type Plain = { access_token?: unknown; expires_in?: unknown };
	const document = (typeof body === 'object' && body !== null ? body : {}) as Plain & { data?: { attributes?: Plain } };
	const places: Array<[TokenShape, Plain | undefined]> = [
		['jsonapi', document.data?.attributes],
		['plain', document],
	];
	for (const [shape, place] of places) {
		const value = place?.access_token;
		if (typeof value !== 'string' || value.trim() === '') continue;
		const expiresIn = Number(place?.expires_in);
		return {
			token: bearer(value),
			shape,
			bearerPrefix: /^bearer\s/i.test(value.trim()),
			expiresInSeconds: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : undefined,
		};
	}
	return undefined;
}

const CHECK_CREDENTIAL = 'Check the Username and Password of the Loymax SC credential (an API user with the API role) and its Base URL.';

function loginFailed(error: LoymaxRequestError, description = CHECK_CREDENTIAL): LoymaxRequestError {
	if (error.kind !== 'client' && error.kind !== 'unauthorized') return error;
	return new LoymaxRequestError(`Loymax SC login failed: ${error.errors[0]?.title ?? error.message}`, 'unauthorized', error.httpCode, description, error.errors);
}

/**
 * Exchanges username and password for a token: the form that worked on this host last (else the
 * body), then, only when the API calls username or password missing, the other form once. A wrong
 * password is answered as such and never switches forms.
 */
export async function login(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject, connection: ConnectionOptions): Promise<string> {
	const settings = transportSettings(credentials);
	const username = String(credentials.username ?? '');
	const password = String(credentials.password ?? '');
	for (const [label, value] of [['Username', username.trim()], ['Password', password]]) {
		if (value === '') throw new LoymaxRequestError(`Loymax SC login failed: the credential has no ${label}`, 'unauthorized', undefined, CHECK_CREDENTIAL);
	}
	// The host's rate budget, first in line: every request of the credential waits for the login, and
	// none of them holds a slot meanwhile.
	const send = async (request: IHttpRequestOptions) =>
		await sendWithPolicy(
			settings,
			hostLimiter(settings.hostKey),
			async () =>
				(await helper.helpers.httpRequest({
					...request,
					// The login goes the way the node's requests go (proxy, SSL, timeout).
					timeout: connection.timeoutMs,
					proxy: connection.proxy,
					skipSslCertificateValidation: connection.skipSslCertificateValidation,
				})) as RawResponse,
			{
				retrySafe: true,
				expectJson: true,
				renewOn401: false,
				urgent: true,
				budget: { requestsPerMinute: settings.maxRequestsPerMinute, windowMs: settings.rateWindowMs },
			},
		);

	const known = loginFormOf(settings.baseUrl);
	const forms = known === 'query' ? [...LOGIN_FORMS].reverse() : LOGIN_FORMS;
	let refused: LoymaxRequestError | undefined;
	for (const form of forms) {
		const outcome = await send(loginRequest(form, settings.baseUrl, username, password)).then(
			(response) => ({ response }),
			(error: unknown) => ({ error }),
		);
		if ('error' in outcome) {
			const ours = findLoymaxError(outcome.error);
			if (!ours) throw outcome.error;
			const notFound = ours.kind === 'client' && missesSentFields(ours.httpCode, ours.errors, { username, password });
			if (!notFound) {
				// The API read the credentials in this form (and refused them): it is the right one.
				if (ours.kind === 'client' || ours.kind === 'unauthorized') rememberLogin(settings.baseUrl, form, refused !== undefined);
				throw loginFailed(ours);
			}
			if (refused) {
				throw loginFailed(
					refused,
					'The API found no username and password in the JSON:API body nor in the query parameters of POST /token. Check the Base URL of the Loymax SC credential.',
				);
			}
			refused = ours;
			continue;
		}
		const { response } = outcome;
		const answer = readTokenAnswer(response.body);
		if (!answer) {
			throw new LoymaxRequestError(
				'Loymax SC login failed: the response has no token (neither data.attributes.access_token nor access_token)',
				'invalidResponse',
				response.statusCode,
				'The Base URL may not point at the Loymax SC API.',
			);
		}
		const { token, ...reading } = answer;
		rememberLogin(settings.baseUrl, form, refused !== undefined, reading);
		return token;
	}
	throw loginFailed(refused!);
}
