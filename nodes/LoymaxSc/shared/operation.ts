import type { IDataObject, IDisplayOptions, IHttpRequestMethods, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { sendEnveloped } from '../transport/envelope';
import type { ApiClient } from '../transport/request';
import type { RawResponse } from '../transport/policy';
import type { ItemContext } from './context';
import {
	customAttributesProperty,
	keepUnsetFieldsProperty,
	limitProperty,
	replaceWarning,
	returnAllProperty,
	simplifyProperty,
	sortProperty,
} from './descriptions';
import { apiName, fieldProperty, readCollection, readField, type FieldSpec } from './fields';
import { hasMorePages, isResource, outputResource, readPage, type JsonApiResource } from './jsonapi';
import { invalidField, snakeCase } from './values';

export type OperationKind = 'read' | 'list' | 'write' | 'delete';

export interface PrepareInput {
	attributes: IDataObject;
	ids: IDataObject;
	/** A retry-safe GET through the transport; answers the response body. */
	get: (path: string) => Promise<unknown>;
}

/** Everything that differs between operations; the rest is shared below. */
export interface OperationSpec {
	value: string;
	name: string;
	action: string;
	description: string;
	kind: OperationKind;
	method: IHttpRequestMethods;
	/** `{name}` placeholders are filled from `ids`, URL-encoded. */
	path: string;
	/** Path identifiers, shown first, always required. */
	ids?: FieldSpec[];
	/** Body fields shown as top-level parameters. */
	fields?: FieldSpec[];
	/** Body fields in "Additional Fields" (create) or "Update Fields" (update). */
	optional?: FieldSpec[];
	optionalCollection?: 'additionalFields' | 'updateFields';
	/** Header parameters (the docs put `device_id` in a header). */
	headers?: FieldSpec[];
	customAttributes?: boolean;
	/** Loymax's OpenAPI file shows this body wrapped: Body Format Flat keeps it so, Auto learns it apart. */
	envelopeDocumented?: boolean;
	/** The body is a list of records: `{"data":[…]}` as Loymax's OpenAPI file shows, or the bare list when flat. */
	listBody?: boolean;
	/** API fields that must be present in the final body (checked after a safe-update merge). */
	requires?: string[];
	/** A path ID that is also the record's `local_id`: sent in the body too (PATCH replaces the record). */
	keyAttribute?: { id: string; attribute: string };
	/** Sent attributes echoed in an acknowledgement, so each item says what it was about. */
	ackAttributes?: string[];
	/** Further checks of the final body; returns the field and the problem, or undefined. */
	check?: (attributes: IDataObject) => { field: string; problem: string } | undefined;
	/** Operation-specific parameters; displayOptions are added here. */
	extraProperties?: INodeProperties[];
	/** Reads structured inputs (lines, context, categories...) into body attributes, before any request. */
	readExtra?: (context: ItemContext) => IDataObject;
	/** Update that replaces the record: offers "Keep Fields Not Set" (read, merge, send). */
	safeUpdate?: boolean;
	/** Attributes the platform computes: read with the record, never sent back by a safe update. */
	readOnly?: string[];
	/** Upsert that replaces the record: shows a warning. */
	replaces?: string;
	/** Whether the write answers with the record (then Simplify is offered). */
	returnsRecord?: boolean;
	/** Whether repeating after a possible arrival is harmless; reads and keyed upserts are. */
	retrySafe?: boolean;
	/** Attributes offered in the Sort list (Get Many). */
	sortable?: string[];
	/** A list read whole, without Return All / Limit / Sort (small per-customer collections). */
	fetchAll?: boolean;
	/** Fills body values that need a request of their own, after all input was checked. */
	prepare?: (input: PrepareInput) => Promise<void>;
	hints?: INodeProperties[];
	/** An operation that is not one request of its kind (Check Connection): runs instead of it. */
	execute?: (input: ExecuteInput) => Promise<IDataObject[]>;
}

export interface ExecuteInput {
	client: ApiClient;
	/** A request to the operation's path through the transport. */
	send: (method: IHttpRequestMethods, qs?: IDataObject) => Promise<RawResponse>;
}

export interface ResourceSpec {
	name: string;
	value: string;
	operations: OperationSpec[];
}

const withDisplay = (property: INodeProperties, show: IDisplayOptions['show']): INodeProperties => ({
	...property,
	displayOptions: { ...property.displayOptions, show: { ...show, ...property.displayOptions?.show } },
});

function optionalCollectionName(spec: OperationSpec) {
	return spec.optionalCollection ?? (spec.kind === 'write' && spec.method === 'PATCH' ? 'updateFields' : 'additionalFields');
}

const showsSimplify = (spec: OperationSpec) =>
	!spec.execute && (spec.kind === 'read' || spec.kind === 'list' || spec.returnsRecord === true);

/** The n8n parameters of one operation, in the order the user meets them. */
export function operationProperties(resource: string, spec: OperationSpec): INodeProperties[] {
	const show = { resource: [resource], operation: [spec.value] };
	const properties: INodeProperties[] = [];
	if (spec.replaces) properties.push(replaceWarning(spec.replaces));
	properties.push(...(spec.hints ?? []));
	for (const field of [...(spec.ids ?? []), ...(spec.headers ?? []), ...(spec.fields ?? [])]) {
		properties.push(fieldProperty(field));
	}
	properties.push(...(spec.extraProperties ?? []));
	if (spec.kind === 'list' && !spec.fetchAll) {
		properties.push(returnAllProperty, withDisplay(limitProperty, { returnAll: [false] }));
		properties.push(sortProperty(spec.sortable ?? ['id']));
	}
	if (spec.optional?.length) {
		const collection = optionalCollectionName(spec);
		properties.push({
			displayName: collection === 'updateFields' ? 'Update Fields' : 'Additional Fields',
			name: collection,
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: spec.optional.map((field) => fieldProperty({ ...field, required: false })),
		});
	}
	if (spec.customAttributes) properties.push(customAttributesProperty);
	if (spec.safeUpdate) properties.push(keepUnsetFieldsProperty);
	if (showsSimplify(spec)) properties.push(simplifyProperty);
	return properties.map((property) => withDisplay(property, show));
}

/**
 * The body attributes the user gave. With `keepEmpty` (a safe update) a field added to Update
 * Fields is sent as given, empty included, so that it clears the stored value.
 */
function readAttributes(context: ItemContext, spec: OperationSpec, keepEmpty: boolean): IDataObject {
	const attributes: IDataObject = {};
	for (const field of spec.fields ?? []) {
		const value = readField(context, field);
		if (value !== undefined) attributes[apiName(field)] = value as IDataObject[keyof IDataObject];
	}
	if (spec.optional?.length) {
		const collection = context.getNodeParameter(optionalCollectionName(spec), {}) as IDataObject;
		Object.assign(attributes, readCollection(context, spec.optional, collection, { keepEmpty }));
	}
	Object.assign(attributes, spec.readExtra?.(context));
	if (spec.customAttributes) {
		const custom = context.getNodeParameter('customAttributes.attribute', []) as Array<{ name?: string; value?: unknown }>;
		for (const { name, value } of custom) {
			const key = String(name ?? '').trim();
			if (key === '') {
				throw invalidField(context.getNode(), context.getItemIndex(), 'Custom Attributes', 'an attribute has no name');
			}
			attributes[key] = value as IDataObject[keyof IDataObject];
		}
	}
	return attributes;
}

function readSort(context: ItemContext): string | undefined {
	const rules = context.getNodeParameter('sort.rule', []) as Array<{ attribute?: string; direction?: string }>;
	if (!rules.length) return undefined;
	const sort = rules.map(({ attribute, direction }) => {
		const name = String(attribute ?? '').trim();
		if (name === '') throw invalidField(context.getNode(), context.getItemIndex(), 'Sort', 'a rule has no attribute');
		if (direction !== 'asc' && direction !== 'desc') {
			throw invalidField(context.getNode(), context.getItemIndex(), 'Sort', `direction "${String(direction)}" is not "asc" or "desc"`);
		}
		return { attribute: name, direction };
	});
	return JSON.stringify(sort);
}

function readLimit(context: ItemContext): number {
	if (context.getNodeParameter('returnAll', false) as boolean) return Infinity;
	const limit = Number(context.getNodeParameter('limit', 50));
	if (!Number.isInteger(limit) || limit < 1) {
		throw invalidField(context.getNode(), context.getItemIndex(), 'Limit', `${limit} is not a whole number of at least 1`);
	}
	return limit;
}

/** The n8n label of an API field, for error messages. */
function labelOf(spec: OperationSpec, field: string): string {
	return [...(spec.fields ?? []), ...(spec.optional ?? [])].find((candidate) => apiName(candidate) === field)?.label ?? field;
}

/** Keys of an acknowledgement: what was sent, so that an item says which record it was about. */
const ackKeys = (ids: IDataObject) => Object.fromEntries(Object.entries(ids).map(([name, value]) => [snakeCase(name), value]));

function writeOutput(body: unknown, keys: IDataObject, simplify: boolean): IDataObject {
	const data = (body as { data?: unknown } | undefined)?.data;
	if (isResource(data) && (data.id !== undefined || data.type !== undefined)) return outputResource(data, simplify);
	if (isResource(data)) return { ...(data.attributes ?? {}), ...keys };
	if (body && typeof body === 'object' && Object.keys(body).length) return { ...(body as IDataObject), ...keys };
	return { success: true, ...keys };
}

/** What the three kinds of operation share for one item: its path, headers, settings and sender. */
interface ItemRequest {
	context: ItemContext;
	spec: OperationSpec;
	ids: IDataObject;
	simplify: boolean;
	client: ApiClient;
	send: (method: IHttpRequestMethods, qs?: IDataObject, body?: unknown, retrySafe?: boolean) => Promise<RawResponse>;
	/** A retry-safe GET of another path (used by `prepare` hooks). */
	get: (path: string) => Promise<unknown>;
}

async function runList({ context, spec, simplify, client, send }: ItemRequest): Promise<IDataObject[]> {
	const sort = spec.fetchAll ? undefined : readSort(context);
	const limit = spec.fetchAll ? Infinity : readLimit(context);
	// One page size for every page: page numbers count in it, so Limit only trims the last page.
	const pageSize = Math.min(client.settings.pageSize, limit);
	const results: IDataObject[] = [];
	for (let pageNumber = 1; ; pageNumber++) {
		const qs: IDataObject = { 'page[number]': pageNumber, 'page[size]': pageSize };
		if (sort) qs.sort = sort;
		const page = readPage((await send('GET', qs)).body);
		for (const resource of page.data) results.push(outputResource(resource, simplify));
		if (results.length >= limit || !hasMorePages(page, results.length, pageSize)) break;
	}
	return results.length > limit ? results.slice(0, limit) : results;
}

async function runRead({ ids, simplify, send }: ItemRequest): Promise<IDataObject[]> {
	const data = (((await send('GET')).body ?? {}) as { data?: unknown }).data;
	if (Array.isArray(data)) return data.map((resource: JsonApiResource) => outputResource(resource, simplify));
	return isResource(data) ? [outputResource(data, simplify)] : [{ ...ackKeys(ids), found: false }];
}

async function runWrite({ context, spec, ids, simplify, client, send, get }: ItemRequest): Promise<IDataObject[]> {
	const mergeCurrent = spec.safeUpdate === true && (context.getNodeParameter('keepUnsetFields', true) as boolean);
	let attributes = readAttributes(context, spec, mergeCurrent);
	if (spec.keyAttribute && attributes[spec.keyAttribute.attribute] === undefined) {
		attributes[spec.keyAttribute.attribute] = ids[spec.keyAttribute.id] as string;
	}
	const validate = () => {
		for (const required of spec.requires ?? []) {
			if (attributes[required] === undefined || attributes[required] === '') {
				throw invalidField(context.getNode(), context.getItemIndex(), labelOf(spec, required), 'a value is required (the API rejects the record without it)');
			}
		}
		const problem = spec.check?.(attributes);
		if (problem) throw invalidField(context.getNode(), context.getItemIndex(), problem.field, problem.problem);
	};
	// Without a merge the input is complete now: reject it before anything is sent.
	if (!mergeCurrent) validate();
	else {
		const current = (((await send('GET', undefined, undefined, true)).body ?? {}) as { data?: unknown }).data;
		if (isResource(current)) {
			const kept = Object.entries(current.attributes ?? {}).filter(([name]) => !spec.readOnly?.includes(name));
			attributes = { ...Object.fromEntries(kept), ...attributes };
		}
		validate();
	}
	await spec.prepare?.({ attributes, ids, get });
	// A delete without attributes sends no body; everything else goes in the shape the API takes.
	const response =
		Object.keys(attributes).length || spec.kind === 'write'
			? await sendEnveloped({
					format: client.settings.bodyFormat,
					baseUrl: client.settings.baseUrl,
					endpoint: `${spec.method} ${spec.path}`,
					documented: spec.envelopeDocumented === true,
					list: spec.listBody === true,
					attributes,
					send: async (body) => await send(spec.method, undefined, body),
				})
			: await send(spec.method);
	const echoed = (spec.ackAttributes ?? []).filter((name) => attributes[name] !== undefined);
	const keys = { ...ackKeys(ids), ...Object.fromEntries(echoed.map((name) => [name, attributes[name]])) };
	if (spec.kind === 'delete') return [{ deleted: true, ...keys }];
	return [writeOutput(response.body, keys, simplify)];
}

/** Runs one operation for one item: reads and checks all its input first, then sends through the client. */
export async function runOperation(context: ItemContext, spec: OperationSpec, client: ApiClient): Promise<IDataObject[]> {
	const ids: IDataObject = {};
	for (const field of spec.ids ?? []) ids[field.name] = readField(context, { ...field, required: true }) as string;
	const path = spec.path.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(String(ids[name])));
	const headers: Record<string, string> = {};
	for (const field of spec.headers ?? []) {
		const value = readField(context, field);
		if (value !== undefined) headers[apiName(field)] = String(value);
	}
	const retrySafe = spec.retrySafe ?? (spec.kind === 'read' || spec.kind === 'list');
	const itemIndex = context.getItemIndex();
	const subject = (spec.ids ?? []).map((field) => `${field.label} "${String(ids[field.name])}"`).join(', ') || undefined;
	const request = async (requestPath: string, method: IHttpRequestMethods, qs?: IDataObject, body?: unknown, safe = retrySafe) =>
		await client.request({ method, path: requestPath, qs, body, headers, retrySafe: safe, itemIndex, subject });
	const item: ItemRequest = {
		context,
		spec,
		ids,
		simplify: showsSimplify(spec) ? (context.getNodeParameter('simplify', true) as boolean) : true,
		client,
		send: async (method, qs, body, safe) => await request(path, method, qs, body, safe),
		get: async (otherPath) => (await request(otherPath, 'GET', undefined, undefined, true)).body,
	};
	if (spec.execute) return await spec.execute({ client, send: async (method, qs) => await item.send(method, qs) });
	if (spec.kind === 'list') return await runList(item);
	if (spec.kind === 'read') return await runRead(item);
	return await runWrite(item);
}

/** The `operation` parameter's option for one operation. */
export function operationOption(spec: OperationSpec): INodePropertyOptions {
	return { name: spec.name, value: spec.value, action: spec.action, description: spec.description };
}

export function resourceProperties(resource: ResourceSpec): INodeProperties[] {
	const operations = [...resource.operations].sort((a, b) => a.name.localeCompare(b.name));
	const firstOperation = operations[0].value;
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource.value] } },
			options: operations.map(operationOption),
			default: firstOperation,
		},
		...resource.operations.flatMap((spec) => operationProperties(resource.value, spec)),
	];
}
