import type { IDataObject } from 'n8n-workflow';

import { sentAttributes } from '../harness/fixture';
import { apiRequests, describeOperation, expectInputError, withFixture } from '../harness/operation';

describeOperation('customerContact', 'add', (fx) => {
	const add = (extra: IDataObject = {}) => ({ resource: 'customerContact', operation: 'add', customerId: 'C-00004', ...extra });

	it('keeps the body wrapped under a Flat credential: Loymax\'s OpenAPI file shows this one wrapped', async () => {
		await withFixture({}, { bodyFormat: 'flat' }, async (flat) => {
			await flat.ok(add({ contacts: { contact: [{ type: 'push', value: 'v' }] } }));
			expect(flat.requests({ method: 'POST', path: '/customer/C-00004/contact' }).map((entry) => [entry.body, entry.status])).toEqual([
				[{ data: { attributes: { contacts: [{ type: 'push', value: 'v' }] } } }, 204],
			]);
		});
	});

	it('adds the contacts entered as fields, leaving empty optional fields out', async () => {
		const result = await fx().ok(
			add({
				contacts: {
					contact: [
						{ type: 'push', value: 'fcm-token-1', subtype: 'fcm', device: 'android' },
						{ type: 'email', value: 'second@example.com' },
					],
				},
			}),
		);
		const requests = apiRequests(fx());
		expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['POST', '/customer/C-00004/contact', 204]]);
		expect(sentAttributes(requests[0])).toEqual({
			contacts: [
				{ type: 'push', value: 'fcm-token-1', subtype: 'fcm', device: 'android' },
				{ type: 'email', value: 'second@example.com' },
			],
		});
		// 204 without a body: the item acknowledges the customer it was about.
		expect(result.items).toEqual([{ success: true, customer_id: 'C-00004' }]);
		expect(fx().sandbox.store.contactsOf(4)).toEqual([
			{ type: 'push', subtype: 'fcm', value: 'fcm-token-1', device: 'android' },
			{ type: 'email', subtype: '', value: 'second@example.com', device: '' },
		]);
	});

	it('adds contacts given as JSON, for each input item', async () => {
		const items = [
			{ id: 'C-00001', contacts: [{ type: 'push', value: 'apns-1', subtype: 'apns', device: 'ios' }] },
			{ id: 'C-00002', contacts: [{ type: 'push', value: 'hms-2', subtype: 'hms' }, { type: 'phone', value: '79990000002' }] },
		];
		const result = await fx().ok(add({ customerId: '={{ $json.id }}', contactsInput: 'json', contactsJson: '={{ $json.contacts }}' }), items);
		expect(apiRequests(fx()).map((entry) => [entry.path, sentAttributes(entry)])).toEqual(
			items.map(({ id, contacts }) => [`/customer/${id}/contact`, { contacts }]),
		);
		expect(result.items).toEqual([
			{ success: true, customer_id: 'C-00001' },
			{ success: true, customer_id: 'C-00002' },
		]);
		expect(result.raw.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(fx().sandbox.store.contactsOf(2).map((contact) => contact.value)).toEqual(['hms-2', '79990000002']);
	});

	it('surfaces the API\'s validation error for a JSON contact without a value', async () => {
		const result = await fx().run({ parameters: add({ contactsInput: 'json', contactsJson: '[{"type":"push"}]' }) });
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.httpCode).toBe('400');
		expect(result.error?.message).toContain('Invalid Attribute');
		expect(result.error?.description).toContain('contacts.0.value: The contacts.0.value field is required.');
		expect(fx().sandbox.store.contactsOf(4)).toEqual([]);
	});

	it('rejects malformed JSON before any request', async () => {
		const result = await fx().run({ parameters: add({ contactsInput: 'json', contactsJson: '[{type: push}]' }) });
		expectInputError(fx(), result, 'Contacts (JSON)', /not valid JSON/);
	});

	it('rejects a contact without a value before any request', async () => {
		const result = await fx().run({ parameters: add({ contacts: { contact: [{ type: 'push', value: '={{ $json.token }}' }] } }) });
		expectInputError(fx(), result, 'Contacts 1: Value', /a value is required/);
	});

	it('rejects an Add without contacts before any request', async () => {
		const result = await fx().run({ parameters: add() });
		expectInputError(fx(), result, 'Contacts', /add at least one contact/);
	});
});
