import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { advance, emptyCursor, isNew } from '../nodes/LoymaxScTrigger/cursor';
import { triggerEvents } from '../nodes/LoymaxScTrigger/events';
import { createFixture, DEMO_USER, type Fixture } from './harness/fixture';
import { PollHarness } from './harness/poll';

const NEWEST_FIRST = JSON.stringify([{ attribute: 'id', direction: 'desc' }]);

let fx: Fixture;
afterEach(async () => {
	jest.restoreAllMocks();
	await fx?.close();
});

/** The API as another system writes to it between polls: over HTTP, with its own token. */
async function api(method: string, path: string, attributes?: IDataObject): Promise<{ status: number; body: any }> {
	const response = await fetch(`${fx.sandbox.url}${path}`, {
		method,
		headers: { authorization: `Bearer ${fx.sandbox.issueToken(DEMO_USER)}`, 'content-type': 'application/json' },
		body: attributes ? JSON.stringify({ data: { attributes } }) : undefined,
	});
	return { status: response.status, body: await response.json() };
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

const localIds = (items: IDataObject[] | null) => (items ?? []).map((item) => item.local_id);
const pageGets = (path = '/order') => fx.requests({ method: 'GET', path });

async function harness(parameters: INodeParameters, credential: IDataObject = {}): Promise<PollHarness> {
	fx = await createFixture({}, credential);
	return new PollHarness(fx.engine, parameters);
}

describe('Loymax SC Trigger through n8n-core', () => {
	test('activation notes where the collection stands; each poll emits exactly the orders created since, oldest first', async () => {
		const h = await harness({ event: 'newOrder' });
		const activation = await h.activate();
		expect(activation).toEqual({ items: null });
		// The cursor is saved although nothing was emitted (n8n saves static data after activation).
		expect(h.saved).toMatchObject({ 'node:Loymax SC Trigger': { cursor: { event: 'newOrder', floor: 0 } } });
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
		expect(emitted[0]).toMatchObject({ type: 'order', local_id: second[0], client_id: 'C-00001' });
		expect(typeof emitted[0].id).toBe('string');

		// One page per poll (page size 100), always sorted by Platform ID, newest first.
		expect(pageGets()).toHaveLength(h.polls.length);
		expect(pageGets().every((entry) => entry.query.sort === NEWEST_FIRST && entry.query['page[number]'] === '1')).toBe(true);
		expect(fx.tokenCalls()).toBe(1);
	});

	test('many polls over several pages, with restarts: every new order exactly once, none missed', async () => {
		const h = await harness({ event: 'newOrder', options: { maxPagesPerPoll: 20 } }, { pageSize: 10 });
		await h.activate();
		const created: string[] = [];
		const emitted: string[] = [];
		const rounds = [0, 1, 9, 10, 11, 0, 23, 3, 45, 1];
		for (const [round, count] of rounds.entries()) {
			created.push(...(await createOrders(count)));
			if (round % 3 === 2) h.restart();
			const result = await h.tick();
			expect(result.error).toBeUndefined();
			expect(result.items === null).toBe(count === 0);
			emitted.push(...(localIds(result.items) as string[]));
		}
		expect(emitted).toEqual(created);
		expect(new Set(emitted).size).toBe(emitted.length);
		// A quiet poll reads one page; a poll reads the new records plus one window (10 at this page size).
		const pages = pageGets().length;
		console.log(`trigger: ${rounds.length} polls, ${created.length} new orders, ${pages} page requests (page size 10)`);
		expect(pages).toBeLessThanOrEqual(1 + rounds.reduce((sum, count) => sum + Math.ceil((count + 10) / 10) + 1, 0));
	});

	test('records sharing the boundary record\'s date and second are each emitted once', async () => {
		const h = await harness({ event: 'newOrder' });
		await h.activate();
		const sameSecond = '2025-03-03 12:00:00';
		const boundary = await createOrders(2, sameSecond);
		expect(localIds((await h.tick()).items)).toEqual(boundary);
		// The newest record of the last poll (the boundary) is never emitted again; later ones with
		// the same date, and an older date, still are.
		const later = [...(await createOrders(2, sameSecond)), ...(await createOrders(1, '2019-01-01 00:00:00'))];
		expect(localIds((await h.tick()).items)).toEqual(later);
		expect(await h.tick()).toEqual({ items: null });
	});

	test('a record that becomes visible after a newer one (writes committed out of order) is still emitted, once', async () => {
		const h = await harness({ event: 'newOrder' });
		await h.activate();
		const [early, late] = await createOrders(2);
		// The API lists the later record first while the earlier one is not yet visible.
		const page = await api('GET', `/order?page%5Bnumber%5D=1&page%5Bsize%5D=100&sort=${encodeURIComponent(NEWEST_FIRST)}`);
		const hidden = { ...page.body, data: page.body.data.filter((record: IDataObject) => (record.attributes as IDataObject).local_id !== early) };
		fx.sandbox.inject({ kind: 'status', status: 200, body: hidden, match: { method: 'GET', path: '/order' } });
		expect(localIds((await h.tick()).items)).toEqual([late]);
		expect(localIds((await h.tick()).items)).toEqual([early]);
		expect(await h.tick()).toEqual({ items: null });
	});

	test('records not listed newest first (an API that ignores the sort) fail the poll instead of hiding new records', async () => {
		const h = await harness({ event: 'newOrder' }, { pageSize: 10 });
		await h.activate();
		await createOrders(1);
		// Oldest first, as the API would list them without the sort: the first record is below the floor.
		const page = await api('GET', '/order?page%5Bnumber%5D=1&page%5Bsize%5D=10');
		fx.sandbox.inject({ kind: 'status', status: 200, body: page.body, match: { method: 'GET', path: '/order' } });
		const unsorted = await h.tick();
		expect(unsorted.error?.message).toBe('Loymax SC did not list the orders newest first');
		expect(localIds((await h.tick()).items)).toEqual([`T-${orderSeq}`]);
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

		// ... and in the middle of the poll, on page 2: nothing of page 1 is emitted either.
		fx.sandbox.inject({ kind: 'status', status: 400, match: { method: 'GET', path: '/order', query: { 'page[number]': '2' } } });
		const halfway = await h.tick();
		expect(halfway.items).toBeNull();
		expect(halfway.error).toBeDefined();
		expect({ saved: h.saved, live: h.live }).toEqual(before);

		expect(localIds((await h.tick()).items)).toEqual(created);
		expect(await h.tick()).toEqual({ items: null });
	});

	test('a poll that starts while the previous one still runs skips its turn: nothing emitted twice', async () => {
		const h = await harness({ event: 'newOrder' });
		await h.activate();
		const created = await createOrders(2);
		fx.sandbox.inject({ kind: 'delay', ms: 500, match: { method: 'GET', path: '/order' } });
		const [slow, overlapping] = await Promise.all([h.tick(), h.tick()]);
		expect(localIds(slow.items)).toEqual(created);
		expect(overlapping).toEqual({ items: null });
		expect(pageGets()).toHaveLength(2);
		expect(await h.tick()).toEqual({ items: null });
	});

	test('Max Pages per Poll: the newest records are emitted, older ones skipped, and the log says so', async () => {
		const warn = jest.spyOn(Container.get(Logger), 'warn').mockImplementation(() => {});
		const h = await harness({ event: 'newOrder', options: { maxPagesPerPoll: 2 } }, { pageSize: 10 });
		await h.activate();
		const created = await createOrders(30);
		const result = await h.tick();
		expect(localIds(result.items)).toEqual(created.slice(10));
		expect(warn).toHaveBeenCalledWith(expect.stringContaining('Raise "Max Pages per Poll"'), expect.anything());
		expect(pageGets().length).toBe(1 + 2);
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
		const h = await harness({ event: 'newCustomer' });
		const test1 = await h.fetchTestEvent();
		expect(test1.items).toHaveLength(1);
		expect(test1.items![0]).toMatchObject({ type: 'customer', local_id: 'C-00025' });
		expect(h.saved).toEqual({});
		expect(fx.requests({ method: 'GET', path: '/customer' })[0].query).toMatchObject({ 'page[size]': '1', sort: NEWEST_FIRST });
		// After activation it still shows the newest record, and the cursor stays where it was.
		await h.activate();
		const saved = h.saved;
		expect((await api('POST', '/customer', { local_id: 'C-NEW', first_name: 'Nina', register_date: '2021-05-05 10:00:00' })).status).toBe(201);
		expect((await h.fetchTestEvent()).items![0]).toMatchObject({ local_id: 'C-NEW', first_name: 'Nina' });
		expect(h.saved).toEqual(saved);
		expect(localIds((await h.tick()).items)).toEqual(['C-NEW']);
	});

	test('Fetch Test Event on an empty collection says so', async () => {
		fx = await createFixture({ seed: { polls: 0 } });
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
		expect(result.items![0]).toMatchObject({ type: 'event', attributes: { client_id: 'C-00002' } });
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

	test.each(triggerEvents.map((event) => [event.name, event] as const))('%s reads its collection newest first', async (_name, event) => {
		fx = await createFixture();
		const store = fx.sandbox.store as unknown as Record<string, { insert: (a: IDataObject) => { id: number } }> & {
			mailings: (channel: string) => { insert: (a: IDataObject) => { id: number } };
		};
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
		const record = collections[event.path]().insert({ name: 'Created after activation', local_id: 'NEW-1' });
		const result = await h.tick();
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([expect.objectContaining({ id: String(record.id), name: 'Created after activation' })]);
		expect(fx.requests({ method: 'GET', path: event.path }).map((entry) => entry.query.sort)).toEqual([NEWEST_FIRST, NEWEST_FIRST]);
	});
});

describe('cursor', () => {
	test('remembers a window of the newest IDs above a floor, and a poll that stopped early moves the floor up', () => {
		let cursor = advance(emptyCursor('newOrder'), [30, 29, 28], true, 3);
		expect(cursor).toEqual({ event: 'newOrder', floor: 0, recent: [30, 29, 28] });
		cursor = advance(cursor, [32, 30, 29, 28], true, 3);
		expect(cursor).toEqual({ event: 'newOrder', floor: 29, recent: [32, 30, 29] });
		// 31 appears after 32 (committed out of order): still new, then remembered.
		expect(isNew(cursor, 31)).toBe(true);
		expect(isNew(cursor, 30)).toBe(false);
		expect(isNew(cursor, 28)).toBe(false);
		cursor = advance(cursor, [50, 49, 48], false, 3);
		expect(cursor).toEqual({ event: 'newOrder', floor: 48, recent: [50, 49, 48] });
	});
});
