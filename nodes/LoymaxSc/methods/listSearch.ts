import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { readPage } from '../shared/jsonapi';
import { loymaxApiRequest } from '../transport/request';

const SEARCH_PAGE_SIZE = 100;

/**
 * "From List" for a collection: one API page per scroll step, filtered by name here because the
 * API documents no filter parameter.
 */
function searchCollection(path: (context: ILoadOptionsFunctions) => string | undefined) {
	return async function (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const collectionPath = path(this);
		if (collectionPath === undefined) return { results: [] };
		const pageNumber = Number(paginationToken ?? 1);
		const response = await loymaxApiRequest(this, {
			method: 'GET',
			path: collectionPath,
			qs: { 'page[number]': pageNumber, 'page[size]': SEARCH_PAGE_SIZE },
			retrySafe: true,
		});
		const page = readPage(response.body);
		const needle = filter?.trim().toLowerCase();
		const results = page.data
			.map((resource) => {
				const attributes = (resource.attributes ?? {}) as IDataObject;
				const label =
					[attributes.name, attributes.subject, attributes.code].find((value) => typeof value === 'string' && value.trim() !== '') ??
					`#${resource.id}`;
				return { name: `${label} (${String(resource.id)})`, value: String(resource.id) };
			})
			.filter((result) => !needle || result.name.toLowerCase().includes(needle));
		const more = page.data.length > 0 && (page.hasNextLink || (page.total ?? 0) > pageNumber * SEARCH_PAGE_SIZE);
		return { results, paginationToken: more ? String(pageNumber + 1) : undefined };
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
		const dictionaryId = context.getCurrentNodeParameter('dictionaryId', { extractValue: true });
		return dictionaryId ? `/dictionary/${encodeURIComponent(String(dictionaryId))}/item` : undefined;
	}),
};
