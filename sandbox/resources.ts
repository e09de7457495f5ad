/**
 * Table of the plain resources (list / get / upsert-or-create / full-replacement PATCH / delete)
 * and the one generic implementation they share.
 */
import type { Attributes, HandlerResult, ValidationErrors } from './http';
import { addError, ApiError, hasErrors, notFound, validationFailed } from './http';
import type { ListSource, ResourceItem } from './jsonapi';
import { arraySource, listDocument, noContent, singleDocument } from './jsonapi';
import type { RequestContext, Route } from './router';
import { route } from './router';
import type { Collection, StoredRecord, Store } from './store';
import type { Schema } from './validate';
import {
	dateFormat,
	dateTimeFormat,
	emailFormat,
	num,
	registerDateFormat,
	reqNum,
	reqStr,
	requiredFields,
	str,
	validateAttributes,
} from './validate';

export interface ParentSpec {
	/** Path parameter holding the parent's Platform id. */
	param: string;
	collection: (s: Store) => Collection;
	/** Attribute of the child holding the parent's Platform id. */
	field: string;
}

export interface ResourceSpec {
	type: string;
	/** Route of the collection (may contain the parent parameter). */
	base: string;
	collection: (s: Store) => Collection;
	/** What `:<idParam>` addresses: the master id attribute or the Platform id. */
	idParam: 'local_id' | 'id';
	parent?: ParentSpec;
	/** Sortable attributes known up front (written/custom ones are added by the collection). */
	attributes: readonly string[];
	list?: boolean;
	get?: boolean;
	/** POST: upsert by `local_id` or always create. */
	create?: 'upsert' | 'create';
	update?: boolean;
	remove?: boolean;
	createSchema?: Schema;
	updateSchema?: Schema;
	/** POST/PATCH accept only `application/json`. */
	jsonOnlyCreate?: boolean;
	jsonOnlyUpdate?: boolean;
	/** Attributes whose non-empty values must be unique in the collection (→ 422). */
	unique?: readonly string[];
	/** Attributes a record created by POST starts with besides those sent (its POST cannot set them). */
	initial?: Attributes;
	/** Platform-maintained attributes kept across writes (defaults for new records). */
	readOnly?: (existing: Attributes | undefined) => Attributes;
	/** Attributes as served (default: as stored). */
	present?: (rec: StoredRecord, store: Store) => Attributes;
	canDelete?: (rec: StoredRecord) => ApiError | undefined;
	onDelete?: (rec: StoredRecord, store: Store) => void;
}

/* ---------- schemas ---------- */

export const CUSTOMER_FIELDS = [
	'local_id',
	'full_name',
	'first_name',
	'middle_name',
	'last_name',
	'email',
	'phone',
	'sex',
	'birth_date',
	'country',
	'city',
	'zip',
	'register_date',
	'push_id',
] as const;

const NAME_FIELDS = ['full_name', 'first_name', 'middle_name', 'last_name'];

/**
 * POST and PATCH list the same fields, `local_id*` and `register_date*` in both, and allow any
 * parameters. The push ID is `push_id` in STRUCT (the POST lists none; there `push-id` is a custom
 * key); the PATCH lists it as `push-id`, see `customerUpdateSchema`.
 */
const customerSchema: Schema = {
	fields: {
		local_id: reqStr(),
		full_name: str(),
		first_name: str(),
		middle_name: str(),
		last_name: str(),
		email: str({ format: emailFormat }),
		phone: str(),
		sex: str({ enum: ['M', 'F', ''] }),
		birth_date: str({ format: dateFormat }),
		country: str(),
		city: str(),
		zip: str(),
		register_date: reqStr({ format: registerDateFormat }),
		push_id: str(),
	},
	custom: true,
	ignore: ['order_cnt', 'order_sum'],
	check(out, errors) {
		if (!NAME_FIELDS.some((f) => typeof out[f] === 'string' && out[f] !== '')) {
			addError(errors, 'full_name', 'one of full_name, first_name, middle_name, last_name is required');
		}
	},
};

