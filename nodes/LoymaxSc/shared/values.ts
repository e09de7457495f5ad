import { NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

/** Thrown before any request is sent: names the field and the item, as n8n users expect. */
export function invalidField(node: INode, itemIndex: number, field: string, problem: string): NodeOperationError {
	return new NodeOperationError(node, `Invalid value for "${field}" in item ${itemIndex}: ${problem}`, {
		itemIndex,
		description: `Fix "${field}" in the node or in the data of item ${itemIndex}; nothing was sent to Loymax SC for this item.`,
	});
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** A calendar date and time of day, in no particular zone. */
export interface WallClock {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
}

/**
 * A date input is either an instant (a point in time: an ISO string with `Z` or an offset, a JS
 * Date, a Luxon DateTime) or a wall-clock time without a zone (`2024-05-15 10:00:00`, `2024-05-15`).
 */
export type DateInput = { kind: 'instant'; epochMs: number } | { kind: 'wallClock'; wallClock: WallClock };

const DATE_PATTERN =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

function validWallClock(clock: WallClock): boolean {
	const probe = new Date(Date.UTC(clock.year, clock.month - 1, clock.day));
	return (
		probe.getUTCFullYear() === clock.year &&
		probe.getUTCMonth() === clock.month - 1 &&
		probe.getUTCDate() === clock.day &&
		clock.hour < 24 &&
		clock.minute < 60 &&
		clock.second < 60
	);
}

/** `Z`, `+03`, `+0300` or `+03:00` in minutes east of UTC. */
function offsetMinutes(zone: string): number | undefined {
	if (/^z$/i.test(zone)) return 0;
	const [, sign, hours, minutes = '0'] = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone) ?? [];
	if (!sign || Number(hours) > 23 || Number(minutes) > 59) return undefined;
	return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
}

function parseDateText(text: string): DateInput | undefined {
	const match = DATE_PATTERN.exec(text);
	if (!match) return undefined;
	const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0));
	const wallClock = { year, month, day, hour, minute, second };
	if (!validWallClock(wallClock)) return undefined;
	const zone = match[8];
	if (zone === undefined) return { kind: 'wallClock', wallClock };
	const offset = offsetMinutes(zone);
	if (offset === undefined) return undefined;
	const milliseconds = Number(`0.${match[7] ?? '0'}`) * 1000;
	const epochMs = Date.UTC(year, month - 1, day, hour, minute, second) + Math.floor(milliseconds) - offset * 60_000;
	return { kind: 'instant', epochMs };
}

const isFunction = (value: unknown, name: string) =>
	typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[name] === 'function';

/**
 * Reads an n8n date-time input: an ISO 8601 string (`T` or a space, optional seconds, fraction and
 * zone), a JS Date or a Luxon DateTime (anything with `toJSDate` or `toISO`). Undefined when it is
 * not a valid date.
 */
export function parseDateInput(value: unknown): DateInput | undefined {
	if (value instanceof Date) {
		return Number.isNaN(value.getTime()) ? undefined : { kind: 'instant', epochMs: value.getTime() };
	}
	if (isFunction(value, 'toJSDate')) {
		// A Luxon DateTime (n8n's $now, DateTime.fromISO...) is an instant; an invalid one gives an Invalid Date.
		const date = (value as { toJSDate: () => unknown }).toJSDate();
		return date instanceof Date && !Number.isNaN(date.getTime()) ? { kind: 'instant', epochMs: date.getTime() } : undefined;
	}
	if (isFunction(value, 'toISO')) {
		const text = (value as { toISO: () => unknown }).toISO();
		return typeof text === 'string' ? parseDateText(text.trim()) : undefined;
	}
	return typeof value === 'string' ? parseDateText(value.trim()) : undefined;
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
	let format = zoneFormats.get(timeZone);
	if (!format) {
		// Throws a RangeError for a zone name the runtime does not know.
		format = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric',
		});
		zoneFormats.set(timeZone, format);
	}
	return format;
}

/** Whether the runtime knows this IANA time zone (e.g. Europe/Moscow). */
export function isKnownTimeZone(timeZone: string): boolean {
	try {
		zoneFormat(timeZone);
		return true;
	} catch {
		return false;
	}
}

