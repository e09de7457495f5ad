import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { sha256Hex } from './sha256';
import { readBodyFormat, type BodyFormat } from './envelope';

export const CREDENTIAL_TYPE = 'loymaxScApi';

/** Connection and pacing settings, read once per execution from the credential. */
export interface TransportSettings {
	baseUrl: string;
	/** The API host (lower case, default port dropped): every credential of it shares one rate budget. */
	hostKey: string;
	/** Base URL + username + a hash of the password: the owner of a token, never shared with another. */
	identityKey: string;
	maxRequestsPerMinute: number;
	/** The length of the window the API counts requests in. */
	rateWindowMs: number;
	rateLimitPauseMs: number;
	maxWaitMs: number;
	retryDelayMs: number;
	pageSize: number;
	bodyFormat: BodyFormat;
	/** The account's time zone (an IANA name); undefined = the workflow's. */
	accountTimeZone?: string;
}

/** A credential setting that cannot be used as given; `setting` is the field's label. */
export class InvalidSettingError extends Error {
	override name = 'InvalidSettingError';

	constructor(
		readonly setting: string,
		problem: string,
	) {
		super(`The credential's "${setting}" ${problem}`);
	}
}

interface NumberRule {
	label: string;
	fallback: number;
	/** The smallest value that means something (0 where the field's "none" makes sense). */
	min: number;
	max?: number;
	integer?: boolean;
}

/**
 * A numeric setting: empty means the default; anything else must be a plain number in range. A
 * number typed as text with a comma ("1,234") is refused rather than guessed at.
 */
function numberSetting(value: unknown, rule: NumberRule): number {
	if (value === undefined || value === null || value === '') return rule.fallback;
	const parsed = typeof value === 'number' ? value : /^\s*-?\d+(\.\d+)?\s*$/.test(String(value)) ? Number(value) : NaN;
	const range = `${rule.integer ? 'a whole number' : 'a number'} from ${rule.min}${rule.max === undefined ? ' up' : ` to ${rule.max}`}`;
	if (!Number.isFinite(parsed)) throw new InvalidSettingError(rule.label, `is "${String(value)}", not ${range}`);
	if (parsed < rule.min || (rule.max !== undefined && parsed > rule.max) || (rule.integer && !Number.isInteger(parsed))) {
		throw new InvalidSettingError(rule.label, `is ${parsed}; use ${range}`);
	}
	return parsed;
}

export const DEFAULT_BASE_URL = 'https://api.loymaxsc.net';

export function normalizeBaseUrl(value: unknown): string {
	const url = typeof value === 'string' && value.trim() !== '' ? value.trim() : DEFAULT_BASE_URL;
	return url.replace(/\/+$/, '');
}

/**
 * The host the API counts requests for: `API.loymaxsc.net`, `api.loymaxsc.net:443` and
 * `https://api.loymaxsc.net/` are one host, so one budget.
 */
export function hostKey(baseUrl: string): string {
	try {
		const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(baseUrl) ? baseUrl : `https://${baseUrl}`);
		// URL drops the scheme's default port and lower-cases the host.
		return url.host;
	} catch {
		return baseUrl.toLowerCase();
	}
}

export function transportSettings(credentials: ICredentialDataDecryptedObject): TransportSettings {
	const baseUrl = normalizeBaseUrl(credentials.baseUrl);
	const username = String(credentials.username ?? '');
	return {
		baseUrl,
		hostKey: hostKey(baseUrl),
		identityKey: `${baseUrl}\n${username}\n${sha256Hex(`loymaxsc\n${String(credentials.password ?? '')}`)}`,
		maxRequestsPerMinute: numberSetting(credentials.maxRequestsPerMinute, { label: 'Max Requests per Minute', fallback: 950, min: 1 }),
		rateWindowMs: numberSetting(credentials.rateWindowSeconds, { label: 'Rate Window (Seconds)', fallback: 60, min: 0.1, max: 60 }) * 1000,
		// 0 = no pause of our own: every 429 still waits the minimum pause (see policy.ts).
		rateLimitPauseMs: numberSetting(credentials.rateLimitPauseSeconds, { label: 'Pause After Rate Limit (Seconds)', fallback: 60, min: 0 }) * 1000,
		// 0 = never wait: a 429 or a full budget fails the request at once.
		maxWaitMs: numberSetting(credentials.maxWaitSeconds, { label: 'Max Total Wait (Seconds)', fallback: 600, min: 0 }) * 1000,
		// 0 = repeat a failed request at once.
		retryDelayMs: numberSetting(credentials.retryDelaySeconds, { label: 'Retry Delay (Seconds)', fallback: 1, min: 0 }) * 1000,
		pageSize: numberSetting(credentials.pageSize, { label: 'Page Size', fallback: 100, min: 1, integer: true }),
		bodyFormat: readBodyFormat(credentials.bodyFormat),
		accountTimeZone: typeof credentials.accountTimeZone === 'string' && credentials.accountTimeZone.trim() !== '' ? credentials.accountTimeZone.trim() : undefined,
	};
}

/** Joins base URL and path with exactly one slash between segments (the docs show `//communication/...`). */
export function joinUrl(baseUrl: string, path: string): string {
	return `${baseUrl}/${path.replace(/\/{2,}/g, '/').replace(/^\//, '')}`;
}
