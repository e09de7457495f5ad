import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IGetNodeParameterOptions,
	INode,
	INodeProperties,
	INodePropertyOptions,
	NodeParameterValue,
} from 'n8n-workflow';

import {
	formatDate,
	formatDateTime,
	invalidField,
	isEmpty,
	isKnownTimeZone,
	jsonShapeProblem,
	keysProblem,
	parseDateInput,
	parseJson,
	snakeCase,
	wallClockIn,
	wallClockOf,
} from './values';

/**
 * What reading a field needs from n8n: the parameters of the current item and the time zones.
 * `IExecuteSingleFunctions` and `IExecuteFunctions`-based item contexts satisfy it.
 */
export interface FieldContext {
	getNodeParameter(name: string, fallback?: unknown, options?: IGetNodeParameterOptions): unknown;
	getNode(): INode;
	getItemIndex(): number;
	/** The workflow's time zone (its setting, else the n8n instance's). */
	getTimezone(): string;
	/**
	 * The Loymax SC account's time zone, from the credential (`accountTimeZone`); empty or absent
	 * means the workflow's time zone.
	 */
	accountTimeZone?(): string | undefined;
}

export interface ConvertOptions {
	/**
	 * Whether an empty value means "clear it" (the user added the field and left it empty) instead
	 * of "not set": strings, dates, options and IDs give `''`, lists `[]`. Numbers and JSON have no
	 * empty value the API accepts and still give undefined; `readCollection` keeps their key.
	 */
	keepEmpty?: boolean;
}

export type FieldType =
	| 'string'
	| 'number'
	| 'options'
	| 'yesNo'
	| 'date'
	| 'dateTime'
	| 'registerDate'
	| 'json'
	| 'list'
	| 'locator';

/** One input of an operation: how it looks in n8n and how its value is checked and sent. */
export interface FieldSpec {
	/** Parameter name (camelCase); the API field is its snake_case form unless `apiName` says otherwise. */
	name: string;
	/** Display name in n8n (Title Case). */
	label: string;
	type: FieldType;
	apiName?: string;
	required?: boolean;
	description?: string;
	placeholder?: string;
	default?: NodeParameterValue;
	options?: INodePropertyOptions[];
	/** `json`: the shape the parsed value must have. */
	jsonShape?: 'object' | 'array';
	/** `locator`: the listSearch method that fills "From List". */
	searchMethod?: string;
	/** `number`: whether only whole numbers are valid. */
	integer?: boolean;
	/**
	 * `string`: whether a whole number (digits, no leading zero, exact as a JSON number) is sent as
	 * a JSON number, for a field the API types `number` that may also hold text.
	 */
	wholeAsNumber?: boolean;
}

/** Loymax booleans are the strings Y, N and "" (no data). */
export const YES_NO_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Yes', value: 'Y' },
	{ name: 'No', value: 'N' },
	{ name: 'No Data', value: '' },
];

export const apiName = (field: FieldSpec) => field.apiName ?? snakeCase(field.name);

const FIRST_REGISTER_YEAR = 2010;

export function fieldProperty(field: FieldSpec): INodeProperties {
	const base = {
		displayName: field.label,
		name: field.name,
		required: field.required || undefined,
		description: field.description,
		placeholder: field.placeholder,
	};
	switch (field.type) {
		case 'number':
			// Empty, not 0: a number the user did not fill in must not be sent as 0 (n8n flags a required one).
			return { ...base, type: 'number', default: field.default ?? null };
		case 'options':
		case 'yesNo':
			return {
				...base,
				type: 'options',
				options: field.type === 'yesNo' ? YES_NO_OPTIONS : (field.options ?? []),
				default: field.default ?? (field.type === 'yesNo' ? '' : (field.options?.[0]?.value ?? '')),
			};
		case 'date':
		case 'dateTime':
		case 'registerDate':
			return { ...base, type: 'dateTime', default: field.default ?? '' };
		case 'json':
			return { ...base, type: 'json', default: field.default ?? (field.jsonShape === 'array' ? '[]' : '{}') };
		case 'locator':
			return {
				...base,
				type: 'resourceLocator',
				default: { mode: 'list', value: '' },
				modes: [
					{
						displayName: 'From List',
						name: 'list',
						type: 'list',
						typeOptions: { searchListMethod: field.searchMethod, searchable: true },
					},
					{
						displayName: 'By ID',
						name: 'id',
						type: 'string',
						placeholder: 'e.g. 42',
						validation: [
							{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'The ID is a number' } },
						],
					},
				],
			};
		case 'list':
		case 'string':
		default:
			return { ...base, type: 'string', default: field.default ?? '' };
	}
}

/** The zone that instants are converted to for date-time fields: the account's, else the workflow's. */
function accountZone(context: FieldContext): string {
	const configured = context.accountTimeZone?.()?.trim();
	if (!configured) return context.getTimezone();
	if (!isKnownTimeZone(configured)) {
		throw new NodeOperationError(context.getNode(), `"${configured}" is not a time zone`, {
			itemIndex: context.getItemIndex(),
			description:
				'Fix "Account Time Zone" in the Loymax SC credential: an IANA name such as Europe/Moscow, or empty for the time zone of the workflow; nothing was sent to Loymax SC for this item.',
		});
	}
	return configured;
}

/**
 * The value to send for a date field. Instants (ISO with `Z` or an offset, JS Date, Luxon) are
 * converted: date-time fields to the account's time zone, date-only fields (Birth Date) to the
 * workflow's, so a date never shifts a day. A value without a zone is sent as written.
 */
