/**
 * Declarative body validation: field schemas, formats, full-replacement normalisation.
 */
import type { Attributes, ValidationErrors } from './http';
import { addError, addMissing, isPlainObject } from './http';

export interface ValidationContext {
	now: () => Date;
}

/** `platformId`: an ID of the Platform, which the reference types `number`: a whole JSON number of at least 1. */
export type FieldKind = 'string' | 'number' | 'stringOrNumber' | 'platformId' | 'object' | 'array';

export interface FieldSpec {
	kind: FieldKind;
	required?: boolean;
	/** Allowed values (strings). */
	enum?: readonly string[];
	/** Extra check of a non-empty string value; returns an error message. */
	format?: (value: string, ctx: ValidationContext) => string | undefined;
	/** Arrays: every element must be an object matching this schema. */
	items?: Schema;
	/** Value stored when the field is not sent (full replacement). Default by kind: '' / 0 / [] / {}. */
	default?: unknown;
}

export interface Schema {
	fields: Record<string, FieldSpec>;
	/** Unknown keys are kept as custom attributes (else: 422 "unknown field"). */
	custom?: boolean;
	/** Keys silently ignored when sent (platform-computed attributes). */
	ignore?: readonly string[];
	/** Cross-field rules on the normalised record. */
	check?: (out: Attributes, errors: ValidationErrors, ctx: ValidationContext) => void;
}

/** The fields a schema requires (named when a body comes in the wrong envelope). */
export const requiredFields = (schema: Schema | undefined): string[] =>
	Object.entries(schema?.fields ?? {})
		.filter(([, field]) => field.required)
		.map(([name]) => name);

export const str = (extra: Partial<FieldSpec> = {}): FieldSpec => ({ kind: 'string', ...extra });
export const reqStr = (extra: Partial<FieldSpec> = {}): FieldSpec => ({ kind: 'string', required: true, ...extra });
export const num = (extra: Partial<FieldSpec> = {}): FieldSpec => ({ kind: 'number', ...extra });
export const reqNum = (extra: Partial<FieldSpec> = {}): FieldSpec => ({ kind: 'number', required: true, ...extra });

/* ---------- formats ---------- */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

function validYmd(y: number, m: number, d: number): boolean {
	if (m < 1 || m > 12 || d < 1) return false;
	const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
	return d <= days[m - 1];
}

function validTime(h: number, mi: number, s: number): boolean {
	return h < 24 && mi < 60 && s < 60;
}

/** `yyyy-mm-dd` */
export function dateFormat(v: string): string | undefined {
	const m = DATE_RE.exec(v);
	if (!m) return 'must match yyyy-mm-dd';
	if (!validYmd(+m[1], +m[2], +m[3])) return 'is not a valid date';
	return undefined;
}

/** `yyyy-mm-dd hh:mm:ss`: no `T`, no zone, no fraction. */
export function dateTimeFormat(v: string): string | undefined {
	const m = DATETIME_RE.exec(v);
	if (!m) return 'must match yyyy-mm-dd hh:mm:ss';
	if (!validYmd(+m[1], +m[2], +m[3]) || !validTime(+m[4], +m[5], +m[6])) return 'is not a valid date';
	return undefined;
}

/** `register_date`: `yyyy-mm-dd hh:mm:ss`, year 2010..current year of `ctx.now()` (UTC). */
export function registerDateFormat(v: string, ctx: ValidationContext): string | undefined {
	const e = dateTimeFormat(v);
	if (e) return e;
	const year = +v.slice(0, 4);
	const current = ctx.now().getUTCFullYear();
	if (year < 2010 || year > current) return `year must be between 2010 and ${current}`;
	return undefined;
}

export function emailFormat(v: string): string | undefined {
	return v.includes('@') ? undefined : 'must contain @';
}

/* ---------- validation ---------- */

function defaultFor(f: FieldSpec): unknown {
	if (f.default !== undefined) return typeof f.default === 'object' ? structuredClone(f.default) : f.default;
	switch (f.kind) {
		case 'number':
			return 0;
		case 'array':
			return [];
		case 'object':
			return {};
		default:
			return '';
	}
}

function typeError(kind: FieldKind, v: unknown): string | undefined {
	switch (kind) {
		case 'string':
			return typeof v === 'string' ? undefined : 'must be a string';
		case 'number':
			return typeof v === 'number' && Number.isFinite(v) ? undefined : 'must be a number';
		case 'platformId':
			return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 ? undefined : 'must be a Platform ID: a whole number of at least 1';
		case 'stringOrNumber':
			return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) ? undefined : 'must be a string or a number';
		case 'object':
			return isPlainObject(v) ? undefined : 'must be an object';
		case 'array':
			return Array.isArray(v) ? undefined : 'must be an array';
	}
}

/**
 * Validate `input` against `schema` and build the normalised record: every known field in schema
 * order (value sent or its default), then custom keys. Errors go to `errors` with `prefix` applied.
 */
export function validateAttributes(
	schema: Schema,
	input: Attributes,
	ctx: ValidationContext,
	errors: ValidationErrors,
	prefix = '',
): Attributes {
	const out: Attributes = {};
	for (const name in schema.fields) {
		const f = schema.fields[name];
		const key = prefix + name;
		const present = Object.prototype.hasOwnProperty.call(input, name);
		const v = input[name];
		if (!present || (f.required && v === '')) {
			if (f.required) addMissing(errors, key);
			out[name] = defaultFor(f);
			continue;
		}
		const te = typeError(f.kind, v);
		if (te) {
			addError(errors, key, te);
			out[name] = v;
			continue;
		}
		if (f.enum && !f.enum.includes(v as string)) {
			addError(errors, key, `must be one of: ${f.enum.map((e) => (e === '' ? '""' : e)).join(', ')}`);
		} else if (f.format && typeof v === 'string' && v !== '') {
			const fe = f.format(v, ctx);
			if (fe) addError(errors, key, fe);
		}
		if (f.kind === 'array' && f.items) {
			const arr = v as unknown[];
			out[name] = arr.map((el, i) => {
				if (!isPlainObject(el)) {
					addError(errors, `${key}.${i}`, 'must be an object');
					return el;
				}
				return validateAttributes(f.items as Schema, el, ctx, errors, `${key}.${i}.`);
			});
		} else {
			out[name] = v;
		}
	}
	for (const k in input) {
		if (Object.prototype.hasOwnProperty.call(schema.fields, k)) continue;
		if (schema.ignore?.includes(k)) continue;
		if (schema.custom && k !== '__proto__') out[k] = input[k];
		else addError(errors, prefix + k, 'unknown field');
	}
	schema.check?.(out, errors, ctx);
	return out;
}
