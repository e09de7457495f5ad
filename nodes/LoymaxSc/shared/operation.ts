import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IDisplayOptions, IHttpRequestMethods, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { sendEnveloped } from '../transport/envelope';
import type { ApiClient } from '../transport/request';
import type { RawResponse } from '../transport/policy';
import { runsAsTool, type ItemContext } from './context';
import {
	customAttributesProperty,
	keepUnsetFieldsProperty,
	limitProperty,
	outputFieldsProperty,
	outputProperty,
	replaceWarning,
	returnAllProperty,
	simplifyProperty,
	sortProperty,
} from './descriptions';
import { apiName, fieldProperty, readCollection, readField, type FieldSpec } from './fields';
import { hasMorePages, isResource, readPage, type JsonApiResource } from './jsonapi';
import { readOutputShape, shapeResource, type OutputShape } from './output';
import { headerValueProblem, invalidField, isPlainObject, pathSegmentProblem, reservedKeyProblem, snakeCase } from './values';

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
	/** API fields the record returns under another name (sent name → read name): a safe update sends the read value under the sent name. */
	readNames?: Record<string, string>;
	/** Upsert that replaces the record: shows a warning. */
	replaces?: string;
	/** Whether the write answers with the record (then Simplify, or Output as a tool, is offered). */
	returnsRecord?: boolean;
	/** Attributes of the records it outputs, when they are not the resource's own (offered in Fields). */
	outputAttributes?: string[];
	/** Whether repeating after a possible arrival is harmless; reads and keyed upserts are. */
	retrySafe?: boolean;
	/** The status a repeat gets when the attempt before it did the work (409 for a registration; deletes: 404). */
	alreadyDoneStatus?: number;
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
	/** Attributes of its records (offered in Fields when the node runs as a tool). */
	attributes?: string[];
}

const withDisplay = (property: INodeProperties, show: IDisplayOptions['show']): INodeProperties => ({
	...property,
	displayOptions: { ...property.displayOptions, show: { ...show, ...property.displayOptions?.show } },
});

function optionalCollectionName(spec: OperationSpec) {
	return spec.optionalCollection ?? (spec.kind === 'write' && spec.method === 'PATCH' ? 'updateFields' : 'additionalFields');
}

const showsOutput = (spec: OperationSpec) => !spec.execute && (spec.kind === 'read' || spec.kind === 'list' || spec.returnsRecord === true);