function convertDate(context: FieldContext, field: FieldSpec, raw: unknown, fail: (problem: string) => Error): string {
	const input = parseDateInput(raw);
	if (!input) throw fail(`"${shown(raw)}" is not a date (use ISO 8601 or yyyy-mm-dd hh:mm:ss)`);
	if (field.type === 'date') return formatDate(wallClockOf(input, context.getTimezone()));
	const zone = accountZone(context);
	const clock = wallClockOf(input, zone);
	if (field.type === 'registerDate') {
		const thisYear = wallClockIn(Date.now(), zone).year;
		if (clock.year < FIRST_REGISTER_YEAR || clock.year > thisYear) {
			throw fail(`the year must be between ${FIRST_REGISTER_YEAR} and ${thisYear}, got ${clock.year}`);
		}
	}
	return formatDateTime(clock);
}

/** A value as the user would recognise it in an error message. */
function shown(raw: unknown): string {
	if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? 'Invalid Date' : raw.toISOString();
	if (raw && typeof raw === 'object') {
		const text = (raw as { toISO?: () => unknown }).toISO?.();
		if (typeof text === 'string') return text;
		if ((raw as { isValid?: unknown }).isValid === false) return 'Invalid DateTime';
		return JSON.stringify(raw) ?? String(raw);
	}
	return String(raw);
}

/** What an empty value becomes with `keepEmpty`: undefined where the API has no empty value. */
function emptyValue(field: FieldSpec): unknown {
	if (field.type === 'number' || field.type === 'json') return undefined;
	return field.type === 'list' ? [] : '';
}

/**
 * Reads and converts one field's value for the current item; undefined means "not set" (with
 * `keepEmpty`, see `ConvertOptions`). Every check happens here, before anything is sent.
 */
export function convertField(context: FieldContext, field: FieldSpec, raw: unknown, options: ConvertOptions = {}): unknown {
	const itemIndex = context.getItemIndex();
	const fail = (problem: string) => invalidField(context.getNode(), itemIndex, field.label, problem);
	const missing = isEmpty(raw) || (field.type === 'locator' && isEmpty((raw as IDataObject)?.value ?? raw));
	if (missing && field.type !== 'yesNo' && field.type !== 'options') {
		if (field.required) throw fail('a value is required');
		return options.keepEmpty ? emptyValue(field) : undefined;
	}
	switch (field.type) {
		case 'number': {
			const value = typeof raw === 'number' ? raw : Number(String(raw).trim().replace(',', '.'));
			if (!Number.isFinite(value)) throw fail(`"${String(raw)}" is not a number`);
			if (field.integer && !Number.isInteger(value)) throw fail(`${value} is not a whole number`);
			return value;
		}
		case 'options':
		case 'yesNo': {
			const allowed = field.type === 'yesNo' ? YES_NO_OPTIONS : (field.options ?? []);
			const value = raw === undefined || raw === null ? '' : String(raw);
			if (!allowed.some((option) => option.value === value)) {
				throw fail(`"${value}" is not one of ${allowed.map((option) => `"${String(option.value)}"`).join(', ')}`);
			}
			if (value === '' && field.required) throw fail('a value is required');
			return value;
		}
		case 'date':
		case 'dateTime':
		case 'registerDate':
			return convertDate(context, field, raw, fail);
		case 'json': {
			const parsed = parseJson(raw);
			if (!parsed.ok) throw fail(parsed.problem);
			const problem = parsed.value === undefined ? undefined : (jsonShapeProblem(parsed.value, field.jsonShape ?? 'object') ?? keysProblem(parsed.value));
			if (problem) throw fail(problem);
			return parsed.value;
		}
		case 'list': {
			const values = (Array.isArray(raw) ? raw : String(raw).split(/[\n,;]/))
				.map((value) => String(value).trim())
				.filter((value) => value !== '');
			if (!values.length && field.required) throw fail('at least one value is required');
			return values;
		}
		case 'locator': {
			const value = String((raw as IDataObject)?.value ?? raw).trim();
			if (!/^\d+$/.test(value)) throw fail(`"${value}" is not a Loymax SC ID (a number)`);
			return value;
		}
		default: {
			const text = String(raw);
			if (field.wholeAsNumber && /^(0|[1-9]\d*)$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
			return text;
		}
	}
}

export function readField(context: FieldContext, field: FieldSpec): unknown {
	const raw = context.getNodeParameter(field.name, undefined, { extractValue: field.type === 'locator' });
	return convertField(context, field, raw);
}

/**
 * Reads the fields the user added to an optional collection (Additional Fields, Update Fields)
 * into body attributes, keyed by API name. Fields not added are absent.
 *
 * With `keepEmpty` (an update that keeps the record's other fields), every added field is present,
 * empty ones included: text, dates, options and IDs as `""`, lists as `[]`. Numbers and JSON have
 * no empty value the API accepts, so an empty one is present as `undefined`: merged over the
 * current record (`{ ...current, ...attributes }`) it removes the stored value, the field is left
 * out of the JSON body, and the API empties it (it empties every field that is not sent).
 */
export function readCollection(
	context: FieldContext,
	fields: FieldSpec[],
	collection: IDataObject,
	options: ConvertOptions = {},
): IDataObject {
	const attributes: IDataObject = {};
	for (const field of fields) {
		if (!(field.name in collection)) continue;
		const value = convertField(context, { ...field, required: false }, collection[field.name], options);
		if (value !== undefined || options.keepEmpty) attributes[apiName(field)] = value as IDataObject[keyof IDataObject];
	}
	return attributes;
}
