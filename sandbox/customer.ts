/**
 * Customer sub-resources: subscriptions, channels, contacts, mailings, devices, bonus, markers.
 */
import type { Attributes, HandlerResult, ValidationErrors } from './http';
import { addError, addMissing, hasErrors, isPlainObject, notFound, validationFailed } from './http';
import type { ResourceItem } from './jsonapi';
import { ack, arraySource, listDocument, noContent, singleDocument } from './jsonapi';
import type { RequestContext, Route } from './router';
import { route } from './router';
import { MAILING_CHANNELS, mailingRecipients, recipientStatus } from './seed';
import type { StoredRecord } from './store';
import type { Schema } from './validate';
import { num, reqStr, requiredFields, str, validateAttributes } from './validate';

const BASE = '/customer/:local_id';

function customerOf(ctx: RequestContext): StoredRecord {
	const c = ctx.store.customers.findByKey(ctx.params.local_id);
	if (!c) throw notFound();
	return c;
}

function customerPath(c: StoredRecord): string {
	return `/customer/${encodeURIComponent(String(c.attributes.local_id))}`;
}

function validate(schema: Schema, input: Attributes, ctx: RequestContext, extra?: ValidationErrors): Attributes {
	const errors: ValidationErrors = { ...(extra ?? {}) };
	const out = validateAttributes(schema, input, ctx.options, errors);
	if (hasErrors(errors)) throw validationFailed(errors);
	return out;
}

function requireDeviceId(ctx: RequestContext, errors: ValidationErrors): string {
	const id = ctx.deviceId;
	if (id === null || id.trim() === '') addMissing(errors, 'device_id');
	return id ?? '';
}

function list(ctx: RequestContext, c: StoredRecord, suffix: string, items: ResourceItem[], names?: string[]): HandlerResult {
	return listDocument(arraySource(items, names), ctx.query, ctx.options, ctx.baseUrl, `${customerPath(c)}/${suffix}`);
}

/* ---------- subscriptions ---------- */

const SUBSCRIPTION_CHANNELS = ['email', 'sms', 'push', 'messenger:telegram', 'messenger:whatsapp'];
const SUBSCRIPTION_STATUSES = ['Y', 'N', 'ND'];
/**
 * The channels a status for the whole category («Категория - статус подписки», the reference's
 * form) applies to: the three the reference and the mailing-category settings know (**guess**).
 */
const CATEGORY_CHANNELS = ['email', 'sms', 'push'];

function patchSubscriptions(ctx: RequestContext): HandlerResult {
	const c = customerOf(ctx);
	const input = ctx.attrs();
	const errors: ValidationErrors = {};
	for (const k of Object.keys(input)) if (k !== 'categories') addError(errors, k, 'unknown field');
	const categories = input.categories;
	const codes = new Set<string>(ctx.store.mailingCategories.map((m) => m.code));
	if (categories === undefined) addMissing(errors, 'categories');
	else if (!isPlainObject(categories)) addError(errors, 'categories', 'must be an object keyed by category code');
	else {
		for (const [code, statuses] of Object.entries(categories)) {
			const key = `categories.${code}`;
			if (!codes.has(code)) addError(errors, key, 'unknown mailing category code');
			else if (typeof statuses === 'string') {
				if (!SUBSCRIPTION_STATUSES.includes(statuses)) addError(errors, key, 'must be one of: Y, N, ND');
			} else if (!isPlainObject(statuses)) addError(errors, key, 'must be a status (Y, N, ND) or an object of channel statuses');
			else {
				for (const [channel, status] of Object.entries(statuses)) {
					if (!SUBSCRIPTION_CHANNELS.includes(channel)) addError(errors, `${key}.${channel}`, 'unknown channel');
					else if (typeof status !== 'string' || !SUBSCRIPTION_STATUSES.includes(status)) {
						addError(errors, `${key}.${channel}`, 'must be one of: Y, N, ND');
					}
				}
			}
		}
	}
	if (hasErrors(errors)) throw validationFailed(errors);
	const subs = ctx.store.subscriptionsOf(c.id);
	for (const [code, given] of Object.entries(categories as Record<string, string | Record<string, string>>)) {
		const current = { ...(subs.get(code) ?? {}) };
		const statuses = typeof given === 'string' ? Object.fromEntries(CATEGORY_CHANNELS.map((channel) => [channel, given])) : given;
		for (const [channel, status] of Object.entries(statuses)) {
			if (status === 'ND') delete current[channel];
			else current[channel] = status;
		}
		if (Object.keys(current).length === 0) subs.delete(code);
		else subs.set(code, current);
	}
	return ack();
}

