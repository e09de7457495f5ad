import { NodeOperationError, type IDataObject, type IPollFunctions } from 'n8n-workflow';

import { hasMorePages, readPage, type JsonApiResource, type Page } from '../LoymaxSc/shared/jsonapi';
import type { ApiClient } from '../LoymaxSc/transport/request';
import type { TriggerEvent } from './events';

/**
 * How a collection is read newest first (docs/api-readings.md, "Sorting"). The trigger asks for
 * the records sorted by ID, descending. An API that refuses that sort (400/422) or ignores it
 * (its first page comes back in ascending order) is read in its own order instead: from page 1
 * when that lists the newest first, else from the last page back.
 */
const readings = {
	sorted: { sort: true, fromEnd: false, says: 'sorted by ID, newest first' },
	newestFirst: { sort: false, fromEnd: false, says: 'newest first in their own order (the sort by ID is refused or ignored): read from page 1 without it' },
	oldestFirst: { sort: false, fromEnd: true, says: 'oldest first in their own order (the sort by ID is refused or ignored): read from the last page back' },
} as const;

type ReadingName = keyof typeof readings;

const isReading = (value: unknown): value is ReadingName => typeof value === 'string' && value in readings;

const NEWEST_FIRST = JSON.stringify([{ attribute: 'id', direction: 'desc' }]);

/** Per Loymax SC instance and collection, what this process found; a node's own finding (static data) comes first. */
export const knownReadings = new Map<string, ReadingName>();

/** One page, newest first whatever the reading, without the IDs read before in the poll; `more`: there are older pages. */
export interface ListedPage {
	records: JsonApiResource[];
	ids: number[];
	more: boolean;
}

/** A page as the API answered: its number, the records read up to it, the IDs in the API's order. */
interface RawPage {
	page: Page;
	number: number;
	fetched: number;
	ids: number[];
}

type OrientedPage = ListedPage & { number: number; fetched: number; total?: number };

/** The collection lost records between two page reads (as far as `meta.total` tells). */
const shrank = (before: OrientedPage, after: OrientedPage) => before.total !== undefined && after.total !== undefined && after.total < before.total;

type Order = 'descending' | 'ascending' | 'single' | 'mixed';

function orderOf(ids: number[]): Order {
	if (ids.length < 2) return 'single';
	let descending = true;
	let ascending = true;
	for (let i = 1; i < ids.length; i++) {
		if (ids[i] >= ids[i - 1]) descending = false;
		if (ids[i] <= ids[i - 1]) ascending = false;
	}
	return descending ? 'descending' : ascending ? 'ascending' : 'mixed';
}

/** The Platform ID: a JSON:API string of digits, or a number (some APIs send one). */
function platformId(context: IPollFunctions, event: TriggerEvent, record: JsonApiResource): number {
	const raw = record.id;
	const id = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
	if (!Number.isSafeInteger(id) || id < 0) {
		throw new NodeOperationError(context.getNode(), `Loymax SC listed ${event.records} without a numeric ID ("${String(raw)}")`, {
			description: 'The trigger tells new records from old ones by the ID Loymax SC assigns when it creates a record',
		});
	}
	return id;
}

const isRefusal = (error: unknown) => ['400', '422'].includes(String((error as { httpCode?: unknown })?.httpCode));

/**
 * Reads one collection page by page, newest first, in the reading the node or this process found
 * (else sorted). Detects a refused or ignored sort on the first page and switches, telling n8n's
 * log once per instance and collection which way it reads.
 */
export class CollectionReader {
	reading: ReadingName;
	/** Reading from the end: the last page as found by this poll. */
	lastPage: number | undefined;
	/** Every ID this poll read. */
	readonly read = new Set<number>();
	private readonly key: string;

	constructor(
		private readonly context: IPollFunctions,
		private readonly client: ApiClient,
		private readonly event: TriggerEvent,
		saved: { reading?: string; lastPage?: number } | undefined,
	) {
		this.key = `${client.settings.baseUrl}\n${event.path}`;
		this.reading = isReading(saved?.reading) ? saved.reading : (knownReadings.get(this.key) ?? 'sorted');
		this.lastPage = saved?.lastPage;
	}

	private get pageSize(): number {
		return this.client.settings.pageSize;
	}

	/**
	 * The pages, newest first, each record once: an ID read on an earlier page of this poll (moved
	 * there by records created meanwhile) is left out. Pages read by number shift while records are
	 * created and deleted; reading newest first, a deletion above moves records up onto the page
	 * read before, so when the total shrank and the new page repeats nothing, that page is read again.
	 */
	async *pages(): AsyncGenerator<ListedPage> {
		let first = await this.firstPage();
		let order = orderOf(first.ids);
		if (order === 'ascending') {
			// The first page in the other direction: the API ignored the sort, or its own order is not the one assumed.
			this.found(this.reading === 'oldestFirst' ? 'newestFirst' : 'oldestFirst');
			first = await this.firstPage();
			order = orderOf(first.ids);
		}
		if (order === 'ascending' || order === 'mixed') throw this.outOfOrder();
		if (order === 'descending') this.found(this.reading);
		yield this.unread(first);
		const { fromEnd } = readings[this.reading];
		for (let page = first; page.more; ) {
			const next = this.inOrder(await this.fetch(fromEnd ? page.number - 1 : page.number + 1, page.fetched));
			if (!fromEnd && shrank(page, next) && !next.ids.some((id) => this.read.has(id))) {
				yield this.unread(this.inOrder(await this.fetch(page.number, page.fetched - page.ids.length)));
			}
			yield this.unread(next);
			page = next;
		}
	}

