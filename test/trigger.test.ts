import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { advance, clock, emptyCursor, isNew, LATE_RECORD_MS, MAX_RUNS, type Cursor } from '../nodes/LoymaxScTrigger/cursor';
import { triggerEvents } from '../nodes/LoymaxScTrigger/events';
import { knownReadings } from '../nodes/LoymaxScTrigger/reading';
import type { SandboxOptions } from '../sandbox';
import { createFixture, DEMO_USER, type Fixture } from './harness/fixture';
import { PollHarness } from './harness/poll';

const NEWEST_FIRST = JSON.stringify([{ attribute: 'id', direction: 'desc' }]);
const NODE = 'node:Loymax SC Trigger';

let fx: Fixture;
afterEach(async () => {
	jest.restoreAllMocks();
	knownReadings.clear();
	await fx?.close();
});

/** The API as another system writes to it between polls: over HTTP, with its own token. */
async function api(method: string, path: string, attributes?: IDataObject): Promise<{ status: number; body: any }> {
	const response = await fetch(`${fx.sandbox.url}${path}`, {
		method,
		headers: { authorization: `Bearer ${fx.sandbox.issueToken(DEMO_USER)}`, 'content-type': 'application/json' },
		body: attributes ? JSON.stringify({ data: { attributes } }) : undefined,
	});
	return { status: response.status, body: response.status === 204 ? undefined : await response.json() };
}

let orderSeq = 0;
/** Creates orders through the API; returns their local IDs in creation order. */
async function createOrders(count: number, date = '2025-03-01 10:00:00'): Promise<string[]> {
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		const localId = `T-${++orderSeq}`;
		const r = await api('POST', '/order', { local_id: localId, date, client_id: 'C-00001', number: localId, items_sum: 10 * orderSeq });
		expect(r.status).toBe(201);
		ids.push(localId);
	}
	return ids;
}

/** Creates an order in the store directly (fast, and from inside a list request); `pending`: committed later. */
function insertOrder(pending = false): { id: number; localId: string } {
	const localId = `T-${++orderSeq}`;
	const { id } = fx.sandbox.store.orders.insert({ local_id: localId, date: '2025-03-01 10:00:00', client_id: 'C-00001', number: localId }, { pending });
	return { id, localId };
}

const localIds = (items: IDataObject[] | null) => (items ?? []).map((item) => item.local_id as string);
const pageGets = (path = '/order') => fx.requests({ method: 'GET', path });

/** A virtual clock for the trigger's memory (gap ages, running polls). */
function virtualClock(): { advance: (ms: number) => void } {
	let offset = 0;
	const real = clock.now;
	jest.spyOn(clock, 'now').mockImplementation(() => real() + offset);
	return { advance: (ms) => (offset += ms) };
}

/** Deterministic numbers in [0, 1). */
function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** The API readings the trigger must work with (sandbox switches), each with the default credential. */
const VARIANTS: Array<{ name: string; sandbox: SandboxOptions; reading: string; numericIds?: boolean }> = [
	{ name: 'sort by ID', sandbox: {}, reading: 'sorted' },
	{ name: 'numeric IDs', sandbox: { numericIds: true }, reading: 'sorted', numericIds: true },
	{ name: 'sort refused', sandbox: { idSortable: 'refuse' }, reading: 'oldestFirst' },
	{ name: 'sort ignored', sandbox: { idSortable: 'ignore', numericIds: true }, reading: 'oldestFirst', numericIds: true },
];

