/**
 * Where the trigger stands in a collection, and which records are new.
 *
 * "New" means created in Loymax SC: the collection is read sorted by the Platform ID, newest first.
 * The API assigns that ID when it creates a record and never changes it (updates and upserts keep
 * it). The date attributes (`register_date`, `date`) are the client's own values, often back-dated
 * (imports, receipts uploaded at night), so they cannot tell what arrived since the last poll.
 *
 * The cursor keeps the IDs of the newest records seen, not only the highest one: a record whose ID
 * was assigned before another's but became visible after it (two writes committed out of order) is
 * still emitted when it appears, as long as it falls within that window.
 */

/** How many of the newest IDs the cursor remembers at most (fewer with small pages, see `windowFor`). */
export const WINDOW = 50;

/** Polls read down to the floor: a window no larger than a page keeps a quiet poll to one request. */
export const windowFor = (pageSize: number): number => Math.max(1, Math.min(WINDOW, pageSize));

export interface Cursor {
	/** The trigger event (collection) the cursor belongs to: another event starts afresh. */
	event: string;
	/** Every record with an ID at or below this one was seen, or existed before the trigger started; 0 = none. */
	floor: number;
	/** IDs of the newest records seen above the floor (at most the window), newest first. */
	recent: number[];
}

export function isCursor(value: unknown, event: string): value is Cursor {
	const cursor = value as Partial<Cursor> | undefined;
	return (
		typeof cursor === 'object' &&
		cursor !== null &&
		cursor.event === event &&
		typeof cursor.floor === 'number' &&
		Array.isArray(cursor.recent)
	);
}

export const emptyCursor = (event: string): Cursor => ({ event, floor: 0, recent: [] });

/** A record is new when it lies above the floor and is not one of the IDs already seen. */
export const isNew = (cursor: Cursor, id: number): boolean => id > cursor.floor && !cursor.recent.includes(id);

/** A record this far down the sorted collection, and everything after it, was seen before. */
export const isBelowFloor = (cursor: Cursor, id: number): boolean => id <= cursor.floor;

/**
 * The cursor after a poll that read the IDs `read` (newest first).
 * `complete`: the poll read down to the floor or to the end of the collection, so every record
 * above the floor is in `read` or in the old window. Otherwise (page cap, or a first poll that read
 * only the newest page) the records below the lowest one read are treated as seen.
 */
export function advance(cursor: Cursor, read: number[], complete: boolean, windowSize: number): Cursor {
	let floor = cursor.floor;
	if (!complete && read.length > 0) floor = Math.max(floor, Math.min(...read));
	const ids = [...new Set([...read, ...cursor.recent])].filter((id) => id >= floor).sort((a, b) => b - a);
	const recent = ids.slice(0, windowSize);
	if (ids.length > windowSize) floor = Math.max(floor, recent[recent.length - 1]);
	return { event: cursor.event, floor, recent };
}
