import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { LoymaxSc } from '../../nodes/LoymaxSc/LoymaxSc.node';
import { TestCredentialsHelper } from './credentials';

/** Emits the items the test gives it: the input of the Loymax SC node. */
class TestItems implements INodeType {
	description: INodeType['description'] = {
		displayName: 'Test Items',
		name: 'testItems',
		group: ['input'],
		version: 1,
		description: 'Emits test items',
		defaults: { name: 'Items' },
		inputs: [],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		return [items.map((json) => ({ json }))];
	}
}

const loymaxSc = new LoymaxSc();

const nodeTypesWith = (node: INodeType): INodeTypes => ({
	getByName: (type) => (type === 'testItems' ? new TestItems() : node),
	getByNameAndVersion: (type) => (type === 'testItems' ? new TestItems() : node),
	getKnownTypes: () => ({}),
});

export const CREDENTIAL_ID = 'cred-1';
let executionCount = 0;

export interface RunOptions {
	parameters: INodeParameters;
	/** Input items (default: one empty item). */
	items?: IDataObject[];
	continueOnFail?: boolean;
	/** Runs another node type in place of Loymax SC (e.g. a credential test's request). */
	nodeType?: INodeType;
	/** Which credential of the engine's store the node uses (default CREDENTIAL_ID). */
	credentialId?: string;
	/** Called once the execution runs, with n8n's own way to stop it (the editor's Stop button). */
	onRunning?: (stop: () => void) => void;
}

export interface RunResult {
	items: IDataObject[];
	/** The full n8n items, with pairedItem. */
	raw: INodeExecutionData[];
	error?: Error & { description?: string; httpCode?: string | null; context?: IDataObject };
	run: IRun;
}

/** One n8n instance: a credential store shared by the executions it runs, as on a real server. */
export class Engine {
	readonly credentials = new TestCredentialsHelper();

	constructor(credential: ICredentialDataDecryptedObject) {
		this.credentials.set(CREDENTIAL_ID, credential);
	}

	get storedCredential(): ICredentialDataDecryptedObject {
		return this.credentials.store.get(CREDENTIAL_ID)!;
	}

	setCredential(patch: ICredentialDataDecryptedObject) {
		this.credentials.store.set(CREDENTIAL_ID, { ...this.storedCredential, ...patch });
	}

	async run({ parameters, items = [{}], continueOnFail = false, nodeType = loymaxSc, credentialId = CREDENTIAL_ID, onRunning }: RunOptions): Promise<RunResult> {
		const workflow = new Workflow({
			id: 'test',
			name: 'test',
			active: false,
			nodeTypes: nodeTypesWith(nodeType),
			connections: { Items: { main: [[{ node: 'Loymax SC', type: 'main', index: 0 }]] } },
			nodes: [
				{
					id: 'items',
					name: 'Items',
					type: 'testItems',
					typeVersion: 1,
					position: [0, 0],
					parameters: { items: JSON.stringify(items) },
				},
				{
					id: 'loymax',
					name: 'Loymax SC',
					// The tool variant's type gains "Tool", as in n8n (the node tells its variant by it).
					type: `n8n-nodes-loymaxsc.loymaxSc${nodeType.description.name.endsWith('Tool') ? 'Tool' : ''}`,
					typeVersion: 1,
					position: [200, 0],
					parameters,
					credentials: { loymaxScApi: { id: credentialId, name: `Loymax SC ${credentialId}` } },
					continueOnFail,
				},
			],
		});
		const additionalData = {
			hooks: new ExecutionLifecycleHooks('manual', `test-${++executionCount}`, {
				id: 'test',
				name: 'test',
				active: false,
				activeVersionId: null,
				isArchived: false,
				nodes: workflow.nodes ? Object.values(workflow.nodes) : [],
				connections: workflow.connectionsBySourceNode,
				createdAt: new Date(),
				updatedAt: new Date(),
			} as never),
			credentialsHelper: this.credentials,
			currentNodeExecutionIndex: 0,
			restApiUrl: 'http://localhost/rest',
			instanceBaseUrl: 'http://localhost/',
			formWaitingBaseUrl: 'http://localhost/form-waiting',
			webhookBaseUrl: 'http://localhost/webhook',
			webhookWaitingBaseUrl: 'http://localhost/webhook-waiting',
			webhookTestBaseUrl: 'http://localhost/webhook-test',
			variables: {},
			executeWorkflow: async () => {
				throw new Error('not supported');
			},
			getRunExecutionData: async () => undefined,
			logAiEvent: () => {},
			startRunnerTask: async () => {
				throw new Error('not supported');
			},
		} as unknown as IWorkflowExecuteAdditionalData;
		const running = new WorkflowExecute(additionalData, 'manual').run({
			workflow,
			startNode: workflow.getNode('Items')!,
		});
		onRunning?.(() => running.cancel());
		const run = await running;
		const taskData = run.data.resultData.runData['Loymax SC']?.[0];
		const raw = taskData?.data?.main?.[0] ?? [];
		return {
			items: raw.map((item) => item.json),
			raw,
			error: (taskData?.error ?? run.data.resultData.error) as RunResult['error'],
			run,
		};
	}
}
