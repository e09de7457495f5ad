/**
 * JSON:API shapes: request envelopes, single/collection documents, pagination and sorting.
 */
import type { Attributes, HandlerResult, ValidationErrors } from './http';
import { addError, addMissing, ApiError, invalidBody, isPlainObject, requiredMessage } from './http';
import type { Envelope, ResolvedSandboxOptions } from './types';

const WRAPPED = '{"data":{"attributes":{...}}}';

function isWrapped(body: unknown): body is { data: { attributes: Attributes } } {
	if (!isPlainObject(body)) return false;
	const keys = Object.keys(body);
	if (keys.length !== 1 || keys[0] !== 'data' || !isPlainObject(body.data)) return false;
	const data = body.data;
	if (!isPlainObject(data.attributes)) return false;
	return Object.keys(data).every((k) => k === 'attributes' || k === 'type' || k === 'id');
}

const isEnveloped = (body: Attributes): boolean =>
	Object.keys(body).length === 1 && isPlainObject(body.data) && 'attributes' in body.data;

/**
 * What an API that looks for the fields elsewhere answers a body in the other envelope: 400
 * "Invalid Attribute" naming the route's required fields as missing; `data` when it has none
 * (required by a wrapped API, prohibited by a flat one).
 */
function wrongEnvelope(envelope: Envelope, required: readonly string[]): ApiError {
	const validation: ValidationErrors = {};
	for (const field of required) addMissing(validation, field);
	if (!required.length) addError(validation, 'data', envelope === 'wrapped' ? requiredMessage('data') : 'The data field is prohibited.');
	return new ApiError(400, 'Invalid Attribute', validation);
}

/**
 * Request body → attributes. `wrapped`: `{"data":{"attributes":{…}}}` (`type`/`id` ignored); `flat`:
 * the object itself. A list route takes `{"data":[…]}` or, flat, the bare list, and answers `{data}`.
 */
export function unwrapBody(body: unknown, envelope: Envelope, list: boolean, required: readonly string[]): Attributes {
	if (list) {
		const wrapped = isPlainObject(body) && Array.isArray(body.data) && Object.keys(body).length === 1;
		if (envelope === 'wrapped') {
			if (wrapped) return body;
			if (Array.isArray(body)) throw wrongEnvelope(envelope, []);
			throw invalidBody('{"data":[{...}, ...]}');
		}
		if (Array.isArray(body)) return { data: body };
		// Laravel names the fields of list items by position.
		if (wrapped) throw wrongEnvelope(envelope, required.map((field) => `0.${field}`));
		throw invalidBody('[{...}, ...]');
	}
	if (envelope === 'wrapped') {
		if (isWrapped(body)) return body.data.attributes;
		if (isPlainObject(body)) throw wrongEnvelope(envelope, required);
		throw invalidBody(WRAPPED);
	}
	if (!isPlainObject(body)) throw invalidBody('a JSON object of attributes');
	if (isEnveloped(body)) throw wrongEnvelope(envelope, required);
	return body;
}

/** A resource as handlers produce it; `self` is the path of its own link. */
export interface ResourceItem {
	type: string;
	id: string;
	attributes: Attributes;
	self: string;
}

export function singleDocument(baseUrl: string, item: ResourceItem, status = 200): HandlerResult {
	return {
		status,
		body: { data: { type: item.type, id: item.id, attributes: item.attributes }, links: { self: baseUrl + item.self } },
	};
}

export function ack(status = 200, extra: Attributes = {}): HandlerResult {
	return { status, body: { data: { attributes: { status: 'success', ...extra } } } };
}

export const noContent = (): HandlerResult => ({ status: 204 });

/* ---------- lists ---------- */

/** A list in its default order. */
export interface ListSource {
	total(): number;
	at(i: number): ResourceItem;
	/** Sortable attribute names (besides `id`). */
	attributeNames(): Iterable<string>;
	/** Optional cache of sorted positions (collections cache them until the next write). */
	cached?(key: string, build: () => number[]): number[];
}

export function arraySource(items: ResourceItem[], attributeNames?: Iterable<string>): ListSource {
	return {
		total: () => items.length,
		at: (i) => items[i],
		attributeNames: () => {
			if (attributeNames) return attributeNames;
			const names = new Set<string>();
			for (const it of items) for (const k of Object.keys(it.attributes)) names.add(k);
			return names;
		},
	};
}

export interface SortTerm {
	attribute: string;
	direction: 'asc' | 'desc';
}

const invalidSort = (): ApiError => new ApiError(400, 'Invalid sort');

/** `idSortable: false` (option `idSortable: 'refuse'`): `id` is not a sortable attribute. */
export function parseSort(raw: string | null, attributes: Iterable<string>, idSortable = true): SortTerm[] {
	if (raw === null) return [];
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		throw invalidSort();
	}
	if (!Array.isArray(parsed)) throw invalidSort();
	const allowed = new Set(attributes);
	if (idSortable) allowed.add('id');
	return parsed.map((t) => {
		if (!isPlainObject(t) || typeof t.attribute !== 'string' || !allowed.has(t.attribute)) throw invalidSort();
		if (t.direction !== 'asc' && t.direction !== 'desc') throw invalidSort();
		return { attribute: t.attribute, direction: t.direction };
	});
}

