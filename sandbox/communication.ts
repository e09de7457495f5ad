/**
 * Routes that are not plain resources: mailing recipients, push state, message events,
 * black lists, web events, promo code upload.
 */
import type { Attributes, HandlerResult, ValidationErrors } from './http';
import { addError, addMissing, ApiError, hasErrors, isPlainObject, notFound, validationFailed } from './http';
import type { ListSource } from './jsonapi';
import { ack, listDocument } from './jsonapi';
import type { RequestContext, Route } from './router';
import { route } from './router';
import type { MailingChannel } from './seed';
import { MAILING_CHANNELS, mailingRecipients, recipientStatus } from './seed';
import type { Schema } from './validate';
import { dateTimeFormat, num, reqStr, requiredFields, str, validateAttributes } from './validate';

function validated(schema: Schema, input: Attributes, ctx: RequestContext, errors: ValidationErrors = {}): Attributes {
	const out = validateAttributes(schema, input, ctx.options, errors);
	if (hasErrors(errors)) throw validationFailed(errors);
	return out;
}

/* ---------- mailing recipients ---------- */

function mailingCustomers(channel: MailingChannel) {
	return (ctx: RequestContext): HandlerResult => {
		const raw = ctx.params.id;
		const coll = ctx.store.mailings(channel);
		const mailing = /^\d+$/.test(raw) ? coll.getById(Number(raw)) : undefined;
		if (!mailing) throw notFound();
		const customers = ctx.store.customers;
		const seeded = mailing.id <= coll.seedCount && mailing.attributes.status === 'sent';
		const r = seeded ? mailingRecipients(mailing.id, customers.seedCount) : { first: 0, count: 0 };
		const source: ListSource = {
			total: () => r.count,
			at: (i) => {
				const n = r.first + 3 * i;
				const c = customers.getById(n);
				return {
					type: 'mailing-customer',
					id: String(n),
					attributes: { local_id: c?.attributes.local_id ?? '', email: c?.attributes.email ?? '', status: recipientStatus(n, mailing.id) },
					self: `/customer/${encodeURIComponent(String(c?.attributes.local_id ?? n))}`,
				};
			},
			attributeNames: () => ['local_id', 'email', 'status'],
		};
		return listDocument(source, ctx.query, ctx.options, ctx.baseUrl, `/communication/${channel}/${mailing.id}/customers`);
	};
}

/* ---------- push state ---------- */

/**
 * `state*`, `message_id*`, `source_code` (number), and one more required String whose name the
 * reference lost. A field the sandbox cannot name cannot be required: at most one further key is
 * taken, and only with a string value (guess, see docs/api-readings.md).
 */
const pushStateSchema: Schema = {
	fields: { state: reqStr({ enum: ['Delivered', 'Read'] }), message_id: reqStr(), source_code: num({ default: '' }) },
	custom: true,
	check(out, errors) {
		const extra = Object.keys(out).filter((k) => !(k in pushStateSchema.fields));
		for (const k of extra) if (typeof out[k] !== 'string') addError(errors, k, 'must be a string (the one field whose name the docs lost)');
		for (const k of extra.slice(1)) addError(errors, k, 'unknown field (the docs list one unnamed field besides state, message_id and source_code)');
	},
};

function pushState(ctx: RequestContext): HandlerResult {
	const errors: ValidationErrors = {};
	if (ctx.deviceId === null || ctx.deviceId.trim() === '') addMissing(errors, 'device_id');
	const a = validated(pushStateSchema, ctx.attrs(), ctx, errors);
	ctx.store.pushStates.push({ ...a, device_id: ctx.deviceId });
	return ack();
}

/* ---------- message events ---------- */

const COMMUNICATION_TYPES = ['email', 'sms', 'push', 'bot'];
const messageEventSchema: Schema = {
	fields: {
		type: reqStr({ enum: ['delivered', 'open', 'click', 'spam', 'unsubscribe'] }),
		message_id: reqStr(),
		external_client_id: reqStr(),
	},
};