/**
 * The PATCH lists `push-id` («as the reference writes it»): the same field as STRUCT's `push_id`,
 * stored and answered as `push_id`. Both spellings are taken; two different values → 422.
 */
const customerUpdateSchema: Schema = {
	...customerSchema,
	fields: { ...customerSchema.fields, 'push-id': str() },
	check(out, errors, ctx) {
		const hyphen = out['push-id'] as string;
		delete out['push-id'];
		if (hyphen !== '' && out.push_id !== '' && hyphen !== out.push_id) addError(errors, 'push-id', 'push-id and push_id are the same field: send one value');
		else if (hyphen !== '') out.push_id = hyphen;
		customerSchema.check?.(out, errors, ctx);
	},
};

const orderItemSchema: Schema = {
	fields: {
		local_id: reqStr(),
		product_id: reqStr(),
		price: reqNum(),
		cnt: reqNum(),
		sum: reqNum(),
		client_id: str(),
	},
	custom: true,
};

const orderSchema: Schema = {
	fields: {
		local_id: reqStr(),
		date: reqStr({ format: dateTimeFormat }),
		client_id: str(),
		number: str(),
		status_name: str(),
		items_cnt: num(),
		items_sum: num(),
		items: { kind: 'array', items: orderItemSchema },
	},
	custom: true,
};

/**
 * POST types `client_id` number, PATCH string; both describe it as the ID in the user's system, which
 * may be text: the POST takes a number or a string, the PATCH a string only.
 */
function eventSchema(method: 'POST' | 'PATCH'): Schema {
	return {
		fields: {
			name: method === 'POST' ? reqStr() : str(),
			date: reqStr({ format: dateTimeFormat }),
			client_id: method === 'POST' ? { kind: 'stringOrNumber' } : str(),
			context: { kind: 'object' },
		},
	};
}

const productSchema: Schema = { fields: { local_id: reqStr(), name: reqStr(), category_id: str() }, custom: true };
const categorySchema: Schema = { fields: { local_id: reqStr(), name: reqStr(), parent_id: str() }, custom: true };
const promoGroupSchema: Schema = {
	fields: { local_id: reqStr(), name: reqStr() },
	custom: true,
	ignore: ['codes_total', 'codes_free'],
};
/** POST lists `name*`, `code*` and nothing else: no custom keys, no `local_id`. */
const dictionaryCreateSchema: Schema = { fields: { name: reqStr(), code: reqStr() } };
/** PATCH lists `local_id*`, `name*` and allows any parameters (the code among them). */
const dictionaryUpdateSchema: Schema = {
	fields: { local_id: reqStr(), name: reqStr(), code: str() },
	custom: true,
	ignore: ['is_system'],
};
/** Item POST lists `name*`, `code*` and nothing else. */
const itemCreateSchema: Schema = { fields: { name: reqStr(), code: reqStr() } };
/** Item PATCH lists `name*` and allows any parameters (the code and values among them). */
const itemUpdateSchema: Schema = { fields: { name: reqStr(), code: str() }, custom: true, ignore: ['dictionary_id'] };

const MAILING_ATTRIBUTES = ['name', 'subject', 'status', 'date', 'sent', 'delivered', 'opened', 'clicked'];

