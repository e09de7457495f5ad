import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { LoymaxScApi } from '../credentials/LoymaxScApi.credentials';
import { LoymaxSc } from '../nodes/LoymaxSc/LoymaxSc.node';
import { LoymaxScTrigger } from '../nodes/LoymaxScTrigger/LoymaxScTrigger.node';
import { resources } from '../nodes/LoymaxSc/resources';

/** Resource → operations (the values workflows store): every endpoint of the reference. */
const EXPECTED: Record<string, string[]> = {
	customer: ['upsert', 'update', 'get', 'getAll', 'getMailings'],
	customerSubscription: ['get', 'update'],
	customerChannel: ['get', 'update'],
	customerContact: ['add'],
	customerDevice: ['register', 'getAll', 'delete'],
	customerBonus: ['get', 'update'],
	customerMarker: ['add', 'getAll', 'remove'],
	order: ['upsert', 'update', 'get', 'getAll'],
	event: ['create', 'update', 'get', 'getAll'],
	webEvent: ['create'],
	product: ['upsert', 'update', 'get', 'getAll'],
	productCategory: ['upsert', 'update', 'get', 'getAll'],
	emailMailing: ['get', 'getAll', 'getRecipients'],
	smsMailing: ['get', 'getAll', 'getRecipients'],
	pushMailing: ['get', 'getAll', 'getRecipients', 'setMessageState'],
	messageEvent: ['create'],
	poll: ['get', 'getAll'],
	blacklist: ['getAll'],
	promoCodeGroup: ['upsert', 'update', 'get', 'getAll', 'delete', 'uploadCodes'],
	dictionary: ['create', 'update', 'get', 'getAll', 'delete'],
	dictionaryItem: ['create', 'update', 'get', 'getAll', 'delete'],
	connection: ['check'],
};

const { description } = new LoymaxSc();
const properties = description.properties;

function operationsOf(resource: string): INodePropertyOptions[] {
	const property = properties.find(
		(candidate) => candidate.name === 'operation' && candidate.displayOptions?.show?.resource?.includes(resource),
	);
	return (property?.options ?? []) as INodePropertyOptions[];
}

function propertiesOf(resource: string, operation: string): INodeProperties[] {
	return properties.filter(
		(property) =>
			property.displayOptions?.show?.resource?.includes(resource) &&
			property.displayOptions?.show?.operation?.includes(operation),
	);
}

