import type { IDataObject } from 'n8n-workflow';

export interface JsonApiResource extends IDataObject {
	/** A string in JSON:API; an instance may send a number. */
	id?: string | number;
	type?: string;
	attributes?: IDataObject;
}

export const isResource = (value: unknown): value is JsonApiResource =>
	typeof value === 'object' && value !== null && !Array.isArray(value) && 'attributes' in value;

/**
 * The resource's own `id` and `type` win; an attribute of the same name (a subscription's `id`, a
 * channel's `type`) is kept as `attributes_id` / `attributes_type`.
 */
export const COLLIDING_ATTRIBUTE_PREFIX = 'attributes_';

/** {type, id, attributes, links} → {id, type, ...attributes}, without losing either `id` or `type`. */
export function simplifyResource(resource: JsonApiResource): IDataObject {
	const { id, type, attributes } = resource;
	// Built from entries: an attribute named __proto__ stays an attribute.
	const renamed = Object.entries(attributes ?? {}).map(([name, value]) => [name === 'id' || name === 'type' ? COLLIDING_ATTRIBUTE_PREFIX + name : name, value]);
	return Object.fromEntries([['id', id], ['type', type], ...renamed]) as IDataObject;
}

export function outputResource(resource: JsonApiResource, simplify: boolean): IDataObject {
	return simplify ? simplifyResource(resource) : resource;
}

export interface Page {
	data: JsonApiResource[];
	total?: number;
	hasNextLink: boolean;
	/** The number of the collection's last page, when the answer tells it (`links.last`, `meta.page`). */
	lastPage?: number;
}

type PageMeta = { total?: unknown; page?: { total?: unknown; 'last-page'?: unknown; lastPage?: unknown; last_page?: unknown } };

const wholeNumber = (value: unknown): number | undefined => {
	const parsed = typeof value === 'number' || (typeof value === 'string' && value.trim() !== '') ? Number(value) : NaN;
	return Number.isSafeInteger(parsed) && parsed >= 0 ? parsed : undefined;
};

export function readPage(body: unknown): Page {
	const document = (body ?? {}) as { data?: unknown; meta?: PageMeta; links?: { next?: unknown; last?: unknown } };
	const data = Array.isArray(document.data) ? (document.data as JsonApiResource[]) : [];
	const meta = document.meta;
	// `page[number]=N` in the last link, as sent or URL-encoded; else a paginator's `meta.page`.
	const lastLink = typeof document.links?.last === 'string' ? /page(?:\[|%5B)number(?:\]|%5D)=(\d+)/i.exec(document.links.last) : null;
	return {
		data,
		total: wholeNumber(meta?.total) ?? wholeNumber(meta?.page?.total),
		hasNextLink: typeof document.links?.next === 'string' && document.links.next !== '',
		lastPage: wholeNumber(lastLink?.[1]) ?? wholeNumber(meta?.page?.['last-page'] ?? meta?.page?.lastPage ?? meta?.page?.last_page),
	};
}

/**
 * Whether another page is worth asking for (docs/api-readings.md, "Pagination"): follow `links.next`
 * when the API gives it, else trust `meta.total`. With neither, a page is the last one only when it
 * is empty or shorter than the pages before it: the server may serve fewer records per page than
 * asked, so a short first page proves nothing and costs one more request.
 * `fetched` counts the records of every page read so far, this one included.
 */
export function hasMorePages(page: Page, fetched: number, pageSize: number): boolean {
	const count = page.data.length;
	if (count === 0) return false;
	if (page.hasNextLink) return true;
	if (page.total !== undefined) return fetched < page.total;
	if (count >= pageSize) return true;
	// Earlier pages were full at the server's page size: this one is too when it divides them.
	return (fetched - count) % count === 0;
}