describe.each(VARIANTS)('Loymax SC Trigger through n8n-core ($name)', (variant) => {
	const sorted = variant.reading === 'sorted';
	const platformId = (id: number) => (variant.numericIds ? id : String(id));

	async function harness(parameters: INodeParameters, credential: ICredentialDataDecryptedObject = {}, sandbox: SandboxOptions = {}) {
		fx = await createFixture({ ...variant.sandbox, ...sandbox }, credential);
		return new PollHarness(fx.engine, parameters);
	}

	test('activation notes where the collection stands; each poll emits exactly the orders created since, oldest first', async () => {
		const h = await harness({ event: 'newOrder' });
		const activation = await h.activate();
		expect(activation).toEqual({ items: null });
		// The cursor is saved although nothing was emitted (n8n saves static data after activation).
		expect(h.saved).toEqual({ [NODE]: { cursor: expect.objectContaining({ event: 'newOrder', floor: 25, runs: [], reading: variant.reading }) } });
		expect(fx.tokenCalls()).toBe(1);
		fx.sandbox.clearLog();
		expect(await h.tick()).toEqual({ items: null });

		const first = await createOrders(2);
		expect(localIds((await h.tick()).items)).toEqual(first);
		expect(await h.tick()).toEqual({ items: null });

		// An update (upsert of an existing order) is not a new order.
		expect((await api('POST', '/order', { local_id: 'O-00003', date: '2025-03-02 09:00:00' })).status).toBe(200);
		expect(await h.tick()).toEqual({ items: null });

		const second = await createOrders(3);
		h.restart();
		const emitted = (await h.tick()).items!;
		expect(localIds(emitted)).toEqual(second);
		expect(emitted[0]).toMatchObject({ id: platformId(28), type: 'order', local_id: second[0], client_id: 'C-00001' });

		// One page per poll (page size 100), in the reading found at activation; no more logins.
		const gets = pageGets().filter((entry) => entry.query['page[number]'] !== undefined);
		expect(gets).toHaveLength(5);
		expect(gets.every((entry) => entry.query.sort === (sorted ? NEWEST_FIRST : undefined) && entry.query['page[number]'] === '1')).toBe(true);
		expect(fx.tokenCalls()).toBe(0);
	});

	test('many polls over several pages, with restarts: every new order exactly once, none missed', async () => {
		const h = await harness({ event: 'newOrder', options: { maxPagesPerPoll: 20 } }, { pageSize: 10 });
		await h.activate();
		fx.sandbox.clearLog();
		const created: string[] = [];
		const emitted: string[] = [];
		const rounds = [0, 1, 9, 10, 11, 0, 23, 3, 45, 1];
		for (const [round, count] of rounds.entries()) {
			created.push(...(await createOrders(count)));
			if (round % 3 === 2) h.restart();
			const result = await h.tick();
			expect(result.error).toBeUndefined();
			expect(result.items === null).toBe(count === 0);
			emitted.push(...localIds(result.items));
		}
		expect(emitted).toEqual(created);
		// A poll reads the pages of the new records and the one where the known ones start.
		const pages = pageGets().length;
		console.log(`trigger (${variant.name}): ${rounds.length} polls, ${created.length} new orders, ${pages} page requests (page size 10)`);
		expect(pages).toBeLessThanOrEqual(rounds.reduce((sum, count) => sum + Math.ceil(count / 10) + (sorted ? 1 : 2), 0));
	});

	test('records created, deleted and committed late between page reads: 1 to 2 000 new a poll, each emitted exactly once', async () => {
		const h = await harness({ event: 'newOrder', options: { maxPagesPerPoll: 40 } });
		await h.activate();
		const created: string[] = [];
		const deleted = new Set<string>();
		const live: Array<{ id: number; localId: string }> = [];
		const pending: Array<{ id: number; localId: string; due: number }> = [];
		const next = random(7);
		const add = (isPending = false) => {
			const order = insertOrder(isPending);
			created.push(order.localId);
			if (!isPending) live.push(order);
			return order;
		};
		let listRequests = 0;
		let traffic = true;
		const commitDue = (all: boolean) => {
			for (const order of pending.filter(({ due }) => all || due <= listRequests)) {
				fx.sandbox.store.orders.commit(order.id);
				live.push(order);
				pending.splice(pending.indexOf(order), 1);
			}
		};
		// Other systems write while the trigger reads: before each page is cut, up to 3 new orders,
		// now and then one whose ID is taken now but which commits a few page reads later, and the
		// deletion of one of the 40 newest orders (read already or not).
		fx.sandbox.options.onList = (path) => {
			if (path !== '/order' || !traffic) return;
			listRequests++;
			commitDue(false);
			for (let n = Math.floor(next() * 4); n > 0; n--) add();
			if (next() < 0.3) pending.push({ ...add(true), due: listRequests + 1 + Math.floor(next() * 4) });
			if (next() < 0.6 && live.length > 0) {
				const [victim] = live.splice(live.length - 1 - Math.floor(next() * Math.min(40, live.length)), 1);
				expect(fx.sandbox.store.orders.delete(victim.id)).toBe(true);
				deleted.add(victim.localId);
			}
		};

		const emitted: string[] = [];
		const rounds = [1, 2000, 37, 0, 150, 1, 400];
		for (const count of rounds) {
			for (let i = 0; i < count; i++) add();
			const result = await h.tick();
			expect(result.error).toBeUndefined();
			emitted.push(...localIds(result.items));
		}
		traffic = false;
		commitDue(true);
		for (let quiet = 0; quiet < 3; quiet++) emitted.push(...localIds((await h.tick()).items));

		expect(new Set(emitted).size).toBe(emitted.length);
		const missed = created.filter((localId) => !deleted.has(localId) && !emitted.includes(localId));
		expect(missed).toEqual([]);
		expect(emitted.filter((localId) => !created.includes(localId))).toEqual([]);
		const cursor = h.live.cursor as Cursor;
		console.log(
			`trigger (${variant.name}) under traffic: ${created.length} orders created (${deleted.size} deleted), ${emitted.length} emitted once each, ` +
				`${listRequests} page requests in ${rounds.length + 3} polls; cursor keeps ${cursor.runs.length} runs`,
		);
		expect(cursor.runs.length).toBeLessThanOrEqual(MAX_RUNS);
	});

	test('records sharing the boundary record\'s date and second are each emitted once', async () => {
		const h = await harness({ event: 'newOrder' });
		await h.activate();
		const sameSecond = '2025-03-03 12:00:00';
		const boundary = await createOrders(2, sameSecond);
		expect(localIds((await h.tick()).items)).toEqual(boundary);
		const later = [...(await createOrders(2, sameSecond)), ...(await createOrders(1, '2019-01-01 00:00:00'))];
		expect(localIds((await h.tick()).items)).toEqual(later);
		expect(await h.tick()).toEqual({ items: null });
	});

	test('a record that becomes visible after newer ones (writes committed out of order) is emitted once, after any volume', async () => {
		const h = await harness({ event: 'newOrder' });
		await h.activate();
		const early = insertOrder(true);
		const late = insertOrder();
		expect(localIds((await h.tick()).items)).toEqual([late.localId]);
		fx.sandbox.store.orders.commit(early.id);
		expect(localIds((await h.tick()).items)).toEqual([early.localId]);
		expect(await h.tick()).toEqual({ items: null });

		// Far more new records than fit any fixed window above the late one.
		const below = insertOrder(true);
		const many = Array.from({ length: 60 }, () => insertOrder().localId);
		expect(localIds((await h.tick()).items)).toEqual(many);
		fx.sandbox.store.orders.commit(below.id);
		expect(localIds((await h.tick()).items)).toEqual([below.localId]);
		expect(await h.tick()).toEqual({ items: null });
	});

	test('a record committed later than the remembered hour is not emitted, and the gap no longer costs reads', async () => {
		const time = virtualClock();
		const h = await harness({ event: 'newOrder' }, { pageSize: 10 });
		await h.activate();
		const early = insertOrder(true);
		const newer = Array.from({ length: 25 }, () => insertOrder().localId);
		expect(localIds((await h.tick()).items)).toEqual(newer);
		fx.sandbox.clearLog();
		// While the gap is watched, each poll reads down to it ...
		expect(await h.tick()).toEqual({ items: null });
		expect(pageGets()).toHaveLength(3);
		time.advance(LATE_RECORD_MS);
		fx.sandbox.clearLog();
		// ... then it is given up: one page per quiet poll, and the record is old when it shows.
		expect(await h.tick()).toEqual({ items: null });
		expect(h.live.cursor).toMatchObject({ floor: 51, runs: [] });
		fx.sandbox.store.orders.commit(early.id);
		expect(await h.tick()).toEqual({ items: null });
		// Reading from the end, the record committed moved the last page on: one request to find it.
		expect(pageGets()).toHaveLength(sorted ? 2 : 3);
	});

	test('a failing poll emits nothing and keeps the state; the next poll emits what it missed', async () => {
		const h = await harness({ event: 'newOrder' }, { pageSize: 10 });
		await h.activate();
		const created = await createOrders(15);
		const before = { saved: h.saved, live: h.live };

		// Fails on the first page (after its retries) ...
		fx.sandbox.inject({ kind: 'status', status: 503, count: 10, match: { method: 'GET', path: '/order' } });
		const failed = await h.tick();
		expect(failed.items).toBeNull();
		expect(failed.error?.message).toBeTruthy();
		expect({ saved: h.saved, live: h.live }).toEqual(before);
		fx.sandbox.clearFaults();

		// ... and in the middle of the poll, on the second page it reads: nothing of the first is emitted either.
		const [newest, second] = sorted ? ['1', '2'] : ['4', '3'];
		fx.sandbox.options.onList = (_path, query) => {
			if (query.get('page[number]') !== newest) return;
			fx.sandbox.inject({ kind: 'status', status: 400, match: { method: 'GET', path: '/order', query: { 'page[number]': second } } });
			fx.sandbox.options.onList = undefined;
		};
		const halfway = await h.tick();
		expect(halfway.items).toBeNull();
		expect(halfway.error).toBeDefined();
		expect({ saved: h.saved, live: h.live }).toEqual(before);
		fx.sandbox.clearFaults();

		expect(localIds((await h.tick()).items)).toEqual(created);
		expect(await h.tick()).toEqual({ items: null });
	});

	test('Max Pages per Poll: the newest records are emitted, older ones skipped, and the log says so', async () => {
		const warn = jest.spyOn(Container.get(Logger), 'warn').mockImplementation(() => {});
		const h = await harness({ event: 'newOrder', options: { maxPagesPerPoll: 2 } }, { pageSize: 10 });
		await h.activate();
		fx.sandbox.clearLog();
		const created = await createOrders(30);
		const result = await h.tick();
		// Two pages' worth, the newest (how many depends on where the pages break); reading from the
		// end, the first request finds where the last page now is.
		const emitted = localIds(result.items);
		expect(emitted.length).toBeGreaterThanOrEqual(11);
		expect(emitted).toEqual(created.slice(created.length - emitted.length));
		expect(warn).toHaveBeenCalledWith(expect.stringContaining('Raise "Max Pages per Poll"'), expect.anything());
		expect(pageGets().length).toBe(sorted ? 2 : 3);
		expect(await h.tick()).toEqual({ items: null });
		const next = await createOrders(1);
		expect(localIds((await h.tick()).items)).toEqual(next);
		expect(warn).toHaveBeenCalledTimes(1);
	});

	test('Existing Records on Activation emits the newest existing records once, oldest first', async () => {
		const h = await harness({ event: 'newOrder', options: { existingOnActivation: 3 } });
		const activation = await h.activate();
		expect(localIds(activation.items)).toEqual(['O-00023', 'O-00024', 'O-00025']);
		expect(await h.tick()).toEqual({ items: null });
	});

	test('Fetch Test Event returns the newest record and leaves the state alone', async () => {
		const h = await harness({ event: 'newCustomer' }, { pageSize: 10 });
		const test1 = await h.fetchTestEvent();
		expect(test1.items).toHaveLength(1);
		expect(test1.items![0]).toMatchObject({ id: platformId(25), type: 'customer', local_id: 'C-00025' });
		expect(h.saved).toEqual({});
		// After activation it still shows the newest record, and the cursor stays where it was.
		await h.activate();
		const saved = h.saved;
		expect((await api('POST', '/customer', { local_id: 'C-NEW', first_name: 'Nina', register_date: '2021-05-05 10:00:00' })).status).toBe(201);
		expect((await h.fetchTestEvent()).items![0]).toMatchObject({ local_id: 'C-NEW', first_name: 'Nina' });
		expect(h.saved).toEqual(saved);
		expect(localIds((await h.tick()).items)).toEqual(['C-NEW']);
	});

	test('Fetch Test Event on an empty collection says so', async () => {
		fx = await createFixture({ ...variant.sandbox, seed: { polls: 0 } });
		const result = await new PollHarness(fx.engine, { event: 'newPoll' }).fetchTestEvent();
		expect(result.error?.message).toBe('There are no polls in Loymax SC yet');
	});

	test('Simplify off emits the JSON:API records; Event Names filters new events', async () => {
		const h = await harness({ event: 'newEvent', simplify: false, eventNames: 'order_shipped, birthday' });
		await h.activate();
		for (const name of ['login', 'order_shipped', 'birthday', 'cart_abandoned']) {
			const r = await api('POST', '/event', { name, date: '2025-03-04 08:00:00', client_id: 'C-00002' });
			expect(r.status).toBe(201);
		}
		const result = await h.tick();
		expect(result.items!.map((item) => (item.attributes as IDataObject).name)).toEqual(['order_shipped', 'birthday']);
		expect(result.items![0]).toMatchObject({ id: platformId(12), type: 'event', attributes: { client_id: 'C-00002' } });
		expect(await h.tick()).toEqual({ items: null });
	});

	test('another event starts afresh from where that collection stands', async () => {
		const h = await harness({ event: 'newOrder' });
		await h.activate();
		await createOrders(1);
		h.edit({ event: 'newCustomer' });
		expect(await h.tick()).toEqual({ items: null });
		expect(h.live).toMatchObject({ cursor: { event: 'newCustomer' } });
		expect((await api('POST', '/customer', { local_id: 'C-X', last_name: 'X', register_date: '2020-01-01 00:00:00' })).status).toBe(201);
		expect(localIds((await h.tick()).items)).toEqual(['C-X']);
	});

	test.each(triggerEvents.map((event) => [event.name, event] as const))('%s reads its collection', async (_name, event) => {
		fx = await createFixture(variant.sandbox);
		const store = fx.sandbox.store;
		const collections: Record<string, () => { insert: (a: IDataObject) => { id: number } }> = {
			'/customer': () => store.customers,
			'/order': () => store.orders,
			'/event': () => store.events,
			'/product': () => store.products,
			'/category': () => store.categories,
			'/communication/email': () => store.mailings('email'),
			'/communication/sms': () => store.mailings('sms'),
			'/communication/push': () => store.mailings('push'),
			'/communication/poll': () => store.polls,
			'/promocode-group': () => store.promoCodeGroups,
			'/black-list/email': () => store.blacklistEmails,
			'/black-list/phone': () => store.blacklistPhones,
		};
		const h = new PollHarness(fx.engine, { event: event.value });
		await h.activate();
		fx.sandbox.clearLog();
		const record = collections[event.path]().insert({ name: 'Created after activation', local_id: 'NEW-1' });
		const result = await h.tick();
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([expect.objectContaining({ id: platformId(record.id), name: 'Created after activation' })]);
		expect(fx.requests({ method: 'GET', path: event.path }).map((entry) => entry.query.sort)).toEqual([sorted ? NEWEST_FIRST : undefined]);
	});
});

