import { NodeOperationError, type INode } from 'n8n-workflow';

/** Thrown before any request is sent: names the field and the item, as n8n users expect. */
export function invalidField(node: INode, itemIndex: number, field: string, problem: string): NodeOperationError {
	return new NodeOperationError(node, `Invalid value for "${field}" in item ${itemIndex}: ${problem}`, {
		itemIndex,
		description: `Fix "${field}" in the node or in the data of item ${itemIndex}; nothing was sent to Loymax SC for this item.`,
	});
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

interface DateParts {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Reads an n8n date-time (ISO string, `yyyy-mm-dd hh:mm:ss`, Date or Luxon DateTime) as wall-clock
 * parts. The time is sent as written, without time-zone conversion: the API documents no zone.
 */
export function parseDateParts(value: unknown): DateParts | undefined {
	let text: string | undefined;
	if (value instanceof Date) text = Number.isNaN(value.getTime()) ? undefined : value.toISOString();
	else if (value && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		text = String((value as { toISO: () => string }).toISO());
	} else if (typeof value === 'string') text = value.trim();
	const match = text ? DATE_PATTERN.exec(text) : null;
	if (!match) return undefined;
	const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
	const probe = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
	const valid =
		probe.getUTCFullYear() === year &&
		probe.getUTCMonth() === month - 1 &&
		probe.getUTCDate() === day &&
		hour < 24 &&
		minute < 60 &&
		second < 60;
	return valid ? { year, month, day, hour, minute, second } : undefined;
}

export const formatDate = (parts: DateParts) => `${parts.year}-${pad(parts.month)}-${pad(parts.day)}`;
export const formatDateTime = (parts: DateParts) =>
	`${formatDate(parts)} ${pad(parts.hour)}:${pad(parts.minute)}:${pad(parts.second)}`;

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

const isPlainObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why a parsed JSON value has the wrong shape, or undefined when it fits. */
export function jsonShapeProblem(value: unknown, shape: 'object' | 'array' | 'objects'): string | undefined {
	if (shape === 'object') return isPlainObject(value) ? undefined : 'expected a JSON object';
	if (!Array.isArray(value)) return shape === 'array' ? 'expected a JSON array' : 'expected a JSON array of objects';
	return shape === 'objects' && !value.every(isPlainObject) ? 'expected a JSON array of objects' : undefined;
}

/** Converts n8n's camelCase parameter names to the API's snake_case field names. */
export const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

export const isEmpty = (value: unknown) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
