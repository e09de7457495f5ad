import type { IDataObject } from 'n8n-workflow';

import { runsAsTool, type ItemContext } from './context';
import { simplifyResource, type JsonApiResource } from './jsonapi';

/**
 * What each record becomes in the output. As a plain node: Simplify (on) or the raw record. As an
 * AI Agent tool, n8n shows "Output" instead (`@tool` display option), so that a model's context is
 * not filled with what it does not need.
 */
export type OutputShape =
	| { kind: 'raw' }
	| { kind: 'simplified'; dropEmpty: boolean }
	| { kind: 'selected'; fields: string[] };

/** Keys that identify a record; Selected Fields always keeps them. */
const IDENTITY = ['id', 'local_id'];

/** Reads Output (tool) or Simplify (plain node). */
export function readOutputShape(context: ItemContext): OutputShape {
	if (!runsAsTool(context)) {
		return (context.getNodeParameter('simplify', true) as boolean) ? { kind: 'simplified', dropEmpty: false } : { kind: 'raw' };
	}
	const output = context.getNodeParameter('output', 'simplified') as string;
	if (output === 'raw') return { kind: 'raw' };
	if (output === 'selected') {
		const fields = context.getNodeParameter('outputFields', []) as string[] | string;
		// An expression may give a comma-separated text instead of a list.
		const list = (Array.isArray(fields) ? fields : String(fields).split(',')).map((name) => String(name).trim()).filter(Boolean);
		return { kind: 'selected', fields: list };
	}
	return { kind: 'simplified', dropEmpty: true };
}

const isEmptyValue = (value: unknown) =>
	value === '' ||
	value === null ||
	value === undefined ||
	(Array.isArray(value) && value.length === 0) ||
	(typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0);

export function shapeResource(resource: JsonApiResource, shape: OutputShape): IDataObject {
	if (shape.kind === 'raw') return resource;
	const simplified = simplifyResource(resource);
	if (shape.kind === 'simplified') {
		return shape.dropEmpty ? Object.fromEntries(Object.entries(simplified).filter(([, value]) => !isEmptyValue(value))) : simplified;
	}
	const kept = [...IDENTITY, ...shape.fields.filter((name) => !IDENTITY.includes(name))];
	return Object.fromEntries(kept.filter((name) => simplified[name] !== undefined).map((name) => [name, simplified[name]]));
}