describe('Loymax SC Trigger: pages that shift while a poll reads them', () => {
	test('a record created between two page reads repeats an ID on the next page: skipped, not an error', async () => {
		fx = await createFixture({}, { pageSize: 10 });
		const h = new PollHarness(fx.engine, { event: 'newOrder' });
		await h.activate();
		const created = Array.from({ length: 30 }, () => insertOrder().localId);
		fx.sandbox.options.onList = (_path, query) => {
			if (query.get('page[number]') === '2') created.push(insertOrder().localId);
		};
		const result = await h.tick();
		expect(result.error).toBeUndefined();
		expect(localIds(result.items)).toEqual(created.slice(0, 30));
		fx.sandbox.options.onList = undefined;
		expect(localIds((await h.tick()).items)).toEqual(created.slice(30));
	});

	test.each([
		['meta.total tells the poll, which reads the page again', {}, 1],
		['without meta, the next poll reads down to the unseen ID', { omitMeta: true }, 2],
	])('a record deleted between two page reads moves one up onto the page read: %s', async (_name, sandbox, polls) => {
		fx = await createFixture(sandbox, { pageSize: 10 });
		const h = new PollHarness(fx.engine, { event: 'newOrder' });
		await h.activate();
		const created = Array.from({ length: 30 }, () => insertOrder());
		fx.sandbox.options.onList = (_path, query) => {
			// The newest order goes after page 1 was read: page 2 starts one record lower.
			if (query.get('page[number]') === '2' && fx.sandbox.store.orders.delete(created[29].id)) fx.sandbox.options.onList = undefined;
		};
		const emitted: string[] = [];
		for (let poll = 1; poll <= 3; poll++) {
			emitted.push(...localIds((await h.tick()).items));
			if (poll === polls) expect([...emitted].sort()).toEqual(created.map(({ localId }) => localId).sort());
		}
		expect(emitted).toHaveLength(30);
	});

	test('a page out of order within itself fails the poll; the next one reads on', async () => {
		fx = await createFixture({}, { pageSize: 10 });
		const h = new PollHarness(fx.engine, { event: 'newOrder' });
		await h.activate();
		const created = await createOrders(3);
		const page = await api('GET', `/order?page%5Bnumber%5D=1&page%5Bsize%5D=10&sort=${encodeURIComponent(NEWEST_FIRST)}`);
		const [a, b, ...rest] = page.body.data;
		fx.sandbox.inject({ kind: 'status', status: 200, body: { ...page.body, data: [b, a, ...rest] }, match: { method: 'GET', path: '/order' } });
		expect((await h.tick()).error?.message).toBe('Loymax SC did not list the orders in order of their IDs');
		expect(localIds((await h.tick()).items)).toEqual(created);
	});
});