/** The n8n parameters of one operation, in the order the user meets them. */
export function operationProperties(resource: ResourceSpec, spec: OperationSpec): INodeProperties[] {
	const show = { resource: [resource.value], operation: [spec.value] };
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
	if (showsOutput(spec)) {
		properties.push(simplifyProperty, outputProperty, outputFieldsProperty(spec.outputAttributes ?? resource.attributes ?? []));
	}
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
			const problem = key === '' ? 'an attribute has no name' : reservedKeyProblem(key);
			if (problem) throw invalidField(context.getNode(), context.getItemIndex(), 'Custom Attributes', problem);
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

function writeOutput(body: unknown, keys: IDataObject, shape: OutputShape): IDataObject {
	const data = (body as { data?: unknown } | undefined)?.data;
	if (isResource(data) && (data.id !== undefined || data.type !== undefined)) return shapeResource(data, shape);
	if (isResource(data)) return { ...(data.attributes ?? {}), ...keys };
	if (body && typeof body === 'object' && Object.keys(body).length) return { ...(body as IDataObject), ...keys };
	return { success: true, ...keys };
}

/** What the three kinds of operation share for one item: its path, headers, settings and sender. */
interface ItemRequest {
	context: ItemContext;
	spec: OperationSpec;
	ids: IDataObject;
	shape: OutputShape;
	/** The record the item is about (its IDs), for error messages. */
	subject?: string;
	client: ApiClient;
	send: (method: IHttpRequestMethods, qs?: IDataObject, body?: unknown, retrySafe?: boolean) => Promise<RawResponse>;
	/** A retry-safe GET of another path (used by `prepare` hooks). */
	get: (path: string) => Promise<unknown>;
}

async function runList({ context, spec, shape, client, send }: ItemRequest): Promise<IDataObject[]> {
	const sort = spec.fetchAll ? undefined : readSort(context);
	const limit = spec.fetchAll ? Infinity : readLimit(context);
	// One page size for every page: page numbers count in it, so Limit only trims the last page.
	const pageSize = Math.min(client.settings.pageSize, limit);
	const results: IDataObject[] = [];
	let previousPage: string | undefined;
	for (let pageNumber = 1; ; pageNumber++) {
		if (pageNumber > listPaging.maxPages) {
			throw new NodeOperationError(context.getNode(), `Stopped after ${listPaging.maxPages} pages (${results.length} records): Loymax SC kept announcing more`, {
				itemIndex: context.getItemIndex(),
				description: 'Turn off Return All and set a Limit to read fewer records.',
			});
		}
		const qs: IDataObject = { 'page[number]': pageNumber, 'page[size]': pageSize };
		if (sort) qs.sort = sort;
		const page = readPage((await send('GET', qs)).body);
		const thisPage = pageIdentity(page.data);
		if (page.data.length && thisPage === previousPage) {
			context.warn?.(
				`Loymax SC answered page ${pageNumber} with the records of page ${pageNumber - 1} (it seems to ignore page[number]); the list ends there, with ${results.length} records`,
			);
			break;
		}
		previousPage = thisPage;
		for (const resource of page.data) results.push(shapeResource(resource, shape));
		if (results.length >= limit || !hasMorePages(page, results.length, pageSize)) break;
	}
	return results.length > limit ? results.slice(0, limit) : results;
}

/** How many pages one list may read: a guard against an API that never ends a list. An object, so that tests can lower it. */
export const listPaging = { maxPages: 100_000 };

/** A page's records by ID (by content when some have none), to notice the same page coming twice. */
const pageIdentity = (data: JsonApiResource[]) =>
	JSON.stringify(data.every((resource) => resource.id !== undefined && resource.id !== '') ? data.map((resource) => resource.id) : data);

async function runRead({ ids, shape, send }: ItemRequest): Promise<IDataObject[]> {
	const data = (((await send('GET')).body ?? {}) as { data?: unknown }).data;
	if (Array.isArray(data)) return data.map((resource: JsonApiResource) => shapeResource(resource, shape));
	return isResource(data) ? [shapeResource(data, shape)] : [{ ...ackKeys(ids), found: false }];
}

/**
 * What a safe update keeps of the current record: its attributes but the computed ones, under the
 * names the update sends, text fields as text. Anything but one record fails the item: the update
 * would otherwise send only the given fields, and the API would empty all the others.
 */
function keptAttributes({ context, spec, subject }: ItemRequest, current: unknown): IDataObject {
	if (!isResource(current) || !isPlainObject(current.attributes)) {
		const answer = Array.isArray(current) ? 'a list' : current === null ? '"data": null' : current === undefined ? 'no data' : 'no record';
		throw new NodeOperationError(
			context.getNode(),
			`Keep Fields Not Set could not read the current record${subject ? ` (${subject})` : ''}: Loymax SC answered with ${answer} instead of one record`,
			{
				itemIndex: context.getItemIndex(),
				description:
					'Nothing was updated: without the current record the update would empty every field you did not set. Check the ID, or turn off Keep Fields Not Set and send the complete record.',
			},
		);
	}
	const kept = Object.fromEntries(Object.entries(current.attributes).filter(([name]) => !spec.readOnly?.includes(name)));
	for (const [sentName, readName] of Object.entries(spec.readNames ?? {})) {
		if (!(readName in kept)) continue;
		if (!(sentName in kept)) kept[sentName] = kept[readName];
		delete kept[readName];
	}
	// A text field goes back as text, whatever type the record holds it in.
	for (const field of [...(spec.fields ?? []), ...(spec.optional ?? [])]) {
		const name = apiName(field);
		if (field.type === 'string' && typeof kept[name] === 'number') kept[name] = String(kept[name]);
	}
	return kept;
}

async function runWrite(item: ItemRequest): Promise<IDataObject[]> {
	const { context, spec, ids, shape, client, send, get } = item;
	const mergeCurrent = spec.safeUpdate === true && (context.getNodeParameter('keepUnsetFields', true) as boolean);
	// A model must give every argument it is offered: as a tool, an empty one keeps the stored value.
	let attributes = readAttributes(context, spec, mergeCurrent && !runsAsTool(context));
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
		attributes = { ...keptAttributes(item, current), ...attributes };
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
	// A repeat after a timeout found the work done by the attempt that timed out.
	const alreadyDone = response.alreadyDone ? { alreadyDone: true } : {};
	if (spec.kind === 'delete') return [{ deleted: true, ...keys, ...alreadyDone }];
	if (response.alreadyDone) return [{ success: true, ...keys, ...alreadyDone }];
	return [writeOutput(response.body, keys, shape)];
}

/**
 * Which record an item writes, when the operation addresses one: its path with the IDs filled in,
 * and the `local_id` of an upsert. Undefined for reads and for creates of independent records.
 */
export function recordKey(context: ItemContext, spec: OperationSpec): string | undefined {
	if (spec.kind === 'read' || spec.kind === 'list') return undefined;
	try {
		const ids: IDataObject = {};
		for (const field of spec.ids ?? []) ids[field.name] = readField(context, { ...field, required: true }) as string;
		const path = spec.path.replace(/\{(\w+)\}/g, (_match, name: string) => `{${String(ids[name])}}`);
		const localIdField = spec.fields?.find((field) => field.name === 'localId');
		if (localIdField) return `${path}\n${String(readField(context, localIdField))}`;
		return spec.ids?.length ? path : undefined;
	} catch {
		// The item's input is invalid: it fails on its own without sending anything.
		return undefined;
	}
}

/** Runs one operation for one item: reads and checks all its input first, then sends through the client. */
export async function runOperation(context: ItemContext, spec: OperationSpec, client: ApiClient): Promise<IDataObject[]> {
	// Path IDs and headers are checked as input too: some values would change or break the request.
	const checked = (field: FieldSpec, value: string, problemOf: (value: string) => string | undefined) => {
		const problem = problemOf(value);
		if (problem) throw invalidField(context.getNode(), context.getItemIndex(), field.label, problem);
		return value;
	};
	const ids: IDataObject = {};
	for (const field of spec.ids ?? []) {
		ids[field.name] = checked(field, String(readField(context, { ...field, required: true })), pathSegmentProblem);
	}
	const path = spec.path.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(String(ids[name])));
	const headers: Record<string, string> = {};
	for (const field of spec.headers ?? []) {
		const value = readField(context, field);
		if (value !== undefined) headers[apiName(field)] = checked(field, String(value), headerValueProblem);
	}
	const retrySafe = spec.retrySafe ?? (spec.kind === 'read' || spec.kind === 'list');
	const itemIndex = context.getItemIndex();
	const subject = (spec.ids ?? []).map((field) => `${field.label} "${String(ids[field.name])}"`).join(', ') || undefined;
	const alreadyDoneStatuses = spec.kind === 'delete' ? [404] : spec.alreadyDoneStatus ? [spec.alreadyDoneStatus] : undefined;
	const request = async (requestPath: string, method: IHttpRequestMethods, qs?: IDataObject, body?: unknown, safe = retrySafe) =>
		await client.request({
			method,
			path: requestPath,
			qs,
			body,
			headers,
			retrySafe: safe,
			itemIndex,
			subject,
			alreadyDoneStatuses: method === spec.method ? alreadyDoneStatuses : undefined,
		});
	const item: ItemRequest = {
		context,
		spec,
		ids,
		subject,
		shape: showsOutput(spec) ? readOutputShape(context) : { kind: 'simplified', dropEmpty: false },
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
		...resource.operations.flatMap((spec) => operationProperties(resource, spec)),
	];
}