function getSubscriptions(ctx: RequestContext): HandlerResult {
	const c = customerOf(ctx);
	const subs = ctx.store.subscriptionsOf(c.id);
	const items: ResourceItem[] = [];
	for (const cat of ctx.store.mailingCategories) {
		const s = subs.get(cat.code);
		if (!s || !Object.values(s).includes('Y')) continue;
		items.push({
			type: 'subscribe',
			id: String(cat.id),
			attributes: {
				id: cat.id,
				mailing_cat_id: cat.id,
				name: cat.name,
				code: cat.code,
				description: cat.description,
				status_email: s.email === 'Y' ? 'Y' : 'N',
				status_push: s.push === 'Y' ? 'Y' : 'N',
				status_sms: s.sms === 'Y' ? 'Y' : 'N',
			},
			self: `${customerPath(c)}/subscribe/${cat.id}`,
		});
	}
	const names = ['id', 'mailing_cat_id', 'name', 'code', 'description', 'status_email', 'status_push', 'status_sms'];
	return list(ctx, c, 'subscribe', items, names);
}

/* ---------- channels ---------- */

const yn = str({ enum: ['Y', 'N', ''] });
const channelSchema: Schema = {
	fields: { email: yn, sms: yn, push: yn },
};

function postChannels(ctx: RequestContext): HandlerResult {
	const c = customerOf(ctx);
	const input = ctx.attrs();
	const errors: ValidationErrors = {};
	if (!['email', 'sms', 'push'].some((k) => k in input)) addError(errors, 'email', 'at least one of email, sms, push is required');
	validate(channelSchema, input, ctx, errors);
	const channels = ctx.store.channelsOf(c.id);
	for (const k of ['email', 'sms', 'push']) if (typeof input[k] === 'string') channels[k] = input[k] as string;
	return ack();
}

function getChannels(ctx: RequestContext): HandlerResult {
	const c = customerOf(ctx);
	const channels = ctx.store.channelsOf(c.id);
	const items = ['email', 'sms', 'push'].map(
		(type, i): ResourceItem => ({
			type: 'channel-subscriptions',
			id: String(i + 1),
			attributes: { type, subtype: '', value: channels[type] === 'Y' ? 1 : 0 },
			self: `${customerPath(c)}/channel/${i + 1}`,
		}),
	);
	return list(ctx, c, 'channel', items, ['type', 'subtype', 'value']);
}

/* ---------- contacts ---------- */

const contactSchema: Schema = { fields: { type: reqStr(), subtype: str(), value: reqStr(), device: str() } };

function postContacts(ctx: RequestContext): HandlerResult {
	const c = customerOf(ctx);
	const input = ctx.attrs();
	const errors: ValidationErrors = {};
	for (const k of Object.keys(input)) if (k !== 'contacts') addError(errors, k, 'unknown field');
	const contacts = input.contacts;
	const out: Attributes[] = [];
	if (!Array.isArray(contacts) || contacts.length === 0) addError(errors, 'contacts', 'must be a non-empty array');
	else {
		contacts.forEach((el, i) => {
			if (!isPlainObject(el)) addError(errors, `contacts.${i}`, 'must be an object');
			else out.push(validateAttributes(contactSchema, el, ctx.options, errors, `contacts.${i}.`));
		});
	}
	if (hasErrors(errors)) throw validationFailed(errors);
	ctx.store.contactsOf(c.id).push(...out);
	return noContent();
}