export const RESOURCES: ResourceSpec[] = [
	{
		type: 'customer',
		base: '/customer',
		collection: (s) => s.customers,
		idParam: 'local_id',
		attributes: [...CUSTOMER_FIELDS, 'order_cnt', 'order_sum'],
		list: true,
		get: true,
		create: 'upsert',
		update: true,
		createSchema: customerSchema,
		updateSchema: customerUpdateSchema,
		readOnly: (e) => ({ order_cnt: e?.order_cnt ?? 0, order_sum: e?.order_sum ?? 0 }),
	},
	{
		type: 'order',
		base: '/order',
		collection: (s) => s.orders,
		idParam: 'local_id',
		attributes: Object.keys(orderSchema.fields),
		list: true,
		get: true,
		create: 'upsert',
		update: true,
		createSchema: orderSchema,
		updateSchema: orderSchema,
	},
	{
		type: 'event',
		base: '/event',
		collection: (s) => s.events,
		idParam: 'id',
		attributes: ['name', 'date', 'client_id', 'context'],
		list: true,
		get: true,
		create: 'create',
		update: true,
		createSchema: eventSchema('POST'),
		updateSchema: eventSchema('PATCH'),
		jsonOnlyCreate: true,
		jsonOnlyUpdate: true,
	},
	{
		type: 'product',
		base: '/product',
		collection: (s) => s.products,
		idParam: 'local_id',
		attributes: Object.keys(productSchema.fields),
		list: true,
		get: true,
		create: 'upsert',
		update: true,
		createSchema: productSchema,
		updateSchema: productSchema,
	},
	{
		type: 'category',
		base: '/category',
		collection: (s) => s.categories,
		idParam: 'local_id',
		attributes: Object.keys(categorySchema.fields),
		list: true,
		get: true,
		create: 'upsert',
		update: true,
		createSchema: categorySchema,
		updateSchema: categorySchema,
	},
	...(['email', 'sms', 'push'] as const).map(
		(channel): ResourceSpec => ({
			type: `${channel}-mailing`,
			base: `/communication/${channel}`,
			collection: (s) => s.mailings(channel),
			idParam: 'id',
			attributes: MAILING_ATTRIBUTES,
			list: true,
			get: true,
		}),
	),
	{
		type: 'poll',
		base: '/communication/poll',
		collection: (s) => s.polls,
		idParam: 'id',
		attributes: ['name', 'status', 'questions'],
		list: true,
		get: true,
	},
	{
		type: 'promocode-group',
		base: '/promocode-group',
		collection: (s) => s.promoCodeGroups,
		idParam: 'id',
		attributes: ['local_id', 'name', 'codes_total', 'codes_free'],
		list: true,
		get: true,
		create: 'upsert',
		update: true,
		remove: true,
		createSchema: promoGroupSchema,
		updateSchema: promoGroupSchema,
		present: (rec, store) => {
			const p = store.promoCodesOf(rec.id);
			return { ...rec.attributes, codes_total: p.codes.size, codes_free: p.codes.size - p.used };
		},
		onDelete: (rec, store) => store.promoCodes.delete(rec.id),
	},
	{
		type: 'dictionary',
		base: '/dictionary',
		collection: (s) => s.dictionaries,
		idParam: 'id',
		attributes: ['name', 'code', 'local_id', 'is_system'],
		list: true,
		get: true,
		create: 'create',
		update: true,
		remove: true,
		createSchema: dictionaryCreateSchema,
		updateSchema: dictionaryUpdateSchema,
		jsonOnlyCreate: true,
		// The POST has no local_id: a new dictionary has none until an update gives it one.
		initial: { local_id: '' },
		unique: ['code'],
		readOnly: (e) => ({ is_system: e?.is_system ?? 'N' }),
		canDelete: (rec) =>
			rec.attributes.is_system === 'Y' ? new ApiError(403, 'Forbidden', { id: ['system dictionaries cannot be deleted'] }) : undefined,
	},
	{
		type: 'dictionary-item',
		base: '/dictionary/:pid/item',
		collection: (s) => s.dictionaryItems,
		idParam: 'id',
		parent: { param: 'pid', collection: (s) => s.dictionaries, field: 'dictionary_id' },
		attributes: ['dictionary_id', 'name', 'code'],
		list: true,
		get: true,
		create: 'create',
		update: true,
		remove: true,
		createSchema: itemCreateSchema,
		updateSchema: itemUpdateSchema,
		jsonOnlyCreate: true,
	},
];

