/**
 * In-memory store. Seeded records are generated on demand from their index; only created,
 * changed and deleted records take memory.
 */
import type { Attributes } from './http';
import { MAILING_CATEGORIES, Seed, seedIndexOfKey } from './seed';
import type { SeedCounts } from './types';

export interface StoredRecord {
	/** Platform id. */
	id: number;
	attributes: Attributes;
}

export interface CollectionInit {
	type: string;
	/** Master-id attribute (`local_id`) for collections addressed by it. */
	keyField?: string;
	seedCount: number;
	seed?: (n: number) => Attributes;
	/** Inverse of the seeded key: `C-00042` → 42. */
	seedIndexOfKey?: (key: string) => number | undefined;
}

/**
 * One resource collection. Platform ids of seeded records are 1..seedCount; created records get
 * the next ids. Default order = ascending Platform id.
 */
export class Collection implements Iterable<StoredRecord> {
	readonly type: string;
	readonly keyField: string | undefined;
	readonly seedCount: number;
	/** Bumped on every write; cached views are dropped when it changes. */
	version = 0;
	/** Every attribute name written or seeded (sortable attributes). */
	readonly attributeNames = new Set<string>();

	private readonly seedFn?: (n: number) => Attributes;
	private readonly seedIndex?: (key: string) => number | undefined;
	private readonly overrides = new Map<number, Attributes>();
	private readonly deleted = new Set<number>();
	/** Inserted with an ID but not visible yet (a write committed late); see `insert`. */
	private readonly pending = new Set<number>();
	private readonly keyIndex = new Map<string, number>();
	private readonly createdIds: number[] = [];
	private nextId: number;
	private views = new Map<string, number[]>();
	private viewsVersion = 0;

	constructor(init: CollectionInit) {
		this.type = init.type;
		this.keyField = init.keyField;
		this.seedCount = init.seed ? Math.max(0, Math.floor(init.seedCount)) : 0;
		this.seedFn = init.seed;
		this.seedIndex = init.seedIndexOfKey;
		this.nextId = this.seedCount + 1;
		if (this.seedFn && this.seedCount > 0) for (const k of Object.keys(this.seedFn(1))) this.attributeNames.add(k);
	}

	get size(): number {
		return this.seedCount + this.createdIds.length - this.deleted.size - this.pending.size;
	}

	/** Number of records held in memory (created or changed). */
	get materialised(): number {
		return this.overrides.size;
	}

	getById(id: number): StoredRecord | undefined {
		if (!Number.isSafeInteger(id) || id < 1 || this.deleted.has(id) || this.pending.has(id)) return undefined;
		const o = this.overrides.get(id);
		if (o) return { id, attributes: o };
		if (id <= this.seedCount && this.seedFn) return { id, attributes: this.seedFn(id) };
		return undefined;
	}

	findByKey(key: string): StoredRecord | undefined {
		const kf = this.keyField;
		if (!kf) return undefined;
		const id = this.keyIndex.get(key);
		if (id !== undefined) {
			const r = this.getById(id);
			if (r && r.attributes[kf] === key) return r;
		}
		const n = this.seedIndex?.(key);
		if (n !== undefined && n <= this.seedCount && !this.overrides.has(n)) return this.getById(n);
		return undefined;
	}

	/** By Platform id (number, or numeric string when the collection has no master key) or by master id. */
	get(k: string | number): StoredRecord | undefined {
		if (typeof k === 'number') return this.getById(k);
		if (this.keyField) return this.findByKey(k);
		return /^\d+$/.test(k) ? this.getById(Number(k)) : undefined;
	}

	has(k: string | number): boolean {
		return this.get(k) !== undefined;
	}

	/**
	 * Creates a record with the next Platform id. `pending`: the id is taken now but the record
	 * lists and reads as absent until `commit(id)`, as a write committed after later ones.
	 */
	insert(attributes: Attributes, { pending = false } = {}): StoredRecord {
		const id = this.nextId++;
		this.createdIds.push(id);
		if (pending) this.pending.add(id);
		this.write(id, attributes, undefined);
		return { id, attributes };
	}

	/** Makes a pending record visible. */
	commit(id: number): void {
		if (this.pending.delete(id)) this.version++;
	}

	replace(id: number, attributes: Attributes): StoredRecord {
		const old = this.getById(id);
		if (!old) throw new Error(`${this.type} ${id} does not exist`);
		this.write(id, attributes, old.attributes);
		return { id, attributes };
	}

	delete(id: number): boolean {
		const old = this.getById(id);
		if (!old) return false;
		this.deleted.add(id);
		this.overrides.delete(id);
		if (this.keyField) {
			const key = old.attributes[this.keyField];
			if (typeof key === 'string' && this.keyIndex.get(key) === id) this.keyIndex.delete(key);
		}
		this.version++;
		return true;
	}