describe('Loymax SC Trigger: an API that refuses or ignores the sort by ID', () => {
	test.each([
		['refuses', 'refuse', 'oldest first in their own order (the sort by ID is refused or ignored): read from the last page back'],
		['ignores', 'ignore', 'oldest first in their own order (the sort by ID is refused or ignored): read from the last page back'],
		['sorts', 'yes', 'sorted by ID, newest first'],
	] as const)('an API that %s it: found once, logged once, remembered per node and per instance', async (_name, idSortable, says) => {
		const info = jest.spyOn(Container.get(Logger), 'info');
		fx = await createFixture({ idSortable }, { pageSize: 10 });
		const h = new PollHarness(fx.engine, { event: 'newOrder' });
		await h.activate();
		const reading = idSortable === 'yes' ? 'sorted' : 'oldestFirst';
		expect(h.saved).toMatchObject({ [NODE]: { cursor: { reading, ...(reading === 'sorted' ? {} : { lastPage: 3 }) } } });
		const created = await createOrders(12);
		expect(localIds((await h.tick()).items)).toEqual(created);
		// Another trigger on the same instance starts with what this one found.
		const other = new PollHarness(fx.engine, { event: 'newOrder', options: { existingOnActivation: 2 } });
		expect(localIds((await other.activate()).items)).toEqual(created.slice(10));
		const logged = info.mock.calls.filter(([message]) => String(message).startsWith('Loymax SC Trigger:'));
		expect(logged).toEqual([[`Loymax SC Trigger: ${fx.sandbox.url} lists orders ${says}`, expect.anything()]]);
		const sortedReads = pageGets().filter((entry) => entry.query.sort !== undefined);
		expect(sortedReads).toHaveLength(idSortable === 'yes' ? pageGets().length : 1);
	});

	test('an API that refuses it and lists the newest first on its own is read from page 1', async () => {
		fx = await createFixture({ idSortable: 'refuse' }, { pageSize: 10 });
		// The sandbox lists oldest first: serve its pages the other way round, as such an API would.
		const newestFirstPage = async () => {
			const all = (await api('GET', `/order?page%5Bsize%5D=100&sort=${encodeURIComponent(JSON.stringify([{ attribute: 'local_id', direction: 'desc' }]))}`)).body;
			return { ...all, data: all.data.slice(0, 10), meta: { total: all.meta.total, count: 10 } };
		};
		const h = new PollHarness(fx.engine, { event: 'newOrder' });
		fx.sandbox.inject({ kind: 'status', status: 400, body: { errors: [{ status: 400, title: 'Invalid sort' }] }, match: { method: 'GET', path: '/order', query: { sort: NEWEST_FIRST } } });
		fx.sandbox.inject({ kind: 'status', status: 200, body: await newestFirstPage(), match: { method: 'GET', path: '/order' } });
		await h.activate();
		expect(h.saved).toMatchObject({ [NODE]: { cursor: { reading: 'newestFirst', floor: 25 } } });
		const created = await createOrders(2);
		fx.sandbox.inject({ kind: 'status', status: 200, body: await newestFirstPage(), match: { method: 'GET', path: '/order' } });
		expect(localIds((await h.tick()).items)).toEqual(created);
		const triggerGets = pageGets().filter((entry) => entry.query['page[size]'] === '10');
		expect(triggerGets.map((entry) => [entry.query['page[number]'], entry.query.sort])).toEqual([
			['1', NEWEST_FIRST],
			['1', undefined],
			['1', undefined],
		]);
	});
});

