/**
 * Deterministic seed: every seeded record is a pure function of its 1-based index and the seed
 * counts, so a 100 000-customer seed costs nothing until records are read.
 */
import type { Attributes } from './http';
import type { SeedCounts } from './types';

export const pad = (n: number, width = 5): string => String(n).padStart(width, '0');

export const customerKey = (n: number): string => `C-${pad(n)}`;
export const orderKey = (n: number): string => `O-${pad(n)}`;
export const productKey = (n: number): string => `P-${pad(n)}`;
export const categoryKey = (n: number): string => `CAT-${pad(n)}`;
export const promoGroupKey = (n: number): string => `PG-${pad(n)}`;
export const dictionaryKey = (n: number): string => `DICT-${pad(n)}`;

/** Inverse of the key functions above: `C-00042` → 42 (only the exact zero-padded spelling). */
export function seedIndexOfKey(prefix: string, key: string): number | undefined {
	if (!key.startsWith(prefix)) return undefined;
	const digits = key.slice(prefix.length);
	if (!/^\d{5,}$/.test(digits)) return undefined;
	const n = Number(digits);
	return n >= 1 && pad(n) === digits ? n : undefined;
}

/** Small integer hash (deterministic "randomness"). */
export function hash(n: number, salt: number): number {
	let x = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35);
	x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
	x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
	return (x ^ (x >>> 16)) >>> 0;
}

const two = (n: number): string => pad(n, 2);

function seededDate(n: number, salt: number, year: number): string {
	const h = hash(n, salt);
	return `${year}-${two(1 + (h % 12))}-${two(1 + ((h >>> 4) % 28))}`;
}

function seededDateTime(n: number, salt: number, year: number): string {
	const h = hash(n, salt + 100);
	return `${seededDate(n, salt, year)} ${two(h % 24)}:${two((h >>> 5) % 60)}:${two((h >>> 11) % 60)}`;
}

const CITIES = ['Moscow', 'Saint Petersburg', 'Novosibirsk', 'Yekaterinburg', 'Kazan', 'Samara', 'Omsk', 'Perm'];
const SEXES = ['M', 'F', ''];
const ORDER_STATUSES = ['new', 'paid', 'shipped', 'delivered'];
const EVENT_NAMES = ['order_shipped', 'login', 'birthday', 'cart_abandoned'];
const MAILING_STATUSES = ['sent', 'sent', 'sent', 'scheduled', 'draft'];
const RECIPIENT_STATUSES = ['delivered', 'opened', 'clicked', 'bounced'];
const BLACKLIST_REASONS = ['bounce', 'complaint', 'manual'];

export const MAILING_CATEGORIES = [
	{ id: 1, code: 'news', name: 'News', description: 'Company news' },
	{ id: 2, code: 'promo', name: 'Promotions', description: 'Offers and discounts' },
	{ id: 3, code: 'service', name: 'Service', description: 'Service notifications' },
] as const;

export type MailingChannel = 'email' | 'sms' | 'push';
export const MAILING_CHANNELS: readonly MailingChannel[] = ['email', 'sms', 'push'];

/** Seeded customers received mailing `m` (of every channel) iff `n % 3 === m % 3`. */
export function mailingRecipients(m: number, customers: number): { first: number; count: number } {
	const first = m % 3 === 0 ? 3 : m % 3;
	return { first, count: customers >= first ? Math.floor((customers - first) / 3) + 1 : 0 };
}

export function recipientStatus(n: number, m: number): string {
	return RECIPIENT_STATUSES[hash(n, m) % RECIPIENT_STATUSES.length];
}

/** Record generators bound to one set of seed counts. */
export class Seed {
	constructor(readonly counts: SeedCounts) {}

	orderLines(n: number): Attributes[] {
		const { customers, products } = this.counts;
		const lines: Attributes[] = [];
		const clientId = customers > 0 ? customerKey(((n - 1) % customers) + 1) : '';
		for (let k = 1; k <= 1 + (n % 3); k++) {
			const price = 100 + (hash(n, k) % 50) * 10;
			const cnt = 1 + ((n + k) % 3);
			lines.push({
				local_id: `${orderKey(n)}-${k}`,
				product_id: products > 0 ? productKey(((n + k - 2) % products) + 1) : productKey(k),
				price,
				cnt,
				sum: price * cnt,
				client_id: clientId,
			});
		}
		return lines;
	}

	private orderTotals(n: number): { cnt: number; sum: number } {
		let cnt = 0;
		let sum = 0;
		for (let k = 1; k <= 1 + (n % 3); k++) {
			const c = 1 + ((n + k) % 3);
			cnt += c;
			sum += (100 + (hash(n, k) % 50) * 10) * c;
		}
		return { cnt, sum };
	}

	customer(n: number): Attributes {
		const { customers, orders } = this.counts;
		let orderCnt = 0;
		let orderSum = 0;
		if (customers > 0) {
			for (let o = n; o <= orders; o += customers) {
				orderCnt++;
				orderSum += this.orderTotals(o).sum;
			}
		}
		return {
			local_id: customerKey(n),
			full_name: '',
			first_name: `First${n}`,
			middle_name: '',
			last_name: `Last${n}`,
			email: `customer${n}@example.com`,
			phone: `7900${pad(n, 7)}`,
			sex: SEXES[n % 3],
			birth_date: seededDate(n, 1, 1960 + (hash(n, 2) % 45)),
			country: '',
			city: CITIES[hash(n, 3) % CITIES.length],
			zip: '',
			register_date: seededDateTime(n, 4, 2020 + (n % 5)),
			push_id: '',
			order_cnt: orderCnt,
			order_sum: orderSum,
		};
	}

