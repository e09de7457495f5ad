import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';

import { LoymaxSc } from '../nodes/LoymaxSc/LoymaxSc.node';
import { customerFields } from '../nodes/LoymaxSc/resources/customer/fields';
import { orderFields } from '../nodes/LoymaxSc/resources/order/fields';
import { convertField, readCollection, type FieldContext, type FieldSpec } from '../nodes/LoymaxSc/shared/fields';
import { apiRequests, describeOperation, expectInputError } from './harness/operation';

const node = { name: 'Loymax SC', type: 'n8n-nodes-loymaxsc.loymaxSc', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;
const context: FieldContext = {
	getNodeParameter: () => undefined,
	getNode: () => node,
	getItemIndex: () => 0,
	getTimezone: () => 'UTC',
};

/** Every parameter of the node, nested ones (collections, fixed collections) included, with its path. */
function allProperties(properties: INodeProperties[], path = ''): Array<{ path: string; property: INodeProperties }> {
	return properties.flatMap((property) => {
		const here = `${path}${property.displayName}`;
		const nested = (property.options ?? []).flatMap((option) => {
			if ('values' in option) return allProperties(option.values, `${here} › ${option.displayName} › `);
			if ('type' in option) return allProperties([option as INodeProperties], `${here} › `);
			return [];
		});
		return [{ path: here, property }, ...nested];
	});
}

describe('number fields', () => {
	const numbers = allProperties(new LoymaxSc().description.properties).filter(({ property }) => property.type === 'number');

	it('start empty, never at a silent 0 (only Limit and the like have a real default)', () => {
		const withDefault = numbers.filter(({ property }) => property.default !== null).map(({ path, property }) => `${path} = ${String(property.default)}`);
		expect(new Set(withDefault)).toEqual(
			new Set([
				'Limit = 50',
				// n8n's own Request Options, with n8n's defaults (they apply only once the option is added).
				'Request Options › Batching › Batching › Batch Interval (Ms) = 1000',
				'Request Options › Batching › Batching › Items per Batch = 50',
				'Request Options › Timeout = 10000',
			]),
		);
		expect(numbers.length).toBeGreaterThan(5);
	});

	it('make Price, Quantity and Sum of an order line required and empty', () => {
		const line = numbers.filter(({ path }) => /^Lines › Line › (Price|Quantity|Sum)$/.test(path));
		expect(line.length).toBeGreaterThanOrEqual(6); // on Create or Update and on Update
		for (const { property } of line) expect(property).toMatchObject({ required: true, default: null });
	});
});

describeOperation('order', 'upsert', (fx) => {
	it('rejects a line whose Price was left empty instead of sending 0', async () => {
		const result = await fx().run({
			parameters: {
				resource: 'order',
				operation: 'upsert',
				localId: 'O-77',
				date: '2024-05-01 10:00:00',
				lines: { line: [{ localId: 'L1', productId: 'P-00001', cnt: 1, sum: 10 }] },
			},
		});
		expectInputError(fx(), result, 'Lines 1: Price', 'a value is required');
		expect(apiRequests(fx())).toEqual([]);
	});
});

describe('readCollection: fields added to Additional Fields / Update Fields', () => {
	const fields: FieldSpec[] = [
		...customerFields,
		...orderFields,
		{ name: 'tags', label: 'Tags', type: 'list' },
		{ name: 'extra', label: 'Extra', type: 'json' },
		{ name: 'vip', label: 'VIP', type: 'yesNo' },
		{ name: 'dictionary', label: 'Dictionary', type: 'locator', searchMethod: 'x' },
	];
	const added = { city: '', birthDate: '', sex: '', itemsSum: null, tags: '', extra: '', vip: '', dictionary: { mode: 'id', value: '' }, email: 'a@b.c' };

	it('without keepEmpty: an empty field is not set (left out)', () => {
		expect(readCollection(context, fields, added)).toEqual({ email: 'a@b.c', sex: '', vip: '' });
	});

	it('with keepEmpty: every added field is present, empty ones as the API empties them; fields not added are absent', () => {
		const attributes = readCollection(context, fields, added, { keepEmpty: true });
		expect(attributes).toEqual({
			city: '',
			birth_date: '',
			sex: '',
			items_sum: undefined,
			tags: [],
			extra: undefined,
			vip: '',
			dictionary: '',
			email: 'a@b.c',
		});
		expect(Object.keys(attributes)).toContain('items_sum');
		expect(Object.keys(attributes)).not.toContain('first_name');
	});

	it('with keepEmpty, merged over the current record: clears what was added, keeps what was not', () => {
		const current: IDataObject = { city: 'Kazan', first_name: 'Ivan', items_sum: 120, birth_date: '1990-05-15', email: 'old@b.c' };
		const attributes = readCollection(context, fields, { city: '', itemsSum: null, birthDate: '' }, { keepEmpty: true });
		const body = JSON.parse(JSON.stringify({ ...current, ...attributes }));
		// items_sum is left out of the body: the API empties what is not sent (it has no empty number).
		expect(body).toEqual({ city: '', first_name: 'Ivan', birth_date: '', email: 'old@b.c' });
	});

	it('still checks the values and converts them', () => {
		expect(readCollection(context, fields, { itemsSum: '12,5', birthDate: '1990-05-15T23:00:00Z' }, { keepEmpty: true })).toEqual({
			items_sum: 12.5,
			birth_date: '1990-05-15',
		});
		expect(() => readCollection(context, fields, { itemsSum: 'lots' }, { keepEmpty: true })).toThrow(
			'Invalid value for "Items Sum" in item 0: "lots" is not a number',
		);
	});

	it('convertField with keepEmpty still refuses an empty required field', () => {
		expect(() => convertField(context, { name: 'x', label: 'X', type: 'string', required: true }, '', { keepEmpty: true })).toThrow(
			'Invalid value for "X" in item 0: a value is required',
		);
	});
});