	private write(id: number, attributes: Attributes, old: Attributes | undefined): void {
		this.overrides.set(id, attributes);
		if (this.keyField) {
			const oldKey = old?.[this.keyField];
			if (typeof oldKey === 'string' && this.keyIndex.get(oldKey) === id) this.keyIndex.delete(oldKey);
			const key = attributes[this.keyField];
			if (typeof key === 'string') this.keyIndex.set(key, id);
		}
		for (const k of Object.keys(attributes)) this.attributeNames.add(k);
		this.version++;
	}

	/** Platform id of the i-th live record in default order (O(1) without deletions). */
	idAt(i: number): number | undefined {
		if (i < 0 || i >= this.size) return undefined;
		if (this.deleted.size === 0 && this.pending.size === 0) return i < this.seedCount ? i + 1 : this.createdIds[i - this.seedCount];
		return this.view('live', () => {
			const ids: number[] = [];
			for (let id = 1; id <= this.seedCount; id++) if (!this.deleted.has(id)) ids.push(id);
			for (const id of this.createdIds) if (!this.deleted.has(id) && !this.pending.has(id)) ids.push(id);
			return ids;
		})[i];
	}

	/** A cached derived array (e.g. a sorted order), rebuilt after any write. */
	view(key: string, build: () => number[]): number[] {
		if (this.viewsVersion !== this.version) {
			this.views = new Map();
			this.viewsVersion = this.version;
		}
		let v = this.views.get(key);
		if (!v) {
			v = build();
			if (this.views.size >= 16) this.views.clear();
			this.views.set(key, v);
		}
		return v;
	}

	*ids(): IterableIterator<number> {
		const n = this.size;
		for (let i = 0; i < n; i++) yield this.idAt(i) as number;
	}

	*values(): IterableIterator<StoredRecord> {
		for (const id of this.ids()) yield this.getById(id) as StoredRecord;
	}

	[Symbol.iterator](): IterableIterator<StoredRecord> {
		return this.values();
	}
}

export type ChannelStatus = Record<string, string>;

export interface Device {
	id: number;
	token: string;
	platform: string;
	source_code: unknown;
	device_id: string;
}

/** Everything the sandbox knows. Recreated in place by `reset()` so `sb.store` stays valid. */
export class Store {
	seed!: Seed;
	customers!: Collection;
	orders!: Collection;
	events!: Collection;
	products!: Collection;
	categories!: Collection;
	emailMailings!: Collection;
	smsMailings!: Collection;
	pushMailings!: Collection;
	polls!: Collection;
	blacklistEmails!: Collection;
	blacklistPhones!: Collection;
	promoCodeGroups!: Collection;
	dictionaries!: Collection;
	dictionaryItems!: Collection;

	readonly mailingCategories = MAILING_CATEGORIES;

	/** Per customer Platform id; absent = the seeded default. */
	subscriptions!: Map<number, Map<string, ChannelStatus>>;
	channels!: Map<number, ChannelStatus>;
	devices!: Map<number, Device[]>;
	markers!: Map<number, Set<string>>;
	bonuses!: Map<number, Attributes>;
	contacts!: Map<number, Attributes[]>;
	/** Marker name → marker Platform id. */
	markerIds!: Map<string, number>;
	/** Per promo-code group Platform id. */
	promoCodes!: Map<number, { codes: Set<string>; used: number }>;
	/** Accepted `POST /web_event` bodies. */
	webEvents!: Attributes[];
	/** Accepted `POST /communication/:type/events` items, with `channel`. */
	messageEvents!: Attributes[];
	/** Accepted `POST /communication/push/state` bodies, with `device_id`. */
	pushStates!: Attributes[];
	/** Accepted `POST /promocode-group/:local_id/codes` bodies, with `group_local_id`. */
	promoCodeUploads!: Attributes[];
	private nextDeviceId = 1;

	constructor(counts: SeedCounts) {
		this.reset(counts);
	}