function positiveInt(query: URLSearchParams, name: string, dflt: number): number {
	const raw = query.get(name);
	if (raw === null) return dflt;
	const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
	if (!Number.isSafeInteger(n) || n < 1) {
		throw new ApiError(400, 'Invalid Parameter', { [name]: ['must be a positive integer'] });
	}
	return n;
}

export function parsePage(query: URLSearchParams, o: ResolvedSandboxOptions): { number: number; size: number } {
	const asked = positiveInt(query, 'page[number]', 1);
	const number = o.ignorePageNumber ? 1 : asked;
	const size = Math.min(positiveInt(query, 'page[size]', o.defaultPageSize), o.maxPageSize);
	return { number, size };
}

type SortValue = number | string;

function sortValue(item: ResourceItem, attribute: string): SortValue {
	const v = attribute === 'id' ? (/^\d+$/.test(item.id) ? Number(item.id) : item.id) : item.attributes[attribute];
	if (typeof v === 'number' || typeof v === 'string') return v;
	if (v === undefined || v === null) return '';
	return JSON.stringify(v);
}

function compare(a: SortValue, b: SortValue): number {
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	const sa = String(a);
	const sb = String(b);
	return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Positions (default-order indexes) sorted by the terms; ties keep the default order. */
function sortedPositions(source: ListSource, terms: SortTerm[]): number[] {
	const n = source.total();
	const keys: SortValue[][] = new Array(n);
	for (let i = 0; i < n; i++) {
		const item = source.at(i);
		keys[i] = terms.map((t) => sortValue(item, t.attribute));
	}
	const positions = Array.from({ length: n }, (_, i) => i);
	const dirs = terms.map((t) => (t.direction === 'asc' ? 1 : -1));
	positions.sort((x, y) => {
		const kx = keys[x];
		const ky = keys[y];
		for (let t = 0; t < dirs.length; t++) {
			const c = compare(kx[t], ky[t]);
			if (c !== 0) return c * dirs[t];
		}
		return x - y;
	});
	return positions;
}

/**
 * Collection document for `GET <selfPath>`: validates `page[...]` and `sort`, pages the source
 * (O(page size) in default order; sorted orders are built once per write and cached).
 */
export function listDocument(
	source: ListSource,
	query: URLSearchParams,
	options: ResolvedSandboxOptions,
	baseUrl: string,
	selfPath: string,
): HandlerResult {
	options.onList?.(selfPath, query);
	const page = parsePage(query, options);
	const rawSort = options.idSortable === 'ignore' ? null : query.get('sort');
	const terms = parseSort(rawSort, source.attributeNames(), options.idSortable !== 'refuse');
	const total = source.total();
	let positions: number[] | undefined;
	if (terms.length > 0) {
		const key = JSON.stringify(terms);
		positions = source.cached ? source.cached(key, () => sortedPositions(source, terms)) : sortedPositions(source, terms);
	}
	const start = (page.number - 1) * page.size;
	const end = Math.min(total, start + page.size);
	const data: unknown[] = [];
	for (let i = start; i < end; i++) {
		const item = source.at(positions ? positions[i] : i);
		data.push({ type: item.type, id: item.id, attributes: item.attributes, links: { self: baseUrl + item.self } });
	}
	const lastPage = Math.max(1, Math.ceil(total / page.size));
	const sortPart = rawSort !== null ? `&sort=${encodeURIComponent(rawSort)}` : '';
	const link = (n: number): string => `${baseUrl}${selfPath}?page[number]=${n}&page[size]=${page.size}${sortPart}`;
	const links: Record<string, string> = { self: link(page.number), first: link(1), last: link(lastPage) };
	if (page.number < lastPage && !options.omitNextLink) links.next = link(page.number + 1);
	if (page.number > 1) links.prev = link(page.number - 1);
	// The reference shows meta and links.next; Loymax's OpenAPI file has no `next` (pagination variants).
	const body: Attributes = options.omitMeta ? { data, links } : { data, meta: { total, count: data.length }, links };
	return { status: 200, body };
}

/** Option `numericIds`: the `id` of each resource in a document's `data` as a JSON number (`"42"` → `42`). */
export function withNumericIds(result: HandlerResult): HandlerResult {
	const body = result.body as { data?: unknown } | undefined;
	if (!isPlainObject(body) || body.data === undefined) return result;
	const numeric = (resource: unknown): unknown =>
		isPlainObject(resource) && typeof resource.id === 'string' && /^\d+$/.test(resource.id) ? { ...resource, id: Number(resource.id) } : resource;
	const data = Array.isArray(body.data) ? body.data.map(numeric) : numeric(body.data);
	return { ...result, body: { ...body, data } };
}
