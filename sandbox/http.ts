/**
 * Low-level HTTP helpers: errors, paths, query strings, bodies, sending.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Attributes = Record<string, unknown>;
export type ValidationErrors = Record<string, string[]>;

export const JSON_API = 'application/vnd.api+json';

/** An error answered as `{"errors":[{status,title,validation?}]}`. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly title: string,
		readonly validation?: ValidationErrors,
		readonly headers: Record<string, string> = {},
		readonly statusMessage?: string,
	) {
		super(`${status} ${title}`);
	}

	body(): unknown {
		const e: Record<string, unknown> = { status: this.status, title: this.title };
		if (this.validation) e.validation = this.validation;
		return { errors: [e] };
	}
}

export const notFound = (): ApiError => new ApiError(404, 'Not Found');
export const unauthorized = (): ApiError => new ApiError(401, 'Unauthorized');
/** Laravel's wording, which the live API used for a missing `local_id` (answered 400). */
export const requiredMessage = (field: string): string => `The ${field} field is required.`;
const MISSING = /^The .+ field is required\.$/;

/**
 * A missing required field → 400 "Invalid Attribute" (the live API answered a missing local_id with
 * 400; Loymax's OpenAPI file shows validation errors as 400 "Invalid Attribute"); any other invalid
 * value → 422 (the file also declares 422 "validation error"). Every problem is listed either way.
 */
export const validationFailed = (v: ValidationErrors): ApiError =>
	Object.values(v).some((messages) => messages.some((m) => MISSING.test(m)))
		? new ApiError(400, 'Invalid Attribute', v)
		: new ApiError(422, 'Validation Failed', v);
export const invalidBody = (expected: string): ApiError =>
	new ApiError(400, 'Invalid request body', { body: [`expected ${expected}`] });

/** Records that a required field (or header) is missing. */
export function addMissing(errors: ValidationErrors, field: string): void {
	addError(errors, field, requiredMessage(field));
}

export function addError(errors: ValidationErrors, field: string, message: string): void {
	if (!Object.prototype.hasOwnProperty.call(errors, field)) {
		// defineProperty: a field named `__proto__` must not touch the prototype
		Object.defineProperty(errors, field, { value: [], enumerable: true, writable: true, configurable: true });
	}
	errors[field].push(message);
}

export function hasErrors(errors: ValidationErrors): boolean {
	for (const _ in errors) return true;
	return false;
}

export function isPlainObject(v: unknown): v is Attributes {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What a handler returns. `body` undefined = empty body. */
export interface HandlerResult {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
	statusMessage?: string;
}

export function safeDecode(segment: string): string | undefined {
	try {
		return decodeURIComponent(segment);
	} catch {
		return undefined;
	}
}

/** Query object for the log / handlers: first occurrence of each key wins; keys stay flat (`page[size]`). */
export function queryObject(params: URLSearchParams): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of params) if (!(k in out)) out[k] = v;
	return out;
}

/** Media type without parameters, lower case; null when absent. */
export function mediaType(header: string | undefined): string | null {
	if (header === undefined) return null;
	return header.split(';')[0].trim().toLowerCase();
}

export function headerValue(req: IncomingMessage, name: string): string | null {
	const v = req.headers[name];
	if (v === undefined) return null;
	return Array.isArray(v) ? v.join(', ') : v;
}

const MAX_BODY = 20 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (c: Buffer) => {
			size += c.length;
			if (size > MAX_BODY) {
				reject(new ApiError(413, 'Payload Too Large'));
				req.destroy();
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

export function send(res: ServerResponse, result: HandlerResult, contentType = JSON_API): void {
	if (res.writableEnded || res.destroyed) return;
	const headers: Record<string, string | number> = { ...(result.headers ?? {}) };
	let payload: string | undefined;
	if (result.body !== undefined && result.status !== 204) {
		payload = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
		if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = contentType;
		headers['Content-Length'] = Buffer.byteLength(payload);
	} else if (result.status !== 204 && result.status !== 304) {
		headers['Content-Length'] = 0;
	}
	if (result.statusMessage) res.writeHead(result.status, result.statusMessage, headers);
	else res.writeHead(result.status, headers);
	res.end(payload);
}