/** Every `describeOperation('<resource>', '<operation>'` call in test/operations. */
function testedOperations(): Set<string> {
	const folder = join(__dirname, 'operations');
	const tested = new Set<string>();
	for (const file of readdirSync(folder).filter((name) => name.endsWith('.test.ts'))) {
		const source = readFileSync(join(folder, file), 'utf8');
		for (const match of source.matchAll(/describeOperation\(\s*'(\w+)'\s*,\s*'(\w+)'/g)) tested.add(`${match[1]}.${match[2]}`);
	}
	return tested;
}

const isTitleCase = (text: string) =>
	text
		.split(/\s+/)
		.filter((word) => !['a', 'an', 'and', 'by', 'for', 'in', 'of', 'or', 'per', 'the', 'to', '(JSON)'].includes(word))
		.every((word) => /^[A-Z0-9(]/.test(word));

describe('node description', () => {
	it('is a programmatic, tool-usable node with the Loymax SC credential and n8n\'s request options', () => {
		expect(description.name).toBe('loymaxSc');
		expect(description.displayName).toBe('Loymax SC');
		expect(description.usableAsTool).toBe(true);
		// It runs its own execute(): no routing engine, so no requestDefaults and no routing blocks.
		expect(typeof new LoymaxSc().execute).toBe('function');
		expect(description.requestDefaults).toBeUndefined();
		const requestOptions = properties.find((property) => property.name === 'requestOptions');
		expect((requestOptions?.options ?? []).map((option) => option.name).sort()).toEqual(['allowUnauthorizedCerts', 'batching', 'proxy', 'timeout']);
		expect(description.credentials).toEqual([{ name: 'loymaxScApi', required: true }]);
		expect(new LoymaxScApi().name).toBe('loymaxScApi');
	});

	it('offers the node, not the trigger, to AI agents as a tool', () => {
		expect(description.usableAsTool).toBe(true);
		expect(new LoymaxScTrigger().description).not.toHaveProperty('usableAsTool');
	});

	it('has every resource and operation of the table, and nothing unexpected', () => {
		const resourceValues = (properties.find((property) => property.name === 'resource')?.options as INodePropertyOptions[]).map(
			(option) => option.value,
		);
		expect(resourceValues.sort()).toEqual(Object.keys(EXPECTED).sort());
		for (const [resource, operations] of Object.entries(EXPECTED)) {
			expect({ resource, operations: operationsOf(resource).map((option) => option.value).sort() }).toEqual({
				resource,
				operations: [...operations].sort(),
			});
		}
		expect(Object.values(EXPECTED).flat()).toHaveLength(66);
	});

	it('shows the operation and resource by their names in the subtitle, not their stored values', () => {
		const operationNames: Record<string, string> = {};
		const resourceNames: Record<string, string> = {};
		for (const resource of resources) {
			resourceNames[resource.value] = resource.name;
			for (const spec of resource.operations) {
				// One name per operation value, so the two lookups below are enough.
				expect(operationNames[spec.value] ?? spec.name).toBe(spec.name);
				operationNames[spec.value] = spec.name;
			}
		}
		const match = /^=\{\{ (\{.*\})\[\$parameter\["operation"\]\] \+ ": " \+ (\{.*\})\[\$parameter\["resource"\]\] \}\}$/.exec(String(description.subtitle));
		expect(match).not.toBeNull();
		expect(JSON.parse(match![1])).toEqual(operationNames);
		expect(JSON.parse(match![2])).toEqual(resourceNames);
	});

	it('gives every operation a description and an action, and no routing block', () => {
		for (const resource of Object.keys(EXPECTED)) {
			for (const option of operationsOf(resource)) {
				const where = `${resource}.${String(option.value)}`;
				expect({ where, description: typeof option.description === 'string' && option.description.length > 10 }).toEqual({ where, description: true });
				expect({ where, action: typeof option.action === 'string' && option.action.length > 5 }).toEqual({ where, action: true });
				expect({ where, routing: option.routing }).toEqual({ where, routing: undefined });
			}
		}
	});

	it('keeps every action short: as an AI tool, "<action> in Loymax SC" is the tool\'s name, which OpenAI caps at 64 characters', () => {
		for (const resource of resources) {
			for (const spec of resource.operations) {
				const toolName = `${spec.action} in ${description.defaults.name}`;
				// Two characters spare for the number n8n appends to a second node of the same name.
				expect({ toolName, fits: toolName.length <= 62 }).toEqual({ toolName, fits: true });
			}
		}
	});

	it('has a test for every operation', () => {
		const tested = testedOperations();
		const missing = Object.entries(EXPECTED).flatMap(([resource, operations]) =>
			operations.map((operation) => `${resource}.${operation}`).filter((key) => !tested.has(key)),
		);
		expect(missing).toEqual([]);
	});

	it('follows n8n conventions: Return All + Limit + Sort on Get Many, Simplify on reads, Whether on booleans, Title Case', () => {
		for (const [resource, operations] of Object.entries(EXPECTED)) {
			for (const operation of operations) {
				const names = propertiesOf(resource, operation).map((property) => property.name);
				const where = `${resource}.${operation}`;
				if (operation === 'getAll' || operation === 'getRecipients' || operation === 'getMailings') {
					expect({ where, names }).toEqual({ where, names: expect.arrayContaining(['returnAll', 'limit', 'sort', 'simplify']) });
				}
				if (operation === 'get') expect({ where, names }).toEqual({ where, names: expect.arrayContaining(['simplify']) });
			}
		}
		const walk = (list: INodeProperties[]): INodeProperties[] =>
			list.flatMap((property) => [
				property,
				...walk(((property.options ?? []) as Array<INodeProperties & { values?: INodeProperties[] }>).flatMap((option) =>
					'values' in option && option.values ? option.values : 'type' in option && option.type ? [option as INodeProperties] : [],
				)),
			]);
		for (const property of walk(properties)) {
			if (property.type === 'notice') continue;
			expect({ name: property.name, titleCase: isTitleCase(property.displayName) }).toEqual({ name: property.name, titleCase: true });
			if (property.type === 'boolean') {
				expect({ name: property.name, description: property.description?.startsWith('Whether') }).toEqual({
					name: property.name,
					description: true,
				});
			}
		}
	});

	it('offers the parameters that the readings of the reference call for (docs/api-readings.md)', () => {
		const names = (resource: string, operation: string) => propertiesOf(resource, operation).map((property) => property.name);
		const customAttributes: Array<[string, string, boolean]> = [
			// «любые параметры» (any parameters) only in the PATCH texts of dictionaries and items.
			['dictionary', 'create', false],
			['dictionary', 'update', true],
			['dictionaryItem', 'create', false],
			['dictionaryItem', 'update', true],
			// The field whose name the docs lost.
			['pushMailing', 'setMessageState', true],
		];
		for (const [resource, operation, offered] of customAttributes) {
			expect([resource, operation, names(resource, operation).includes('customAttributes')]).toEqual([resource, operation, offered]);
		}
		// Upload Codes addresses the group by its local_id: a plain string, not the Platform ID locator.
		const upload = propertiesOf('promoCodeGroup', 'uploadCodes');
		expect(upload.find((property) => property.name === 'groupId')).toBeUndefined();
		expect(upload.find((property) => property.name === 'groupLocalId')).toMatchObject({ type: 'string', required: true, default: '' });
		// The marker's Platform Customer ID is text without a 0 default.
		for (const operation of ['add', 'remove']) {
			const additional = propertiesOf('customerMarker', operation).find((property) => property.name === 'additionalFields');
			const id = (additional?.options as INodeProperties[]).find((option) => option.name === 'platformCustomerId');
			expect(id).toMatchObject({ type: 'string', default: '' });
		}
		// The dictionary's Local ID says the API requires it.
		const update = propertiesOf('dictionary', 'update').find((property) => property.name === 'updateFields');
		const localId = (update?.options as INodeProperties[]).find((option) => option.name === 'localId');
		expect(localId?.description).toMatch(/requires it on every update/);
	});

	it('warns that updates and upserts replace the whole record', () => {
		for (const resource of ['customer', 'order', 'product', 'productCategory', 'promoCodeGroup']) {
			const notice = propertiesOf(resource, 'upsert').find((property) => property.type === 'notice');
			expect(notice?.displayName).toMatch(/replaces the whole record/);
		}
		for (const [resource, operations] of Object.entries(EXPECTED)) {
			if (!operations.includes('update') || ['customerSubscription', 'customerChannel'].includes(resource)) continue;
			const keep = propertiesOf(resource, 'update').find((property) => property.name === 'keepUnsetFields');
			expect({ resource, default: keep?.default, says: /replaces the whole record/.test(String(keep?.description)) }).toEqual({
				resource,
				default: true,
				says: true,
			});
		}
	});
});