/* ---------- generic implementation ---------- */

function collectionPath(spec: ResourceSpec, parentId: number | undefined): string {
	return spec.parent ? spec.base.replace(`:${spec.parent.param}`, String(parentId)) : spec.base;
}

export function resourceItem(spec: ResourceSpec, store: Store, rec: StoredRecord, parentId?: number): ResourceItem {
	const pid = parentId ?? (spec.parent ? Number(rec.attributes[spec.parent.field]) : undefined);
	const key = spec.idParam === 'local_id' ? String(rec.attributes.local_id) : String(rec.id);
	return {
		type: spec.type,
		id: String(rec.id),
		attributes: spec.present ? spec.present(rec, store) : rec.attributes,
		self: `${collectionPath(spec, pid)}/${encodeURIComponent(key)}`,
	};
}

function resolveParent(spec: ResourceSpec, ctx: RequestContext): number | undefined {
	if (!spec.parent) return undefined;
	const raw = ctx.params[spec.parent.param];
	const parent = /^\d+$/.test(raw) ? spec.parent.collection(ctx.store).getById(Number(raw)) : undefined;
	if (!parent) throw notFound();
	return parent.id;
}

function findRecord(spec: ResourceSpec, ctx: RequestContext, parentId: number | undefined): StoredRecord {
	const coll = spec.collection(ctx.store);
	const raw = ctx.params[spec.idParam];
	const rec =
		spec.idParam === 'local_id' ? coll.findByKey(raw) : /^\d+$/.test(raw) ? coll.getById(Number(raw)) : undefined;
	if (!rec) throw notFound();
	if (spec.parent && rec.attributes[spec.parent.field] !== parentId) throw notFound();
	return rec;
}

function collectionSource(spec: ResourceSpec, store: Store): ListSource {
	const coll = spec.collection(store);
	return {
		total: () => coll.size,
		at: (i) => resourceItem(spec, store, coll.getById(coll.idAt(i) as number) as StoredRecord),
		attributeNames: () => new Set([...spec.attributes, ...coll.attributeNames]),
		cached: (key, build) => coll.view(`sort:${key}`, build),
	};
}

function listHandler(spec: ResourceSpec) {
	return (ctx: RequestContext): HandlerResult => {
		const pid = resolveParent(spec, ctx);
		let source: ListSource;
		if (spec.parent) {
			const coll = spec.collection(ctx.store);
			const items: ResourceItem[] = [];
			for (const rec of coll) if (rec.attributes[spec.parent.field] === pid) items.push(resourceItem(spec, ctx.store, rec, pid));
			source = arraySource(items, new Set([...spec.attributes, ...coll.attributeNames]));
		} else {
			source = collectionSource(spec, ctx.store);
		}
		return listDocument(source, ctx.query, ctx.options, ctx.baseUrl, collectionPath(spec, pid));
	};
}

function getHandler(spec: ResourceSpec) {
	return (ctx: RequestContext): HandlerResult => {
		const pid = resolveParent(spec, ctx);
		return singleDocument(ctx.baseUrl, resourceItem(spec, ctx.store, findRecord(spec, ctx, pid), pid));
	};
}

function checkUnique(spec: ResourceSpec, coll: Collection, attrs: Attributes, selfId: number | undefined, errors: ValidationErrors): void {
	for (const field of spec.unique ?? []) {
		const v = attrs[field];
		if (v === '' || v === undefined) continue;
		for (const rec of coll) {
			if (rec.id !== selfId && rec.attributes[field] === v) {
				addError(errors, field, 'has already been taken');
				break;
			}
		}
	}
}

function finalise(spec: ResourceSpec, attrs: Attributes, existing: Attributes | undefined, parentId: number | undefined): Attributes {
	const head = spec.parent ? { [spec.parent.field]: parentId } : {};
	return { ...head, ...attrs, ...(spec.readOnly ? spec.readOnly(existing) : {}) };
}

