import { LoadOptionsContext } from 'n8n-core';
import {
	Workflow,
	type ILoadOptionsFunctions,
	type INode,
	type INodeListSearchResult,
	type INodeParameters,
	type INodeTypes,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { LoymaxSc } from '../../nodes/LoymaxSc/LoymaxSc.node';
import { CREDENTIAL_ID } from '../harness/engine';
import { createFixture, type Fixture } from '../harness/fixture';
import { apiRequests } from '../harness/operation';
import type { SandboxOptions } from '../../sandbox';

/**
 * "From List" searches run in n8n's LoadOptionsContext, as the editor runs them: the node's
 * current parameters in additionalData, the credential from the harness's credential store, and
 * n8n-core's own request helper (httpRequestWithAuthentication with preAuthentication).
 */
const nodeType = new LoymaxSc();
const nodeTypes: INodeTypes = {
	getByName: () => nodeType,
	getByNameAndVersion: () => nodeType,
	getKnownTypes: () => ({}),
};

type SearchMethod = keyof typeof nodeType.methods.listSearch;

function loadOptionsContext(fx: Fixture, parameters: INodeParameters, parameterPath: string): ILoadOptionsFunctions {
	const node: INode = {
		id: 'loymax',
		name: 'Loymax SC',
		type: 'n8n-nodes-loymaxsc.loymaxSc',
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { loymaxScApi: { id: CREDENTIAL_ID, name: 'Loymax SC sandbox' } },
	};
	const workflow = new Workflow({ id: 'search', name: 'search', active: false, nodeTypes, connections: {}, nodes: [node] });
	const additionalData = {
		credentialsHelper: fx.engine.credentials,
		currentNodeParameters: parameters,
		restApiUrl: 'http://localhost/rest',
		instanceBaseUrl: 'http://localhost/',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	return new LoadOptionsContext(workflow, workflow.getNode(node.name)!, additionalData, `parameters.${parameterPath}`);
}

async function search(
	fx: Fixture,
	method: SearchMethod,
	options: { parameters?: INodeParameters; filter?: string; paginationToken?: string } = {},
): Promise<INodeListSearchResult> {
	const parameters = options.parameters ?? { resource: 'emailMailing', operation: 'get' };
	const context = loadOptionsContext(fx, parameters, 'mailingId');
	return nodeType.methods.listSearch[method].call(context, options.filter, options.paginationToken);
}

describe('list search ("From List")', () => {
	let fx: Fixture;
	const start = async (sandboxOptions: SandboxOptions = {}) => {
		fx = await createFixture(sandboxOptions);
		return fx;
	};
	afterEach(async () => fx?.close());

	it('lists a collection one API page per scroll step, "<name> (<id>)" with the ID as value', async () => {
		await start({ seed: { emailMailings: 150 } });
		const first = await search(fx, 'searchEmailMailings');
		expect(first.results).toHaveLength(100);
		expect(first.results.slice(0, 2)).toEqual([
			{ name: 'Email mailing 1 (1)', value: '1' },
			{ name: 'Email mailing 2 (2)', value: '2' },
		]);
		expect(first.paginationToken).toBe('2:100');
		const second = await search(fx, 'searchEmailMailings', { paginationToken: String(first.paginationToken) });
		expect(second.results).toHaveLength(50);
		expect(second.results.at(-1)).toEqual({ name: 'Email mailing 150 (150)', value: '150' });
		expect(second.paginationToken).toBeUndefined();
		expect(apiRequests(fx).map((entry) => [entry.method, entry.path, entry.query, entry.status])).toEqual([
			['GET', '/communication/email', { 'page[number]': '1', 'page[size]': '100' }, 200],
			['GET', '/communication/email', { 'page[number]': '2', 'page[size]': '100' }, 200],
		]);
		// The login went through n8n's preAuthentication: one token call, kept in the credential store.
		expect(fx.tokenCalls()).toBe(1);
		expect(fx.engine.storedCredential.token).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
		expect(new Set(apiRequests(fx).map((entry) => entry.token)).size).toBe(1);
	});

	it('filters by name or ID, ignoring case and surrounding spaces', async () => {
		await start({ seed: { emailMailings: 150 } });
		const byName = await search(fx, 'searchEmailMailings', { filter: '  MAILING 12 ' });
		expect(byName.results).toEqual([{ name: 'Email mailing 12 (12)', value: '12' }]);
		const byId = await search(fx, 'searchEmailMailings', { filter: '(7)' });
		expect(byId.results).toEqual([{ name: 'Email mailing 7 (7)', value: '7' }]);
		// The API has no filter parameter: the node filters page by page and still offers the next page.
		expect(byName.paginationToken).toBe('2:100');
		expect(apiRequests(fx).every((entry) => entry.query.filter === undefined)).toBe(true);
		const later = await search(fx, 'searchEmailMailings', { filter: 'mailing 12', paginationToken: '2:100' });
		expect(later.results.map((result) => result.value)).toEqual(['120', '121', '122', '123', '124', '125', '126', '127', '128', '129']);
		expect(later.paginationToken).toBeUndefined();
	});

	it('scrolls through every record when the server serves fewer per page than asked', async () => {
		await start({ seed: { emailMailings: 150 }, maxPageSize: 40 });
		const values: string[] = [];
		let token: string | undefined;
		for (let step = 0; step < 10; step++) {
			const page = await search(fx, 'searchEmailMailings', { paginationToken: token });
			values.push(...page.results.map((result) => String(result.value)));
			token = page.paginationToken === undefined ? undefined : String(page.paginationToken);
			if (token === undefined) break;
		}
		expect(values).toEqual(Array.from({ length: 150 }, (_, index) => String(index + 1)));
	});

	it('skips pages without a match when filtering, so a match on a later page is found at once', async () => {
		await start({ seed: { emailMailings: 250 } });
		const result = await search(fx, 'searchEmailMailings', { filter: 'mailing 250' });
		expect(result.results).toEqual([{ name: 'Email mailing 250 (250)', value: '250' }]);
		expect(result.paginationToken).toBeUndefined();
		expect(apiRequests(fx).map((entry) => entry.query['page[number]'])).toEqual(['1', '2', '3']);
	});

	it.each([
		['searchSmsMailings', '/communication/sms', ['SMS mailing 1 (1)', 'SMS mailing 2 (2)', 'SMS mailing 3 (3)']],
		['searchPushMailings', '/communication/push', ['Push mailing 1 (1)', 'Push mailing 2 (2)', 'Push mailing 3 (3)']],
		['searchPolls', '/communication/poll', ['Poll 1 (1)', 'Poll 2 (2)', 'Poll 3 (3)']],
		['searchPromoCodeGroups', '/promocode-group', ['Promo group 1 (1)', 'Promo group 2 (2)', 'Promo group 3 (3)']],
		['searchDictionaries', '/dictionary', ['Dictionary 1 (1)', 'Dictionary 2 (2)']],
	] as Array<[SearchMethod, string, string[]]>)('%s lists %s', async (method, path, names) => {
		await start();
		const result = await search(fx, method);
		expect(result.results.map((entry) => entry.name)).toEqual(names);
		expect(result.results.map((entry) => entry.value)).toEqual(names.map((_, index) => String(index + 1)));
		expect(result.paginationToken).toBeUndefined();
		expect(apiRequests(fx).map((entry) => [entry.path, entry.query])).toEqual([[path, { 'page[number]': '1', 'page[size]': '100' }]]);
	});

	it('labels a record without a name by its subject, or by its ID', async () => {
		await start();
		fx.sandbox.store.emailMailings.insert({ subject: 'Only a subject', status: 'draft' });
		fx.sandbox.store.emailMailings.insert({ status: 'draft' });
		const result = await search(fx, 'searchEmailMailings', { filter: '(' });
		expect(result.results.slice(3)).toEqual([
			{ name: 'Only a subject (4)', value: '4' },
			{ name: '#5 (5)', value: '5' },
		]);
	});

	it('labels a record whose name is empty by its subject, not by an empty string', async () => {
		await start();
		fx.sandbox.store.emailMailings.insert({ name: '', subject: 'Draft without a name', status: 'draft' });
		const result = await search(fx, 'searchEmailMailings');
		expect(result.results.at(-1)).toEqual({ name: 'Draft without a name (4)', value: '4' });
	});

	it('lists the items of the dictionary chosen in the node, however it was chosen', async () => {
		await start();
		const fromList = await search(fx, 'searchDictionaryItems', {
			parameters: { resource: 'dictionaryItem', operation: 'get', dictionaryId: { __rl: true, mode: 'list', value: '2' } },
		});
		expect(fromList.results).toEqual([
			{ name: 'Item 1 (4)', value: '4' },
			{ name: 'Item 2 (5)', value: '5' },
			{ name: 'Item 3 (6)', value: '6' },
		]);
		const byId = await search(fx, 'searchDictionaryItems', {
			parameters: { resource: 'dictionaryItem', operation: 'get', dictionaryId: { __rl: true, mode: 'id', value: '1' } },
			filter: 'item 3',
		});
		expect(byId.results).toEqual([{ name: 'Item 3 (3)', value: '3' }]);
		expect(apiRequests(fx).map((entry) => entry.path)).toEqual(['/dictionary/2/item', '/dictionary/1/item']);
	});

	it('lists no dictionary items, and sends nothing, while no dictionary is chosen', async () => {
		await start();
		const result = await search(fx, 'searchDictionaryItems', {
			parameters: { resource: 'dictionaryItem', operation: 'get', dictionaryId: { __rl: true, mode: 'list', value: '' } },
		});
		expect(result).toEqual({ results: [] });
		expect(fx.sandbox.log).toHaveLength(0);
	});

	it('fails with the API\'s error when the chosen dictionary does not exist', async () => {
		await start();
		await expect(
			search(fx, 'searchDictionaryItems', {
				parameters: { resource: 'dictionaryItem', operation: 'get', dictionaryId: { __rl: true, mode: 'id', value: '9' } },
			}),
		).rejects.toMatchObject({ message: 'Loymax SC error: Not Found', httpCode: '404' });
	});
});
