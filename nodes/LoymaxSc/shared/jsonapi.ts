import type { IDataObject } from 'n8n-workflow';

/** API.md §1.4: write bodies go as {"data":{"attributes":{...}}} unless the credential asks for flat ones. */
export function envelope(attributes: IDataObject, flat: boolean): IDataObject {
	return flat ? attributes : { data: { attributes } };
}

export interface JsonApiResource extends IDataObject {
	id?: string;
	type?: string;
	attributes?: IDataObject;
}

export const isResource = (value: unknown): value is JsonApiResource =>
	typeof value === 'object' && value !== null && !Array.isArray(value) && 'attributes' in value;

/** {type, id, attributes, links} → {id, type, ...attributes}. */
export function simplifyResource(resource: JsonApiResource): IDataObject {
	const { id, type, attributes } = resource;
	return { id, type, ...(attributes ?? {}) };
}

export function outputResource(resource: JsonApiResource, simplify: boolean): IDataObject {
	return simplify ? simplifyResource(resource) : resource;
}

export interface Page {
	data: JsonApiResource[];
	total?: number;
	hasNextLink: boolean;
}

export function readPage(body: unknown): Page {
	const document = (body ?? {}) as { data?: unknown; meta?: { total?: unknown }; links?: { next?: unknown } };
	const data = Array.isArray(document.data) ? (document.data as JsonApiResource[]) : [];
	const total = Number(document.meta?.total);
	return {
		data,
		total: Number.isFinite(total) ? total : undefined,
		hasNextLink: typeof document.links?.next === 'string' && document.links.next !== '',
	};
}

/**
 * Whether another page is worth asking for: follow `links.next` when the API gives it, else trust
 * `meta.total`, else go on while pages come back full (API.md §1.5).
 */
export function hasMorePages(page: Page, fetched: number, pageSize: number): boolean {
	if (page.data.length === 0) return false;
	if (page.hasNextLink) return true;
	if (page.total !== undefined) return fetched < page.total;
	return page.data.length >= pageSize;
}
