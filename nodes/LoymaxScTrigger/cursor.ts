/**
 * Where the trigger stands in a collection, and which records are new.
 *
 * "New" means created in Loymax SC: the trigger tells records apart by the Platform ID, which the
 * API assigns when it creates a record and never changes (updates and upserts keep it). The date
 * attributes (`register_date`, `date`) are the client's own values, often back-dated (imports,
 * receipts uploaded at night), so they cannot tell what arrived since the last poll.
 *
 * IDs grow with creation, but a record may become visible after records with higher IDs (two
 * writes committed out of order), and a page read by number may miss a record when another one is
 * deleted between two page reads. Both leave an unseen ID (a gap) between IDs seen. The cursor
 * keeps the IDs seen above a floor as runs, each with the time it was first seen, so every gap
 * stays watched for `LATE_RECORD_MS` after a higher ID was first seen: a record that appears in it
 * within that time is new, once. Polls read down to the floor, so they re-read every open gap.
 */

/** The trigger's clock: the age of gaps and of a running poll (tests move it). */
export const clock = { now: (): number => Date.now() };

/** How long a gap below IDs already seen is watched for a record committed late. */
export const LATE_RECORD_MS = 60 * 60 * 1000;

/** At most this many runs (so as many gaps) are kept; beyond, the lowest gaps are given up. */
export const MAX_RUNS = 500;

/** IDs `low`..`high`, all seen, the first of them at `firstSeen` (epoch ms). */
export type Run = [low: number, high: number, firstSeen: number];

export interface Cursor {
	/** The trigger event (collection) the cursor belongs to: another event starts afresh. */
	event: string;
	/** Every record with an ID at or below this one is old: seen, there before activation, or given up; 0 = none. */
	floor: number;
	/** The IDs seen above the floor, ascending; the lowest never touches the floor (there is a gap below each run). */
	runs: Run[];
	/** How the API lists the collection (see reading.ts); undefined = not known yet. */
	reading?: string;
	/** Reading from the end: the collection's last page at the last poll. */
	lastPage?: number;
}

export function isCursor(value: unknown, event: string): value is Cursor {
	const cursor = value as Partial<Cursor> | undefined;
	return (
		typeof cursor === 'object' &&
		cursor !== null &&
		cursor.event === event &&
		typeof cursor.floor === 'number' &&
		Array.isArray(cursor.runs)
	);
}

export const emptyCursor = (event: string): Cursor => ({ event, floor: 0, runs: [] });

/** The highest ID seen (or the floor). */
export const highestSeen = (cursor: Cursor): number => (cursor.runs.length ? cursor.runs[cursor.runs.length - 1][1] : cursor.floor);

/** A record is new when it lies above the floor and in no run of IDs already seen. */
export function isNew(cursor: Cursor, id: number): boolean {
	if (id <= cursor.floor) return false;
	let low = 0;
	let high = cursor.runs.length - 1;
	while (low <= high) {
		const middle = (low + high) >> 1;
		const [first, last] = cursor.runs[middle];
		if (id < first) high = middle - 1;
		else if (id > last) low = middle + 1;
		else return false;
	}
	return true;
}

export interface Progress {
	/** IDs a poll read (any order, repeats allowed). */
	read: Iterable<number>;
	now: number;
	/** The poll gave up the records below this ID (first poll, or more new records than it could read). */
	floorAtLeast?: number;
	reading?: string;
	lastPage?: number;
}

/**
 * The cursor after a poll: the IDs it read join the runs (first seen now), the floor rises over
 * every gap that is closed, older than `LATE_RECORD_MS`, or beyond `MAX_RUNS`. Only grows what
 * the cursor knows, so merging a poll into a cursor another poll advanced meanwhile is safe.
 */
export function advance(cursor: Cursor, progress: Progress): Cursor {
	let floor = Math.max(cursor.floor, progress.floorAtLeast ?? 0);
	const unseen = [...new Set(progress.read)].filter((id) => isNew(cursor, id) && id > floor);
	const runs: Run[] = [...cursor.runs.map((run): Run => [...run]), ...unseen.map((id): Run => [id, id, progress.now])];
	runs.sort((a, b) => a[0] - b[0]);
	const merged: Run[] = [];
	for (const run of runs) {
		if (run[1] <= floor) continue;
		if (run[0] <= floor) run[0] = floor + 1;
		const last = merged[merged.length - 1];
		// Touching runs merge; the earlier time is the one that ages the gaps below them.
		if (last && run[0] <= last[1] + 1) {
			last[1] = Math.max(last[1], run[1]);
			last[2] = Math.min(last[2], run[2]);
		} else merged.push(run);
	}
	// A gap is watched from the moment an ID above it was first seen: the earliest time of the runs above.
	const watchedSince: number[] = new Array(merged.length);
	for (let i = merged.length - 1, since = Infinity; i >= 0; i--) watchedSince[i] = since = Math.min(since, merged[i][2]);
	let closed = 0;
	while (
		closed < merged.length &&
		(merged[closed][0] === floor + 1 || progress.now - watchedSince[closed] >= LATE_RECORD_MS || merged.length - closed > MAX_RUNS)
	) {
		floor = merged[closed][1];
		closed++;
	}
	const next: Cursor = { event: cursor.event, floor, runs: merged.slice(closed) };
	const reading = progress.reading ?? cursor.reading;
	if (reading !== undefined) next.reading = reading;
	const lastPage = progress.lastPage ?? cursor.lastPage;
	if (lastPage !== undefined) next.lastPage = lastPage;
	return next;
}