/* ---------- mailings received ---------- */

function getMailings(ctx: RequestContext): HandlerResult {
	const c = customerOf(ctx);
	const items: ResourceItem[] = [];
	if (c.id <= ctx.store.customers.seedCount) {
		for (const channel of MAILING_CHANNELS) {
			const coll = ctx.store.mailings(channel);
			for (const m of coll) {
				if (m.id > coll.seedCount || m.attributes.status !== 'sent') continue;
				const r = mailingRecipients(m.id, ctx.store.customers.seedCount);
				if (c.id < r.first || (c.id - r.first) % 3 !== 0) continue;
				items.push({
					type: 'mailing',
					id: String(m.id),
					attributes: {
						channel,
						mailing_id: m.id,
						name: m.attributes.name,
						subject: m.attributes.subject,
						date: m.attributes.date,
						status: recipientStatus(c.id, m.id),
					},
					self: `/communication/${channel}/${m.id}`,
				});
			}
		}
	}
	return list(ctx, c, 'mailing', items, ['channel', 'mailing_id', 'name', 'subject', 'date', 'status']);
}

/* ---------- devices ---------- */

const PLATFORMS = ['Ios', 'Android', 'Harmony'];
const deviceSchema: Schema = {
	fields: { token: reqStr(), platform: reqStr({ enum: PLATFORMS }), source_code: num({ default: '' }) },
};

function deviceItem(c: StoredRecord, d: { id: number; token: string; platform: string; source_code: unknown; device_id: string }): ResourceItem {
	return {
		type: 'device',
		id: String(d.id),
		attributes: { token: d.token, platform: d.platform, source_code: d.source_code, device_id: d.device_id },
		self: `${customerPath(c)}/device/${encodeURIComponent(d.token)}`,
	};
}

function postDevice(ctx: RequestContext): HandlerResult {
	const c = customerOf(ctx);
	const errors: ValidationErrors = {};
	const deviceId = requireDeviceId(ctx, errors);
	const a = validate(deviceSchema, ctx.attrs(), ctx, errors);
	const devices = ctx.store.devicesOf(c.id);
	let d = devices.find((x) => x.token === a.token);
	if (!d) {
		d = { id: ctx.store.newDeviceId(), token: a.token as string, platform: '', source_code: '', device_id: '' };
		devices.push(d);
	}
	d.platform = a.platform as string;
	d.source_code = a.source_code;
	d.device_id = deviceId;
	return singleDocument(ctx.baseUrl, deviceItem(c, d), 201);
}

function getDevices(ctx: RequestContext): HandlerResult {
	const c = customerOf(ctx);
	const items = ctx.store.devicesOf(c.id).map((d) => deviceItem(c, d));
	return list(ctx, c, 'device', items, ['token', 'platform', 'source_code', 'device_id']);
}

function deleteDevice(ctx: RequestContext): HandlerResult {
	const c = customerOf(ctx);
	const errors: ValidationErrors = {};
	requireDeviceId(ctx, errors);
	if (ctx.hasBody) validateAttributes({ fields: { source_code: num() } }, ctx.attrs(), ctx.options, errors);
	if (hasErrors(errors)) throw validationFailed(errors);
	const devices = ctx.store.devicesOf(c.id);
	const i = devices.findIndex((d) => d.token === ctx.params.token);
	if (i < 0) throw notFound();
	devices.splice(i, 1);
	return noContent();
}

/* ---------- bonus ---------- */

/**
 * The reference lists no bonus fields for either method (GET only describes five amounts in words),
 * so any attribute names are taken and the body replaces the stored bonus record as a whole.
 */
const bonusSchema: Schema = { fields: {}, custom: true };

function bonusItem(c: StoredRecord, attributes: Attributes): ResourceItem {
	return { type: 'bonus', id: String(c.id), attributes, self: `${customerPath(c)}/bonus` };
}

