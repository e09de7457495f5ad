import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { LoymaxSc } from '../nodes/LoymaxSc/LoymaxSc.node';
import { resources } from '../nodes/LoymaxSc/resources';
import { createFixture, type Fixture } from './harness/fixture';
import { rl } from './harness/operation';
import { fromAi, modelTool, storedParameters, toolVariant, type ModelTool } from './harness/tool';

/**
 * The node as an AI Agent tool: what n8n shows, what the model is offered and what it receives.
 * `test/fixtures/tool-descriptions.json` is the tool list n8n sends to the model for every operation
 * that makes sense as a tool; `UPDATE_TOOL_FIXTURE=1 npx jest test/tool.test.ts` rewrites it.
 */

const FIXTURE = join(__dirname, 'fixtures', 'tool-descriptions.json');

/**
 * Operations an agent can use in a conversation, with the fields set to "Let the model define this"
 * (the editor's button: key from the label, no description). Required fields are always the
 * model's; `extra` adds optional ones an agent needs. Left out: option-only inputs the editor
 * cannot hand to a model (subscriptions, channels), app telemetry (devices, contacts, web, message
 * and push-state events), the bonus balance (an update replaces it), and the sync and
 * administration writes (orders, catalog, promo codes, dictionaries, event updates).
 */
const TOOL_OPERATIONS: Record<string, { extra?: Record<string, string> } | true> = {
	'customer.get': true,
	'customer.getAll': true,
	'customer.getMailings': true,
	'customer.upsert': { extra: { 'additionalFields.firstName': 'First Name', 'additionalFields.lastName': 'Last Name', 'additionalFields.email': 'Email', 'additionalFields.phone': 'Phone' } },
	'customer.update': { extra: { 'updateFields.email': 'Email', 'updateFields.phone': 'Phone' } },
	'customerSubscription.get': true,
	'customerChannel.get': true,
	'customerDevice.getAll': true,
	'customerBonus.get': true,
	'customerMarker.add': true,
	'customerMarker.getAll': true,
	'customerMarker.remove': true,
	'order.get': true,
	'order.getAll': true,
	'event.create': { extra: { 'additionalFields.clientId': 'Customer Local ID' } },
	'event.get': true,
	'event.getAll': true,
	'product.get': true,
	'product.getAll': true,
	'productCategory.get': true,
	'productCategory.getAll': true,
	'emailMailing.get': true,
	'emailMailing.getAll': true,
	'emailMailing.getRecipients': true,
	'smsMailing.get': true,
	'smsMailing.getAll': true,
	'smsMailing.getRecipients': true,
	'pushMailing.get': true,
	'pushMailing.getAll': true,
	'pushMailing.getRecipients': true,
	'poll.get': true,
	'poll.getAll': true,
	'blacklist.getAll': true,
	'promoCodeGroup.get': true,
	'promoCodeGroup.getAll': true,
	'dictionary.get': true,
	'dictionary.getAll': true,
	'dictionaryItem.get': true,
	'dictionaryItem.getAll': true,
};

const FROM_AI_TYPES: Record<string, 'string' | 'number' | 'boolean' | 'json'> = { number: 'number', json: 'json' };

/** The parameters of a tool node whose required fields (and `extra`) the model defines. */
function toolParameters(key: string): INodeParameters {
	const [resourceValue, operationValue] = key.split('.');
	const spec = resources.find((resource) => resource.value === resourceValue)!.operations.find((operation) => operation.value === operationValue)!;
	const parameters: IDataObject = { resource: resourceValue, operation: operationValue };
	for (const field of [...(spec.ids ?? []), ...(spec.headers ?? []), ...(spec.fields ?? [])]) {
		// Options are not offered to the model (the editor has no button for them): the user picks one.
		if (field.type === 'options' || field.type === 'yesNo') continue;
		const value = fromAi(field.label, FROM_AI_TYPES[field.type] ?? 'string');
		parameters[field.name] = field.type === 'locator' ? rl(value) : value;
	}
	const options = TOOL_OPERATIONS[key];
	for (const [path, label] of Object.entries(options === true ? {} : (options.extra ?? {}))) {
		const [collection, name] = path.split('.');
		parameters[collection] = { ...((parameters[collection] as IDataObject) ?? {}), [name]: fromAi(label) };
	}
	return parameters as INodeParameters;
}

