import type { IDataObject, INodeProperties, INodePropertyOptions, NodeParameterValue } from 'n8n-workflow';

import { formatDate, formatDateTime, invalidField, isEmpty, jsonShapeProblem, parseDateParts, parseJson, snakeCase } from './values';
import type { ItemContext } from './context';

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
			return { ...base, type: 'number', default: field.default ?? 0 };
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

/**
 * Reads and converts one field's value for item `itemIndex`; undefined means "not set".
 * Every check happens here, before anything is sent.
 */
export function convertField(context: ItemContext, field: FieldSpec, raw: unknown): unknown {
	const itemIndex = context.getItemIndex();
	const fail = (problem: string) => invalidField(context.getNode(), itemIndex, field.label, problem);
	const missing = isEmpty(raw) || (field.type === 'locator' && isEmpty((raw as IDataObject)?.value ?? raw));
	if (missing && field.type !== 'yesNo' && field.type !== 'options') {
		if (field.required) throw fail('a value is required');
		return undefined;
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
		case 'registerDate': {
			const parts = parseDateParts(raw);
			if (!parts) throw fail(`"${String(raw)}" is not a date (use ISO 8601 or yyyy-mm-dd hh:mm:ss)`);
			if (field.type === 'registerDate') {
				const thisYear = new Date().getFullYear();
				if (parts.year < FIRST_REGISTER_YEAR || parts.year > thisYear) {
					throw fail(`the year must be between ${FIRST_REGISTER_YEAR} and ${thisYear}, got ${parts.year}`);
				}
			}
			return field.type === 'date' ? formatDate(parts) : formatDateTime(parts);
		}
		case 'json': {
			const parsed = parseJson(raw);
			if (!parsed.ok) throw fail(parsed.problem);
			const problem = parsed.value === undefined ? undefined : jsonShapeProblem(parsed.value, field.jsonShape ?? 'object');
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
		default:
			return String(raw);
	}
}

export function readField(context: ItemContext, field: FieldSpec): unknown {
	const raw = context.getNodeParameter(field.name, undefined, { extractValue: field.type === 'locator' });
	return convertField(context, field, raw);
}
