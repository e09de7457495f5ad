import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { apiName, convertField, fieldProperty, type FieldSpec } from './fields';
import { invalidField, jsonShapeProblem, keysProblem, parseJson, reservedKeyProblem } from './values';
import type { ItemContext } from './context';

/**
 * Inputs that are a list of records (order lines) or a key/value object (event context): the user
 * fills them in field by field, or passes JSON (often straight from an expression).
 */
export interface StructuredInput {
	/** Parameter name; `<name>Input` chooses the mode and `<name>Json` holds the JSON. */
	name: string;
	label: string;
	/** Name of one entry in the fixedCollection. */
	entryName: string;
	entryLabel: string;
	/** Fields of one entry; a key/value input uses `keyValueFields`. */
	fields: FieldSpec[];
	shape: 'array' | 'object';
	description?: string;
}

export const keyValueFields: FieldSpec[] = [
	{ name: 'key', label: 'Key', type: 'string', required: true },
	{ name: 'value', label: 'Value', type: 'string' },
];

export function structuredProperties(input: StructuredInput): INodeProperties[] {
	const emptyJson = input.shape === 'array' ? '[]' : '{}';
	return [
		{
			displayName: `${input.label} Input`,
			name: `${input.name}Input`,
			type: 'options',
			options: [
				{ name: 'Using Fields Below', value: 'fields' },
				{ name: 'Using JSON', value: 'json' },
			],
			default: 'fields',
		},
		{
			displayName: input.label,
			name: input.name,
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: `Add ${input.entryLabel}`,
			default: {},
			description: input.description,
			displayOptions: { show: { [`${input.name}Input`]: ['fields'] } },
			options: [
				{
					displayName: input.entryLabel,
					name: input.entryName,
					values: input.fields.map(fieldProperty),
				},
			],
		},
		{
			displayName: `${input.label} (JSON)`,
			name: `${input.name}Json`,
			type: 'json',
			default: emptyJson,
			description: input.description,
			displayOptions: { show: { [`${input.name}Input`]: ['json'] } },
		},
	];
}

/** The input's value for the current item; undefined when the user gave nothing. */
export function readStructured(context: ItemContext, input: StructuredInput): unknown {
	const itemIndex = context.getItemIndex();
	if (context.getNodeParameter(`${input.name}Input`, 'fields') === 'json') {
		const parsed = parseJson(context.getNodeParameter(`${input.name}Json`, ''));
		if (!parsed.ok) throw invalidField(context.getNode(), itemIndex, `${input.label} (JSON)`, parsed.problem);
		if (parsed.value === undefined) return undefined;
		const problem = jsonShapeProblem(parsed.value, input.shape === 'array' ? 'objects' : 'object') ?? keysProblem(parsed.value);
		if (problem) throw invalidField(context.getNode(), itemIndex, `${input.label} (JSON)`, problem);
		return parsed.value;
	}
	const entries = context.getNodeParameter(`${input.name}.${input.entryName}`, []) as IDataObject[];
	if (!entries.length) return undefined;
	const converted = entries.map((entry, index) => {
		const record: IDataObject = {};
		for (const field of input.fields) {
			const value = convertField(
				context,
				{ ...field, label: `${input.label} ${index + 1}: ${field.label}` },
				entry[field.name],
			);
			if (value !== undefined) record[apiName(field)] = value as IDataObject[keyof IDataObject];
		}
		return record;
	});
	if (input.shape === 'array') return converted;
	converted.forEach((record, index) => {
		const problem = reservedKeyProblem(String(record.key));
		if (problem) throw invalidField(context.getNode(), itemIndex, `${input.label} ${index + 1}: Key`, problem);
	});
	return Object.fromEntries(converted.map((record) => [String(record.key), record.value ?? '']));
}