	reset(counts: SeedCounts): void {
		const seed = (this.seed = new Seed({ ...counts }));
		const c = seed.counts;
		this.customers = new Collection({
			type: 'customer',
			keyField: 'local_id',
			seedCount: c.customers,
			seed: (n) => seed.customer(n),
			seedIndexOfKey: (k) => seedIndexOfKey('C-', k),
		});
		this.orders = new Collection({
			type: 'order',
			keyField: 'local_id',
			seedCount: c.orders,
			seed: (n) => seed.order(n),
			seedIndexOfKey: (k) => seedIndexOfKey('O-', k),
		});
		this.events = new Collection({ type: 'event', seedCount: c.events, seed: (n) => seed.event(n) });
		this.products = new Collection({
			type: 'product',
			keyField: 'local_id',
			seedCount: c.products,
			seed: (n) => seed.product(n),
			seedIndexOfKey: (k) => seedIndexOfKey('P-', k),
		});
		this.categories = new Collection({
			type: 'category',
			keyField: 'local_id',
			seedCount: c.categories,
			seed: (n) => seed.category(n),
			seedIndexOfKey: (k) => seedIndexOfKey('CAT-', k),
		});
		this.emailMailings = new Collection({ type: 'email-mailing', seedCount: c.emailMailings, seed: (n) => seed.mailing('email', n) });
		this.smsMailings = new Collection({ type: 'sms-mailing', seedCount: c.smsMailings, seed: (n) => seed.mailing('sms', n) });
		this.pushMailings = new Collection({ type: 'push-mailing', seedCount: c.pushMailings, seed: (n) => seed.mailing('push', n) });
		this.polls = new Collection({ type: 'poll', seedCount: c.polls, seed: (n) => seed.poll(n) });
		this.blacklistEmails = new Collection({ type: 'black-list', seedCount: c.blacklistEmails, seed: (n) => seed.blacklist('email', n) });
		this.blacklistPhones = new Collection({ type: 'black-list', seedCount: c.blacklistPhones, seed: (n) => seed.blacklist('phone', n) });
		this.promoCodeGroups = new Collection({
			type: 'promocode-group',
			keyField: 'local_id',
			seedCount: c.promoCodeGroups,
			seed: (n) => seed.promoCodeGroup(n),
			seedIndexOfKey: (k) => seedIndexOfKey('PG-', k),
		});
		this.dictionaries = new Collection({ type: 'dictionary', seedCount: c.dictionaries, seed: (n) => seed.dictionary(n) });
		this.dictionaryItems = new Collection({
			type: 'dictionary-item',
			seedCount: c.dictionaryItems > 0 ? c.dictionaries * c.dictionaryItems : 0,
			seed: (n) => seed.dictionaryItem(n),
		});
		this.subscriptions = new Map();
		this.channels = new Map();
		this.devices = new Map();
		this.markers = new Map();
		this.bonuses = new Map();
		this.contacts = new Map();
		this.markerIds = new Map([['vip', 1]]);
		this.promoCodes = new Map();
		this.webEvents = [];
		this.messageEvents = [];
		this.pushStates = [];
		this.promoCodeUploads = [];
		this.nextDeviceId = 1;
	}

	private isSeededCustomer(id: number): boolean {
		return id >= 1 && id <= this.customers.seedCount;
	}

	/** Category code → channel statuses (mutable; written back on change). */
	subscriptionsOf(customerId: number): Map<string, ChannelStatus> {
		let s = this.subscriptions.get(customerId);
		if (!s) {
			s = this.isSeededCustomer(customerId) ? this.seed.subscriptions(customerId) : new Map();
			this.subscriptions.set(customerId, s);
		}
		return s;
	}

	channelsOf(customerId: number): ChannelStatus {
		let s = this.channels.get(customerId);
		if (!s) {
			s = this.isSeededCustomer(customerId) ? this.seed.channels(customerId) : { email: '', sms: '', push: '' };
			this.channels.set(customerId, s);
		}
		return s;
	}

	devicesOf(customerId: number): Device[] {
		let d = this.devices.get(customerId);
		if (!d) this.devices.set(customerId, (d = []));
		return d;
	}

	newDeviceId(): number {
		return this.nextDeviceId++;
	}

	markersOf(customerId: number): Set<string> {
		let m = this.markers.get(customerId);
		if (!m) {
			m = new Set(this.isSeededCustomer(customerId) ? this.seed.markers(customerId) : []);
			this.markers.set(customerId, m);
		}
		return m;
	}

	markerId(name: string): number {
		let id = this.markerIds.get(name);
		if (id === undefined) this.markerIds.set(name, (id = this.markerIds.size + 1));
		return id;
	}

	bonusOf(customerId: number): Attributes {
		return (
			this.bonuses.get(customerId) ??
			(this.isSeededCustomer(customerId)
				? this.seed.bonus(customerId)
				: { active: 0, pending_activation: 0, pending_deactivation: 0, next_deactivation_date: '', next_deactivation_amount: 0 })
		);
	}

	contactsOf(customerId: number): Attributes[] {
		let c = this.contacts.get(customerId);
		if (!c) this.contacts.set(customerId, (c = []));
		return c;
	}

	promoCodesOf(groupId: number): { codes: Set<string>; used: number } {
		let p = this.promoCodes.get(groupId);
		if (!p) {
			if (groupId >= 1 && groupId <= this.promoCodeGroups.seedCount) {
				const s = this.seed.promoCodes(groupId);
				p = { codes: new Set(s.codes), used: s.used };
			} else p = { codes: new Set(), used: 0 };
			this.promoCodes.set(groupId, p);
		}
		return p;
	}

	mailings(channel: 'email' | 'sms' | 'push'): Collection {
		return channel === 'email' ? this.emailMailings : channel === 'sms' ? this.smsMailings : this.pushMailings;
	}
}