const toolList = (): Record<string, ModelTool> =>
	Object.fromEntries(Object.keys(TOOL_OPERATIONS).map((key) => [key, modelTool(toolParameters(key))]));

describe('the tool list n8n sends to the model', () => {
	const tools = toolList();

	it('is the one in test/fixtures/tool-descriptions.json', () => {
		if (process.env.UPDATE_TOOL_FIXTURE === '1' || !existsSync(FIXTURE)) writeFileSync(FIXTURE, `${JSON.stringify(tools, null, '\t')}\n`);
		expect(tools).toEqual(JSON.parse(readFileSync(FIXTURE, 'utf8')));
	});

	it('names every tool within OpenAI\'s 64 characters, with room for the number n8n adds to a second copy', () => {
		for (const [key, tool] of Object.entries(tools)) {
			expect({ key, name: tool.function.name, fits: /^[a-zA-Z0-9_-]{1,62}$/.test(tool.function.name) }).toEqual({ key, name: tool.function.name, fits: true });
		}
	});

	it('says whose ID every ID argument is: "Local_ID" is your system\'s (local_id), any other ID is Loymax SC\'s (id)', () => {
		// Read as a model reads it: the argument names are all it is told about its inputs.
		const idArguments = new Set(Object.values(tools).flatMap((tool) => Object.keys(tool.function.parameters.properties as IDataObject)).filter((name) => /ID$/.test(name)));
		const loymaxIds = [...idArguments].filter((name) => !name.endsWith('_Local_ID')).sort();
		expect(loymaxIds).toEqual(['Event_ID', 'Platform_Customer_ID'].filter((name) => idArguments.has(name)));
		expect([...idArguments].filter((name) => name.endsWith('_Local_ID')).sort()).toEqual(['Category_Local_ID', 'Customer_Local_ID', 'Order_Local_ID', 'Product_Local_ID']);
	});

	it('tells the model that an event needs a configured type and that an upsert replaces the record', () => {
		expect(tools['event.create'].function.description).toBe('Create an event of a configured type in Loymax SC');
		expect(tools['customer.upsert'].function.description).toBe('Create or replace a customer in Loymax SC');
		expect(Object.keys(tools['customerMarker.add'].function.parameters.properties as IDataObject)).toEqual(['Customer_Local_ID', 'Marker_Name']);
	});
});

