import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { hasMorePages, readPage, type JsonApiResource } from '../shared/jsonapi';
import { pathSegmentProblem } from '../shared/values';
import { ApiClient } from '../transport/request';

const SEARCH_PAGE_SIZE = 100;
/** With a filter, pages without a match are skipped, up to this many per scroll step. */
const MAX_PAGES_PER_SEARCH = 10;

function label(resource: JsonApiResource): string {
	const attributes = (resource.attributes ?? {}) as IDataObject;
	const name = [attributes.name, attributes.subject, attributes.code].find(
		(value) => typeof value === 'string' && value.trim() !== '',
	);
	return `${String(name ?? `#${resource.id}`)} (${String(resource.id)})`;
}

/**
 * "From List" for a collection: API pages filtered by name here, because the API documents no
 * filter parameter; the pagination token is the next page number and the records read so far
 * (a server may serve fewer per page than asked).
 */
function searchCollection(path: (context: ILoadOptionsFunctions) => string | undefined) {
	return async function (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const collectionPath = path(this);
		if (collectionPath === undefined) return { results: [] };
		const needle = filter?.trim().toLowerCase();
		const results: INodeListSearchResult['results'] = [];
		const [nextPage, readBefore] = String(paginationToken ?? '1:0').split(':').map(Number);
		let pageNumber = nextPage || 1;
		let fetched = readBefore || 0;
		// One client for the whole scroll step: the credential is read (and decrypted by n8n) once.
		const client = await ApiClient.open(this);
		for (let pages = 1; ; pages++) {
			const response = await client.request({
				method: 'GET',
				path: collectionPath,
				qs: { 'page[number]': pageNumber, 'page[size]': SEARCH_PAGE_SIZE },
				retrySafe: true,
			});
			const page = readPage(response.body);
			fetched += page.data.length;
			for (const resource of page.data) {
				const name = label(resource);
				if (!needle || name.toLowerCase().includes(needle)) results.push({ name, value: String(resource.id) });
			}
			if (!hasMorePages(page, fetched, SEARCH_PAGE_SIZE)) return { results };
			pageNumber++;
			if (results.length || pages >= MAX_PAGES_PER_SEARCH) return { results, paginationToken: `${pageNumber}:${fetched}` };
		}
	};
}

const fixed = (path: string) => () => path;

export const listSearch = {
	searchEmailMailings: searchCollection(fixed('/communication/email')),
	searchSmsMailings: searchCollection(fixed('/communication/sms')),
	searchPushMailings: searchCollection(fixed('/communication/push')),
	searchPolls: searchCollection(fixed('/communication/poll')),
	searchPromoCodeGroups: searchCollection(fixed('/promocode-group')),
	searchDictionaries: searchCollection(fixed('/dictionary')),
	searchDictionaryItems: searchCollection((context) => {
		const dictionaryId = String(context.getCurrentNodeParameter('dictionaryId', { extractValue: true }) ?? '');
		return dictionaryId && !pathSegmentProblem(dictionaryId) ? `/dictionary/${encodeURIComponent(dictionaryId)}/item` : undefined;
	}),
};
