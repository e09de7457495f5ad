import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { readBodyFormat, type BodyFormat } from './envelope';

export const CREDENTIAL_TYPE = 'loymaxScApi';

/** Connection and pacing settings, read once per request from the credential. */
export interface TransportSettings {
	baseUrl: string;
	/** One rate limiter and one token per API user of one Loymax SC instance. */
	limiterKey: string;
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

const number = (value: unknown, fallback: number) => {
	const parsed = typeof value === 'number' ? value : Number(value);
	return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
};

export const DEFAULT_BASE_URL = 'https://api.loymaxsc.net';

export function normalizeBaseUrl(value: unknown): string {
	const url = typeof value === 'string' && value.trim() !== '' ? value.trim() : DEFAULT_BASE_URL;
	return url.replace(/\/+$/, '');
}

export function transportSettings(credentials: ICredentialDataDecryptedObject): TransportSettings {
	const baseUrl = normalizeBaseUrl(credentials.baseUrl);
	return {
		baseUrl,
		limiterKey: `${baseUrl}\n${String(credentials.username ?? '')}`,
		maxRequestsPerMinute: number(credentials.maxRequestsPerMinute, 950),
		rateWindowMs: Math.min(60, number(credentials.rateWindowSeconds, 60)) * 1000,
		rateLimitPauseMs: number(credentials.rateLimitPauseSeconds, 60) * 1000,
		maxWaitMs: number(credentials.maxWaitSeconds, 600) * 1000,
		retryDelayMs: number(credentials.retryDelaySeconds, 1) * 1000,
		pageSize: Math.floor(number(credentials.pageSize, 100)),
		bodyFormat: readBodyFormat(credentials.bodyFormat),
		accountTimeZone: typeof credentials.accountTimeZone === 'string' && credentials.accountTimeZone.trim() !== '' ? credentials.accountTimeZone.trim() : undefined,
	};
}

/** Joins base URL and path with exactly one slash between segments (the docs show `//communication/...`). */
export function joinUrl(baseUrl: string, path: string): string {
	return `${baseUrl}/${path.replace(/\/{2,}/g, '/').replace(/^\//, '')}`;
}