function messageEvents(ctx: RequestContext): HandlerResult {
	if (!COMMUNICATION_TYPES.includes(ctx.params.type)) throw new ApiError(400, 'invalid communication type');
	const body = ctx.attrs() as { data: unknown[] };
	const errors: ValidationErrors = {};
	const items: Attributes[] = [];
	if (body.data.length === 0) addError(errors, 'data', 'must not be empty');
	body.data.forEach((el: unknown, i: number) => {
		if (!isPlainObject(el)) addError(errors, `data.${i}`, 'must be an object');
		else items.push(validateAttributes(messageEventSchema, el, ctx.options, errors, `data.${i}.`));
	});
	if (hasErrors(errors)) throw validationFailed(errors);
	for (const it of items) ctx.store.messageEvents.push({ channel: ctx.params.type, ...it });
	return { status: 200, body: { success: true } };
}

/* ---------- black list ---------- */

function blackList(ctx: RequestContext): HandlerResult {
	const type = ctx.params.type;
	if (type !== 'email' && type !== 'phone') throw new ApiError(400, 'Invalid black list type', { type: ['must be email or phone'] });
	const coll = type === 'email' ? ctx.store.blacklistEmails : ctx.store.blacklistPhones;
	const source: ListSource = {
		total: () => coll.size,
		at: (i) => {
			const id = coll.idAt(i) as number;
			return { type: 'black-list', id: String(id), attributes: coll.getById(id)?.attributes ?? {}, self: `/black-list/${type}/${id}` };
		},
		attributeNames: () => ['value', 'reason', 'date'],
		cached: (key, build) => coll.view(`sort:${key}`, build),
	};
	return listDocument(source, ctx.query, ctx.options, ctx.baseUrl, `/black-list/${type}`);
}

/* ---------- web event ---------- */

const webEventSchema: Schema = {
	fields: {
		client_id: reqStr(),
		session_id: reqStr(),
		date: reqStr({ format: dateTimeFormat }),
		name: reqStr(),
		source_code: str(),
		category_id: str(),
		product_id: str(),
		quantity: num(),
		price: num(),
		container: str(),
	},
};

function webEvent(ctx: RequestContext): HandlerResult {
	ctx.store.webEvents.push(validated(webEventSchema, ctx.attrs(), ctx));
	return { status: 202, body: { data: { attributes: { status: 'queued' } } } };
}

/* ---------- promo codes upload ---------- */

/**
 * «Метод для заливки промокодов в группу по local_id», path parameter `local_id*`: the group is
 * addressed by its ID in the master system. The body is not documented (its example was lost), so
 * any JSON object of attributes is taken and kept; an array of strings under `codes` is also added
 * to the group, so that reads show it (guess, see docs/api-readings.md).
 */
function uploadCodes(ctx: RequestContext): HandlerResult {
	const group = ctx.store.promoCodeGroups.findByKey(ctx.params.local_id);
	if (!group) throw notFound();
	const input = ctx.attrs();
	ctx.store.promoCodeUploads.push({ group_local_id: ctx.params.local_id, ...input });
	const codes = Array.isArray(input.codes) ? input.codes.filter((c): c is string => typeof c === 'string' && c !== '') : [];
	const target = ctx.store.promoCodesOf(group.id);
	let added = 0;
	for (const c of codes) {
		if (target.codes.has(c)) continue;
		target.codes.add(c);
		added++;
	}
	return ack(200, { added, skipped: codes.length - added });
}

export const communicationRoutes: Route[] = [
	...MAILING_CHANNELS.map((ch) => route('GET', `/communication/${ch}/:id/customers`, mailingCustomers(ch))),
	route('POST', '/communication/push/state', pushState, { required: requiredFields(pushStateSchema) }),
	route('POST', '/communication/:type/events', messageEvents, { body: 'list', required: requiredFields(messageEventSchema) }),
	route('GET', '/black-list/:type', blackList),
	route('POST', '/web_event', webEvent, { required: requiredFields(webEventSchema) }),
	route('POST', '/promocode-group/:local_id/codes', uploadCodes),
];