/** The wall-clock time of an instant in a time zone (IANA name), DST included. */
export function wallClockIn(epochMs: number, timeZone: string): WallClock {
	const parts: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
	for (const part of zoneFormat(timeZone).formatToParts(new Date(epochMs))) {
		if (part.type !== 'literal') parts[part.type] = Number(part.value);
	}
	return {
		year: parts.year ?? NaN,
		month: parts.month ?? NaN,
		day: parts.day ?? NaN,
		// Some runtimes print midnight as 24 even with h23.
		hour: (parts.hour ?? NaN) % 24,
		minute: parts.minute ?? NaN,
		second: parts.second ?? NaN,
	};
}

/**
 * The wall clock to send for a date input: an instant as seen in `timeZone`, a value without a
 * zone as written.
 */
export const wallClockOf = (input: DateInput, timeZone: string): WallClock =>
	input.kind === 'instant' ? wallClockIn(input.epochMs, timeZone) : input.wallClock;

export const formatDate = (clock: WallClock) => `${pad(clock.year, 4)}-${pad(clock.month)}-${pad(clock.day)}`;
export const formatDateTime = (clock: WallClock) =>
	`${formatDate(clock)} ${pad(clock.hour)}:${pad(clock.minute)}:${pad(clock.second)}`;

/** Accepts a JSON string or an already-parsed value (from an expression). */
export function parseJson(value: unknown): { ok: true; value: unknown } | { ok: false; problem: string } {
	if (typeof value !== 'string') return { ok: true, value };
	if (value.trim() === '') return { ok: true, value: undefined };
	try {
		return { ok: true, value: JSON.parse(value) };
	} catch (error) {
		return { ok: false, problem: `not valid JSON (${(error as Error).message})` };
	}
}

export const isPlainObject = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why a parsed JSON value has the wrong shape, or undefined when it fits. */
export function jsonShapeProblem(value: unknown, shape: 'object' | 'array' | 'objects'): string | undefined {
	if (shape === 'object') return isPlainObject(value) ? undefined : 'expected a JSON object';
	if (!Array.isArray(value)) return shape === 'array' ? 'expected a JSON array' : 'expected a JSON array of objects';
	return shape === 'objects' && !value.every(isPlainObject) ? 'expected a JSON array of objects' : undefined;
}

/** Converts n8n's camelCase parameter names to the API's snake_case field names. */
export const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/**
 * Why a value cannot fill a path segment, or undefined. URL-encoding keeps `.` and `..` as they are,
 * and every URL parser resolves them as dot segments: `/customer/.` would list all customers,
 * `/customer/C-1/device/..` address the customer.
 */
export function pathSegmentProblem(value: string): string | undefined {
	return value === '.' || value === '..' ? `"${value}" cannot be an ID: it would change the request path` : undefined;
}

/**
 * Why a value cannot be sent as an HTTP header, or undefined. Node.js refuses control characters
 * and anything beyond Latin-1 when the request is made, which looks like a network failure;
 * RFC 9110 keeps field values to visible ASCII, spaces and tabs.
 */
export function headerValueProblem(value: string): string | undefined {
	if (/[\r\n]/.test(value)) return 'a line break cannot be sent in an HTTP header';
	const invalid = /[^\t\x20-\x7e]/u.exec(value);
	if (invalid) {
		const code = invalid[0].codePointAt(0) ?? 0;
		const shown = code < 0x20 || code === 0x7f ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `"${invalid[0]}"`;
		return `${shown} cannot be sent in an HTTP header (only ASCII letters, digits, punctuation and spaces)`;
	}
	return undefined;
}

/** Names that JavaScript objects give a meaning of their own (`__proto__` sets the prototype instead of a key). */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Why a user-given name cannot be a key of the body, or undefined. */
export function reservedKeyProblem(key: string): string | undefined {
	return RESERVED_KEYS.has(key) ? `"${key}" cannot be used as a name` : undefined;
}

/** Why the names of an object (of each object, in an array) cannot be keys of the body, or undefined. */
export function keysProblem(value: unknown): string | undefined {
	const records = Array.isArray(value) ? value : [value];
	for (const [index, record] of records.entries()) {
		if (!isPlainObject(record)) continue;
		for (const key of Object.keys(record)) {
			const problem = reservedKeyProblem(key);
			if (problem) return Array.isArray(value) ? `entry ${index + 1}: ${problem}` : problem;
		}
	}
	return undefined;
}

export const isEmpty = (value: unknown) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