describe('Loymax SC Trigger: polls that overlap', () => {
	test('a poll that starts while the previous one still runs skips its turn: nothing emitted twice', async () => {
		fx = await createFixture();
		const h = new PollHarness(fx.engine, { event: 'newOrder' });
		await h.activate();
		const created = await createOrders(2);
		fx.sandbox.inject({ kind: 'delay', ms: 500, match: { method: 'GET', path: '/order' } });
		const [slow, overlapping] = await Promise.all([h.tick(), h.tick()]);
		expect(localIds(slow.items)).toEqual(created);
		expect(overlapping).toEqual({ items: null });
		expect(pageGets()).toHaveLength(2);
		expect(await h.tick()).toEqual({ items: null });
	});

	test('a poll running past the bound is taken as hung; polls that overlap still emit each record once', async () => {
		const time = virtualClock();
		const warn = jest.spyOn(Container.get(Logger), 'warn').mockImplementation(() => {});
		fx = await createFixture();
		const h = new PollHarness(fx.engine, { event: 'newOrder' });
		await h.activate();
		const created = await createOrders(2);
		fx.sandbox.clearLog();
		fx.sandbox.inject({ kind: 'delay', ms: 1000, match: { method: 'GET', path: '/order' } });
		const hung = h.tick();
		while (!fx.sandbox.log.some((entry) => entry.fault === 'delay')) await new Promise((resolve) => setImmediate(resolve));
		// 15 minutes later by the trigger's clock (more than twice the credential's Max Total Wait of 5 s).
		time.advance(15 * 60 * 1000);
		const second = await h.tick();
		expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^Loymax SC Trigger: the previous poll started 15 min ago and is taken as hung/), expect.anything());
		// Both read the same records; whichever ends second finds them in the cursor as it stands then.
		const emitted = [localIds(second.items), localIds((await hung).items)];
		expect(pageGets()).toHaveLength(2);
		expect(emitted).toContainEqual(created);
		expect(emitted).toContainEqual([]);
		expect(await h.tick()).toEqual({ items: null });
	});
});