	order(n: number): Attributes {
		const { customers } = this.counts;
		const totals = this.orderTotals(n);
		return {
			local_id: orderKey(n),
			date: seededDateTime(n, 5, 2024),
			client_id: customers > 0 ? customerKey(((n - 1) % customers) + 1) : '',
			number: String(100000 + n),
			status_name: ORDER_STATUSES[n % ORDER_STATUSES.length],
			items_cnt: totals.cnt,
			items_sum: totals.sum,
			items: this.orderLines(n),
		};
	}

	event(n: number): Attributes {
		const { customers } = this.counts;
		const system = n % 4 === 0 || customers === 0;
		return {
			name: EVENT_NAMES[n % EVENT_NAMES.length],
			date: seededDateTime(n, 6, 2024),
			client_id: system ? '' : customerKey(((n - 1) % customers) + 1),
			context: { seq: n, source: 'seed' },
		};
	}

	product(n: number): Attributes {
		const { categories } = this.counts;
		return {
			local_id: productKey(n),
			name: `Product ${n}`,
			category_id: categories > 0 ? categoryKey(((n - 1) % categories) + 1) : '',
		};
	}

	category(n: number): Attributes {
		return { local_id: categoryKey(n), name: `Category ${n}`, parent_id: n === 1 ? '' : categoryKey(1) };
	}

	mailing(channel: MailingChannel, m: number): Attributes {
		const sent = mailingRecipients(m, this.counts.customers).count;
		const status = MAILING_STATUSES[(m - 1) % MAILING_STATUSES.length];
		const done = status === 'sent';
		const label = channel === 'sms' ? 'SMS' : channel[0].toUpperCase() + channel.slice(1);
		return {
			name: `${label} mailing ${m}`,
			subject: `Subject ${m}`,
			status,
			date: seededDateTime(m, 7, 2024),
			sent: done ? sent : 0,
			delivered: done ? Math.floor(sent * 0.9) : 0,
			opened: done ? Math.floor(sent * 0.5) : 0,
			clicked: done ? Math.floor(sent * 0.1) : 0,
		};
	}

	poll(m: number): Attributes {
		return {
			name: `Poll ${m}`,
			status: m % 2 === 1 ? 'active' : 'closed',
			questions: [
				{ id: 1, text: 'How satisfied are you?', type: 'rating', options: ['1', '2', '3', '4', '5'] },
				{ id: 2, text: 'Would you recommend us?', type: 'single', options: ['Yes', 'No'] },
			],
		};
	}

	blacklist(type: 'email' | 'phone', n: number): Attributes {
		return {
			value: type === 'email' ? `blocked${n}@example.com` : `7999${pad(n, 7)}`,
			reason: BLACKLIST_REASONS[n % BLACKLIST_REASONS.length],
			date: seededDateTime(n, type === 'email' ? 8 : 9, 2024),
		};
	}

	promoCodeGroup(n: number): Attributes {
		return { local_id: promoGroupKey(n), name: `Promo group ${n}` };
	}

	/** Codes of seeded group `n`: 5 codes, the first one used. */
	promoCodes(n: number): { codes: string[]; used: number } {
		return { codes: [1, 2, 3, 4, 5].map((k) => `PG${n}-CODE${k}`), used: 1 };
	}

	dictionary(d: number): Attributes {
		return { name: `Dictionary ${d}`, code: `dict${d}`, local_id: dictionaryKey(d), is_system: d === 1 ? 'Y' : 'N' };
	}

	/** Dictionary items have global Platform ids: item `k` of dictionary `d` is `(d-1)*perDictionary + k`. */
	dictionaryItem(id: number): Attributes {
		const per = this.counts.dictionaryItems;
		const d = Math.floor((id - 1) / per) + 1;
		const k = ((id - 1) % per) + 1;
		return { dictionary_id: d, name: `Item ${k}`, code: `item${k}`, value: `value ${d}.${k}` };
	}

	/* ----- customer sub-resources of seeded customers ----- */

	subscriptions(n: number): Map<string, Record<string, string>> {
		const m = new Map<string, Record<string, string>>();
		m.set('news', { email: 'Y', sms: n % 2 === 0 ? 'Y' : 'N', push: 'N' });
		if (n % 3 === 0) m.set('promo', { email: 'Y', sms: 'N', push: 'Y' });
		return m;
	}

	channels(n: number): Record<string, string> {
		return { email: 'Y', sms: n % 2 === 0 ? 'Y' : 'N', push: 'N' };
	}

	markers(n: number): string[] {
		return n % 10 === 1 ? ['vip'] : [];
	}

	bonus(n: number): Attributes {
		const pendingDeactivation = (n * 7) % 50;
		return {
			active: 100 + ((n * 37) % 900),
			pending_activation: (n * 13) % 100,
			pending_deactivation: pendingDeactivation,
			next_deactivation_date: pendingDeactivation > 0 ? seededDate(n, 10, 2030) : '',
			next_deactivation_amount: pendingDeactivation,
		};
	}
}