function createHandler(spec: ResourceSpec) {
	return (ctx: RequestContext): HandlerResult => {
		const pid = resolveParent(spec, ctx);
		const input = ctx.attrs();
		const coll = spec.collection(ctx.store);
		let existing: StoredRecord | undefined;
		if (spec.create === 'upsert' && typeof input.local_id === 'string' && input.local_id !== '') {
			existing = coll.findByKey(input.local_id);
		}
		const errors: ValidationErrors = {};
		const attrs = validateAttributes(spec.createSchema as Schema, input, ctx.options, errors);
		checkUnique(spec, coll, attrs, existing?.id, errors);
		if (hasErrors(errors)) throw validationFailed(errors);
		const full = finalise(spec, existing ? attrs : { ...spec.initial, ...attrs }, existing?.attributes, pid);
		const rec = existing ? coll.replace(existing.id, full) : coll.insert(full);
		return singleDocument(ctx.baseUrl, resourceItem(spec, ctx.store, rec, pid), existing ? 200 : 201);
	};
}

function updateHandler(spec: ResourceSpec) {
	return (ctx: RequestContext): HandlerResult => {
		const pid = resolveParent(spec, ctx);
		const current = findRecord(spec, ctx, pid);
		const input = ctx.attrs();
		const coll = spec.collection(ctx.store);
		const errors: ValidationErrors = {};
		const attrs = validateAttributes(spec.updateSchema as Schema, input, ctx.options, errors);
		if (spec.idParam === 'local_id') {
			// The master id is the identity: when sent it must equal the path.
			if (input.local_id !== undefined && input.local_id !== current.attributes.local_id) {
				addError(errors, 'local_id', 'must equal the local_id in the path');
			}
			attrs.local_id = current.attributes.local_id;
		} else if (coll.keyField && typeof attrs.local_id === 'string' && attrs.local_id !== '') {
			const other = coll.findByKey(attrs.local_id);
			if (other && other.id !== current.id) addError(errors, 'local_id', 'has already been taken');
		}
		checkUnique(spec, coll, attrs, current.id, errors);
		if (hasErrors(errors)) throw validationFailed(errors);
		const rec = coll.replace(current.id, finalise(spec, attrs, current.attributes, pid));
		return singleDocument(ctx.baseUrl, resourceItem(spec, ctx.store, rec, pid));
	};
}

function deleteHandler(spec: ResourceSpec) {
	return (ctx: RequestContext): HandlerResult => {
		const pid = resolveParent(spec, ctx);
		const rec = findRecord(spec, ctx, pid);
		const refusal = spec.canDelete?.(rec);
		if (refusal) throw refusal;
		spec.collection(ctx.store).delete(rec.id);
		spec.onDelete?.(rec, ctx.store);
		return noContent();
	};
}

export function resourceRoutes(spec: ResourceSpec): Route[] {
	const one = `${spec.base}/:${spec.idParam}`;
	const routes: Route[] = [];
	if (spec.list) routes.push(route('GET', spec.base, listHandler(spec)));
	if (spec.get) routes.push(route('GET', one, getHandler(spec)));
	if (spec.create) {
		routes.push(route('POST', spec.base, createHandler(spec), { jsonOnly: spec.jsonOnlyCreate, required: requiredFields(spec.createSchema) }));
	}
	if (spec.update) {
		routes.push(route('PATCH', one, updateHandler(spec), { jsonOnly: spec.jsonOnlyUpdate, required: requiredFields(spec.updateSchema) }));
	}
	if (spec.remove) routes.push(route('DELETE', one, deleteHandler(spec)));
	return routes;
}

export function specOf(type: string): ResourceSpec {
	const s = RESOURCES.find((r) => r.type === type);
	if (!s) throw new Error(`no resource ${type}`);
	return s;
}