	/** A page after the first: only within a page is another order an error. */
	private inOrder(raw: RawPage): OrientedPage {
		const page = this.oriented(raw);
		const order = orderOf(page.ids);
		if (order === 'ascending' || order === 'mixed') throw this.outOfOrder();
		return page;
	}

	private unread(page: OrientedPage): ListedPage {
		const records: JsonApiResource[] = [];
		const ids: number[] = [];
		for (const [index, id] of page.ids.entries()) {
			if (this.read.has(id)) continue;
			this.read.add(id);
			records.push(page.records[index]);
			ids.push(id);
		}
		return { records, ids, more: page.more };
	}

	private async firstPage(): Promise<OrientedPage> {
		if (this.reading === 'sorted') {
			// A refusal of the sort (400/422) is read without it; any other failure fails the poll.
			const sorted = await this.fetch(1, 0).catch((error: unknown) => (isRefusal(error) ? undefined : Promise.reject(error)));
			if (!sorted) {
				const unsorted = await this.fetch(1, 0, false);
				const reading = orderOf(unsorted.ids) === 'descending' ? 'newestFirst' : 'oldestFirst';
				this.found(reading);
				return reading === 'newestFirst' ? this.oriented(unsorted) : await this.fromLastPage(unsorted);
			}
			return this.oriented(sorted);
		}
		if (this.reading === 'newestFirst') return this.oriented(await this.fetch(1, 0));
		return await this.fromLastPage(await this.fetch(Math.max(1, this.lastPage ?? 1), 0));
	}

	/** From any page read without the sort, the collection's last page (read if it is another one). */
	private async fromLastPage(read: RawPage): Promise<OrientedPage> {
		let page = read;
		let last = lastPageOf(page.page, page.number, this.pageSize);
		if (last === undefined) {
			// Neither `links.last` nor `meta.total`: walk forward to the last page that has records.
			if (page.ids.length === 0 && page.number > 1) page = await this.fetch(1, 0, false);
			while (hasMorePages(page.page, page.fetched, this.pageSize)) {
				const next = await this.fetch(page.number + 1, page.fetched, false);
				if (next.ids.length === 0) break;
				page = next;
			}
			last = page.number;
		}
		if (last !== page.number) page = await this.fetch(last, 0, false);
		this.lastPage = last;
		return this.oriented(page);
	}

	private async fetch(number: number, fetchedBefore: number, sort: boolean = readings[this.reading].sort): Promise<RawPage> {
		const response = await this.client.request({
			method: 'GET',
			path: this.event.path,
			qs: { 'page[number]': number, 'page[size]': this.pageSize, ...(sort ? { sort: NEWEST_FIRST } : {}) } as IDataObject,
			retrySafe: true,
		});
		const page = readPage(response.body);
		const fetched = fetchedBefore + page.data.length;
		return { page, number, fetched, ids: page.data.map((record) => platformId(this.context, this.event, record)) };
	}

	/** The page newest first, as the current reading lists it. */
	private oriented(raw: RawPage): OrientedPage {
		const fromEnd = readings[this.reading].fromEnd;
		return {
			number: raw.number,
			fetched: raw.fetched,
			total: raw.page.total,
			records: fromEnd ? [...raw.page.data].reverse() : raw.page.data,
			ids: fromEnd ? [...raw.ids].reverse() : raw.ids,
			more: fromEnd ? raw.number > 1 : hasMorePages(raw.page, raw.fetched, this.pageSize),
		};
	}

	private found(reading: ReadingName): void {
		this.reading = reading;
		if (knownReadings.get(this.key) === reading) return;
		knownReadings.set(this.key, reading);
		this.context.logger.info(`Loymax SC Trigger: ${this.client.settings.baseUrl} lists ${this.event.records} ${readings[reading].says}`, {
			node: this.context.getNode().name,
		});
	}

	private outOfOrder(): NodeOperationError {
		return new NodeOperationError(this.context.getNode(), `Loymax SC did not list the ${this.event.records} in order of their IDs`, {
			description:
				'The trigger reads the records sorted by ID, newest first, or in the API\'s own order when it refuses or ignores that sort; a page came in neither order',
		});
	}
}

/** The last page's number from `links.last`, or from `meta.total` at the page size the server used. */
function lastPageOf(page: Page, number: number, pageSize: number): number | undefined {
	if (page.lastPage !== undefined) return Math.max(1, page.lastPage);
	if (page.total === undefined) return undefined;
	const served = page.data.length;
	// A short first page of a longer collection: the server caps the page size.
	const size = number === 1 && served > 0 && served < pageSize && page.total > served ? served : pageSize;
	return Math.max(1, Math.ceil(page.total / size));
}
