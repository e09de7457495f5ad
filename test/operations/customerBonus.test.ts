import type { IDataObject } from 'n8n-workflow';

import { LoymaxSc } from '../../nodes/LoymaxSc/LoymaxSc.node';
import { sentAttributes, type Fixture } from '../harness/fixture';
import { apiRequests, describeOperation, expectInputError } from '../harness/operation';

/** Seeded bonus of C-00003 (Platform id 3). */
const SEEDED = { active: 211, pending_activation: 39, pending_deactivation: 21, next_deactivation_date: '2030-02-11', next_deactivation_amount: 21 };
const bonus = (fx: Fixture, platformId = 3) => fx.sandbox.store.bonusOf(platformId);

describeOperation('customerBonus', 'get', (fx) => {
	it('reads the bonus balance of a customer', async () => {
		expect(bonus(fx())).toEqual(SEEDED);
		const result = await fx().ok({ resource: 'customerBonus', operation: 'get', customerId: 'C-00003' });
		expect(apiRequests(fx()).map((entry) => [entry.method, entry.path, entry.query, entry.body])).toEqual([
			['GET', '/customer/C-00003/bonus', {}, undefined],
		]);
		expect(result.items).toEqual([{ id: '3', type: 'bonus', ...SEEDED }]);
	});

	it('returns the raw resource without Simplify, one per input item', async () => {
		const result = await fx().ok({ resource: 'customerBonus', operation: 'get', customerId: '={{ $json.id }}', simplify: false }, [
			{ id: 'C-00003' },
			{ id: 'C-00004' },
		]);
		expect(apiRequests(fx()).map((entry) => entry.path)).toEqual(['/customer/C-00003/bonus', '/customer/C-00004/bonus']);
		expect(result.items).toEqual([
			{ type: 'bonus', id: '3', attributes: SEEDED },
			{ type: 'bonus', id: '4', attributes: bonus(fx(), 4) },
		]);
		expect(result.raw.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});

describeOperation('customerBonus', 'update', (fx) => {
	const update = (extra: IDataObject = {}) => ({ resource: 'customerBonus', operation: 'update', customerId: 'C-00003', ...extra });

	it('keeps fields not set by default: reads the balance, then sends it merged with the changes', async () => {
		const result = await fx().ok(update({ updateFields: { active: 500, nextDeactivationDate: '2031-01-02T00:00:00' } }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
			['GET', '/customer/C-00003/bonus', 200],
			['PATCH', '/customer/C-00003/bonus', 200],
		]);
		const expected = { ...SEEDED, active: 500, next_deactivation_date: '2031-01-02' };
		expect(sentAttributes(requests[1])).toEqual(expected);
		expect(bonus(fx())).toEqual(expected);
		expect(result.items).toEqual([{ id: '3', type: 'bonus', ...expected }]);
	});

	it('with Keep Fields Not Set off, sends only the given fields and the API empties the rest', async () => {
		const result = await fx().ok(update({ updateFields: { active: 10, pendingActivation: 2.5 }, keepUnsetFields: false, simplify: false }));
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, sentAttributes(entry)])).toEqual([['PATCH', { active: 10, pending_activation: 2.5 }]]);
		const emptied = { active: 10, pending_activation: 2.5, pending_deactivation: 0, next_deactivation_date: '', next_deactivation_amount: 0 };
		expect(bonus(fx())).toEqual(emptied);
		expect(result.items).toEqual([{ type: 'bonus', id: '3', attributes: emptied }]);
	});

	it('sends custom attributes: the docs name no bonus fields, so the API takes any', async () => {
		const result = await fx().ok(update({ updateFields: { active: 1 }, customAttributes: { attribute: [{ name: 'vip_bonus', value: '5' }] } }));
		expect(sentAttributes(fx().requests({ method: 'PATCH' })[0])).toEqual({ ...SEEDED, active: 1, vip_bonus: '5' });
		expect(result.items).toEqual([{ id: '3', type: 'bonus', ...SEEDED, active: 1, vip_bonus: '5' }]);
	});

	it('says in the editor that the bonus field names are the node\'s own, beside Custom Attributes', () => {
		const shown = new LoymaxSc().description.properties.filter(
			(property) => property.displayOptions?.show?.resource?.[0] === 'customerBonus' && property.displayOptions?.show?.operation?.[0] === 'update',
		);
		const notice = shown.find((property) => property.type === 'notice');
		expect(notice?.displayName).toMatch(/^Loymax SC does not document the names of the bonus fields\..*Custom Attributes/);
		expect(shown.map((property) => property.name)).toEqual(expect.arrayContaining(['bonusFieldsNotice', 'updateFields', 'customAttributes']));
	});

	it('rejects a date that is not a date before reading the balance', async () => {
		const result = await fx().run({ parameters: update({ updateFields: { nextDeactivationDate: 'next week' } }) });
		expect(bonus(fx())).toEqual(SEEDED);
		expectInputError(fx(), result, 'Next Deactivation Date', /"next week" is not a date/);
	});

	it('rejects an amount that is not a number before any request', async () => {
		const result = await fx().run({ parameters: update({ updateFields: { active: '={{ "a lot" }}' } }) });
		expectInputError(fx(), result, 'Active', /"a lot" is not a number/);
	});

	it('rejects a custom attribute without a name before any request', async () => {
		const result = await fx().run({ parameters: update({ customAttributes: { attribute: [{ name: '', value: '1' }] } }) });
		expectInputError(fx(), result, 'Custom Attributes', /an attribute has no name/);
	});
});
