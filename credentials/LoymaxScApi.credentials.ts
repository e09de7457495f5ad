import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { fetchToken } from '../nodes/LoymaxSc/transport/token';

/**
 * n8n wraps what preAuthentication throws in a NodeApiError, and an error carrying HTTP 401 gets
 * n8n's generic "Authorization failed - please check your credentials" as its message; that is
 * what the credential's Test button shows. An error without a status code keeps its own message,
 * so the Test reports the API's answer ("Loymax SC login failed: <the API's title>"). The node
 * itself reports the original error, which the transport records when the login fails.
 */
function loginError(error: unknown): Error {
	const { message, description } = error as { message?: unknown; description?: unknown };
	const text = typeof message === 'string' && message !== '' ? message : 'Loymax SC login failed';
	const plain = new Error(typeof description === 'string' && description !== '' ? `${text}. ${description}` : text);
	plain.name = 'LoymaxScLoginError';
	return plain;
}

export class LoymaxScApi implements ICredentialType {
	name = 'loymaxScApi';

	displayName = 'Loymax SC API';

	icon: Icon = { light: 'file:../nodes/LoymaxSc/loymaxSc.svg', dark: 'file:../nodes/LoymaxSc/loymaxSc.dark.svg' };

	documentationUrl = 'https://docs.loymaxsc.net/en/integration/data-exchange/rest-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.loymaxsc.net',
			required: true,
			description: 'Address of the Loymax SC API, without a path',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			description: 'Login of a Loymax SC user with the API role (Loymax support creates it on request)',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			// Filled by preAuthentication and saved encrypted by n8n; emptied to force a fresh login.
			displayName: 'Token',
			name: 'token',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Account Time Zone',
			name: 'accountTimeZone',
			type: 'string',
			default: '',
			placeholder: 'e.g. Europe/Moscow',
			description:
				'Time zone of your Loymax SC account, as an IANA name. Dates with a time zone (ISO with Z or an offset, n8n date-times) are converted to it and sent as yyyy-mm-dd hh:mm:ss; dates without one are sent as written. Empty: the time zone of the workflow (by default the n8n instance\'s).',
		},
		{
			displayName: 'Advanced Settings',
			name: 'advanced',
			type: 'boolean',
			default: false,
			description: 'Whether to show rate-limit, paging and body-format settings',
		},
		{
			displayName: 'Max Requests per Minute',
			name: 'maxRequestsPerMinute',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 950,
			description:
				'The rate budget of this credential in this n8n process: requests leave at once while fewer than this many were sent in the last minute (the API allows 1000 per minute per IP; lower it when other tools or n8n workers share the IP)',
			displayOptions: { show: { advanced: [true] } },
		},
		{
			displayName: 'Rate Window (Seconds)',
			name: 'rateWindowSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 60 },
			default: 60,
			description:
				'The window the budget is counted in. Loymax SC counts per minute; a shorter window spreads the same rate more evenly (e.g. 10 = at most a sixth of the per-minute budget in any 10 seconds).',
			displayOptions: { show: { advanced: [true] } },
		},
		{
			displayName: 'Pause After Rate Limit (Seconds)',
			name: 'rateLimitPauseSeconds',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 60,
			description:
				'How long every request of this credential waits after a 429 answer without Retry-After before the same request is repeated (the API docs ask for one minute)',
			displayOptions: { show: { advanced: [true] } },
		},
		{
			displayName: 'Max Total Wait (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 600,
			description: 'How long one request may spend in rate-limit pauses and retry delays before the node fails with an error (time queued behind other items does not count)',
			displayOptions: { show: { advanced: [true] } },
		},
		{
			displayName: 'Retry Delay (Seconds)',
			name: 'retryDelaySeconds',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 1,
			description: 'First delay before repeating a request that failed with a server error or a dropped connection; it doubles on each of up to 3 retries',
			displayOptions: { show: { advanced: [true] } },
		},
		{
			displayName: 'Page Size',
			name: 'pageSize',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 100,
			description: 'Records requested per page by Get Many operations (the largest size the API accepts)',
			displayOptions: { show: { advanced: [true] } },
		},
		{
			displayName: 'Body Format',
			name: 'bodyFormat',
			type: 'options',
			options: [
				{
					name: 'Auto',
					value: 'auto',
					description:
						'Send the JSON:API envelope first; when the API answers that fields sent in it are missing, send the same write once as flat fields (a refused write changed nothing) and keep to what worked',
				},
				{
					name: 'JSON:API Envelope',
					value: 'envelope',
					description: 'Always send {"data":{"attributes":{...}}}, as Loymax\'s OpenAPI file shows',
				},
				{
					name: 'Flat',
					value: 'flat',
					description: "Always send the fields as a plain JSON object, except the bodies Loymax's OpenAPI file shows (subscriptions, channels, contacts, message events)",
				},
			],
			default: 'auto',
			description: 'How write requests wrap their fields. Auto finds out per endpoint and logs what it found.',
			displayOptions: { show: { advanced: [true] } },
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		try {
			return { token: await fetchToken(this, credentials) };
		} catch (error) {
			throw loginError(error);
		}
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '={{$credentials.token}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/customer',
			qs: { 'page[size]': 1 },
		},
	};
}