describe('Output, as a tool', () => {
	const tool = toolVariant();
	const plain = new LoymaxSc();

	it('replaces Simplify in the tool variant only: Output (Simplified by default), Fields for Selected Fields', () => {
		const saved = { resource: 'customer', operation: 'get', customerId: 'C-1', simplify: false, output: 'selected', outputFields: ['email'] };
		expect(storedParameters(plain, saved)).toMatchObject({ simplify: false });
		expect(storedParameters(plain, saved)).not.toHaveProperty('output');
		expect(storedParameters(plain, saved)).not.toHaveProperty('outputFields');
		expect(storedParameters(tool, saved)).toMatchObject({ output: 'selected', outputFields: ['email'] });
		expect(storedParameters(tool, saved)).not.toHaveProperty('simplify');
		const fresh = storedParameters(tool, { resource: 'customer', operation: 'getAll' });
		expect(fresh).toMatchObject({ output: 'simplified', returnAll: false, limit: 50 });
		expect(fresh).not.toHaveProperty('outputFields');
	});

	it('offers Output on every read, list and write that returns a record, and Fields of that record', () => {
		const offered = (resource: string, operation: string) =>
			tool.description.properties.find(
				(property) => property.name === 'outputFields' && property.displayOptions?.show?.resource?.includes(resource) && property.displayOptions?.show?.operation?.includes(operation),
			);
		for (const resource of resources) {
			for (const spec of resource.operations) {
				const fields = offered(resource.value, spec.value);
				const expected = !spec.execute && (spec.kind === 'read' || spec.kind === 'list' || spec.returnsRecord === true);
				const where = `${resource.value}.${spec.value}`;
				expect({ where, offered: fields !== undefined, hasOptions: (fields?.options?.length ?? 0) > 0 }).toEqual({ where, offered: expected, hasOptions: expected });
			}
		}
		expect((offered('customer', 'get')?.options ?? []).map((option) => (option as { value: string }).value)).toEqual(expect.arrayContaining(['email', 'phone', 'order_sum']));
		expect((offered('customer', 'getMailings')?.options ?? []).map((option) => (option as { value: string }).value)).toEqual(['channel', 'date', 'name']);
	});

	describe('what the model receives', () => {
		let fx: Fixture;
		beforeAll(async () => {
			fx = await createFixture({ seed: { customers: 30, orders: 30 } });
		});
		afterAll(async () => fx.close());
		const asTool = async (parameters: IDataObject) => {
			const result = await fx.run({ parameters: parameters as INodeParameters, nodeType: tool });
			if (result.error) throw result.error;
			return result.items;
		};
		const get = { resource: 'customer', operation: 'get', customerId: 'C-00001' };
		const stored = () => fx.sandbox.store.customers.get('C-00001')!;

		it('Simplified (the default): ID, type and attributes side by side, without the empty ones', async () => {
			const [record] = await asTool(get);
			const { attributes } = stored();
			const empty = Object.keys(attributes).filter((name) => attributes[name] === '');
			expect(empty).toEqual(expect.arrayContaining(['middle_name', 'zip']));
			expect(record).toEqual({ id: '1', type: 'customer', ...Object.fromEntries(Object.entries(attributes).filter(([name]) => !empty.includes(name))) });
		});

		it('Raw: the JSON:API record', async () => {
			expect(await asTool({ ...get, output: 'raw' })).toEqual([{ type: 'customer', id: '1', attributes: stored().attributes }]);
		});

		it('Selected Fields: the chosen attributes, with the ID and Local ID always', async () => {
			expect(await asTool({ ...get, output: 'selected', outputFields: ['email', 'order_sum'] })).toEqual([
				{ id: '1', local_id: 'C-00001', email: 'customer1@example.com', order_sum: stored().attributes.order_sum },
			]);
			// An expression may list them as text (custom attributes have no option of their own).
			expect(await asTool({ ...get, output: 'selected', outputFields: '={{ "phone, no_such_field" }}' })).toEqual([
				{ id: '1', local_id: 'C-00001', phone: stored().attributes.phone },
			]);
		});

		it('applies to every record of a Get Many and to a write that returns its record', async () => {
			const many = await asTool({ resource: 'customer', operation: 'getAll', limit: 3, output: 'selected', outputFields: ['city'] });
			expect(many.map((record) => Object.keys(record))).toEqual([['id', 'local_id', 'city'], ['id', 'local_id', 'city'], ['id', 'local_id', 'city']]);
			const marker = await asTool({ resource: 'customerMarker', operation: 'add', customerId: 'C-00003', markerName: 'vip', output: 'selected', outputFields: ['name'] });
			expect(marker).toEqual([{ id: expect.stringMatching(/^\d+$/), name: 'vip' }]);
		});

		it('keeps a stored value that the model gives as empty in an update (it cannot leave an argument out)', async () => {
			const before = stored().attributes;
			const update = { resource: 'customer', operation: 'update', customerId: 'C-00001', updateFields: { email: 'new@example.com', phone: '' } };
			expect(await asTool({ ...update, output: 'selected', outputFields: ['email', 'phone'] })).toEqual([
				{ id: '1', local_id: 'C-00001', email: 'new@example.com', phone: before.phone },
			]);
			// As a plain node, a field added and left empty clears the value (Keep Fields Not Set).
			await fx.ok(update as INodeParameters);
			expect(stored().attributes).toMatchObject({ email: 'new@example.com', phone: '' });
		});

		it('leaves the plain node as it was: Simplify keeps every attribute, Simplify off gives the raw record, a stray Output is ignored', async () => {
			const plainRun = async (parameters: IDataObject) => (await fx.ok(parameters as INodeParameters)).items;
			expect(await plainRun({ ...get, output: 'selected', outputFields: ['email'] })).toEqual([{ id: '1', type: 'customer', ...stored().attributes }]);
			expect(await plainRun({ ...get, simplify: false })).toEqual([{ type: 'customer', id: '1', attributes: stored().attributes }]);
		});
	});
});