function getBonus(ctx: RequestContext): HandlerResult {
	const c = customerOf(ctx);
	return singleDocument(ctx.baseUrl, bonusItem(c, ctx.store.bonusOf(c.id)));
}

/** An empty value of the same JSON type: what full replacement leaves in a field not sent. */
function emptied(value: unknown): unknown {
	if (typeof value === 'number') return 0;
	if (Array.isArray(value)) return [];
	if (isPlainObject(value)) return {};
	return '';
}

function patchBonus(ctx: RequestContext): HandlerResult {
	const c = customerOf(ctx);
	const sent = validate(bonusSchema, ctx.attrs(), ctx);
	// «Запрос обновляет все поля»: what the record had and the body left out is emptied.
	const current = ctx.store.bonusOf(c.id);
	const a: Attributes = {};
	for (const [k, v] of Object.entries(current)) a[k] = k in sent ? sent[k] : emptied(v);
	Object.assign(a, sent);
	ctx.store.bonuses.set(c.id, a);
	return singleDocument(ctx.baseUrl, bonusItem(c, a));
}

/* ---------- markers ---------- */

/** `name*` string and `client_id*` "Идентификатор клиента в Платформе" (typed number). */
const markerSchema: Schema = { fields: { name: reqStr(), client_id: { kind: 'platformId', required: true } } };

function markerBody(ctx: RequestContext, c: StoredRecord): string {
	const errors: ValidationErrors = {};
	const a = validateAttributes(markerSchema, ctx.attrs(), ctx.options, errors);
	const cid = a.client_id;
	if (!errors.client_id && String(cid) !== String(c.id)) {
		addError(errors, 'client_id', `must be the customer's Platform id (${c.id})`);
	}
	if (hasErrors(errors)) throw validationFailed(errors);
	return a.name as string;
}

function markerItem(ctx: RequestContext, c: StoredRecord, name: string): ResourceItem {
	const id = ctx.store.markerId(name);
	return { type: 'marker', id: String(id), attributes: { name }, self: `${customerPath(c)}/marker/${id}` };
}

function postMarker(ctx: RequestContext): HandlerResult {
	const c = customerOf(ctx);
	const name = markerBody(ctx, c);
	ctx.store.markersOf(c.id).add(name);
	return singleDocument(ctx.baseUrl, markerItem(ctx, c, name), 201);
}

function getMarkers(ctx: RequestContext): HandlerResult {
	const c = customerOf(ctx);
	const items = [...ctx.store.markersOf(c.id)].map((name) => markerItem(ctx, c, name));
	return list(ctx, c, 'marker', items, ['name']);
}

function deleteMarker(ctx: RequestContext): HandlerResult {
	const c = customerOf(ctx);
	const name = markerBody(ctx, c);
	if (!ctx.store.markersOf(c.id).delete(name)) throw notFound();
	return noContent();
}

export const customerRoutes: Route[] = [
	route('PATCH', `${BASE}/subscribe`, patchSubscriptions, { required: ['categories'] }),
	route('GET', `${BASE}/subscribe`, getSubscriptions),
	// Every channel is optional, but at least one is needed.
	route('POST', `${BASE}/channel`, postChannels),
	route('GET', `${BASE}/channel`, getChannels),
	route('POST', `${BASE}/contact`, postContacts, { required: ['contacts'] }),
	route('GET', `${BASE}/mailing`, getMailings),
	route('POST', `${BASE}/device`, postDevice, { required: requiredFields(deviceSchema) }),
	route('GET', `${BASE}/device`, getDevices),
	route('DELETE', `${BASE}/device/:token`, deleteDevice),
	route('GET', `${BASE}/bonus`, getBonus),
	route('PATCH', `${BASE}/bonus`, patchBonus),
	route('POST', `${BASE}/marker`, postMarker, { required: requiredFields(markerSchema) }),
	route('GET', `${BASE}/marker`, getMarkers),
	route('DELETE', `${BASE}/marker`, deleteMarker, { required: requiredFields(markerSchema) }),
];