describe('cursor', () => {
	const now = 1_000_000_000;

	test('keeps the IDs seen above the floor as runs; an unseen ID between them stays new until its hour is up', () => {
		let cursor = advance(emptyCursor('newOrder'), { read: [30, 29, 28], now, floorAtLeast: 27 });
		expect(cursor).toEqual({ event: 'newOrder', floor: 30, runs: [] });
		cursor = advance(cursor, { read: [34, 32, 33, 35], now });
		expect(cursor).toEqual({ event: 'newOrder', floor: 30, runs: [[32, 35, now]] });
		expect([31, 32, 36].map((id) => isNew(cursor, id))).toEqual([true, false, true]);
		cursor = advance(cursor, { read: [40], now: now + 1000 });
		expect(cursor.runs).toEqual([
			[32, 35, now],
			[40, 40, now + 1000],
		]);
		// 31 shows: the floor closes over it. The gap below 40 ages from 40's first sight.
		cursor = advance(cursor, { read: [31], now: now + LATE_RECORD_MS });
		expect(cursor).toEqual({ event: 'newOrder', floor: 35, runs: [[40, 40, now + 1000]] });
		cursor = advance(cursor, { read: [], now: now + 1000 + LATE_RECORD_MS });
		expect(cursor).toEqual({ event: 'newOrder', floor: 40, runs: [] });
	});

	test('a gap is watched from the first sight of any ID above it; the lowest gaps give way beyond the run limit', () => {
		// 12 was seen before 20: the gap 10..11 is watched from the sight of 12, the gap 13..19 from that of 20.
		let cursor = advance(emptyCursor('e'), { read: [12], now, floorAtLeast: 10 - 1 });
		cursor = advance(cursor, { read: [20], now: now + 10 });
		expect(cursor.runs).toEqual([
			[12, 12, now],
			[20, 20, now + 10],
		]);
		cursor = advance(cursor, { read: [], now: now + LATE_RECORD_MS });
		expect(cursor).toMatchObject({ floor: 12, runs: [[20, 20, now + 10]] });

		const spread = Array.from({ length: MAX_RUNS + 10 }, (_, i) => 100 + 2 * i);
		cursor = advance(emptyCursor('e'), { read: spread, now });
		expect(cursor.runs).toHaveLength(MAX_RUNS);
		expect(cursor.floor).toBe(spread[9]);
	});

	test('any volume: a poll of 300 000 IDs, no argument spreading, a bounded cursor', () => {
		const read = Array.from({ length: 300_000 }, (_, i) => 300_000 - i);
		const cursor = advance(emptyCursor('e'), { read, now, floorAtLeast: 0 });
		expect(cursor).toEqual({ event: 'e', floor: 300_000, runs: [] });
		const sparse = advance(emptyCursor('e'), { read: read.map((id) => id * 3), now });
		expect(sparse.runs).toHaveLength(MAX_RUNS);
		expect(JSON.stringify(sparse).length).toBeLessThan(20_000);
	});

	test('merging a poll into a cursor another poll advanced meanwhile only adds', () => {
		const base = advance(emptyCursor('e'), { read: [10], now, floorAtLeast: 9 });
		const other = advance(base, { read: [11, 13], now });
		const merged = advance(other, { read: [12, 11], now, floorAtLeast: 10 });
		expect(merged).toEqual({ event: 'e', floor: 13, runs: [] });
	});
});
