import { PollContext } from 'n8n-core';
import {
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeTypes,
	type IWorkflowExecuteAdditionalData,
	type WorkflowActivateMode,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { LoymaxScTrigger } from '../../nodes/LoymaxScTrigger/LoymaxScTrigger.node';
import { CREDENTIAL_ID, type Engine } from './engine';

const trigger = new LoymaxScTrigger();
const nodeTypes: INodeTypes = {
	getByName: () => trigger,
	getByNameAndVersion: () => trigger,
	getKnownTypes: () => ({}),
};

export const TRIGGER_NAME = 'Loymax SC Trigger';

export interface PollResult {
	/** JSON of the emitted items; null when the poll emitted nothing. */
	items: IDataObject[] | null;
	error?: Error;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * One active workflow holding the trigger, run the way n8n runs a poll node: n8n-core's PollContext
 * on a Workflow whose static data lives in memory between polls, and is "saved" (copied to
 * `saved`) only when n8n would save it: after the activation poll, and after a poll that returned
 * items. A poll that returns null or throws saves nothing. `restart()` starts again from what was
 * saved, as n8n does after a restart; "Fetch Test Event" runs in manual mode on a copy.
 */
export class PollHarness {
	saved: IDataObject = {};
	private workflow!: Workflow;
	readonly polls: PollResult[] = [];

	constructor(
		private readonly engine: Engine,
		private parameters: INodeParameters,
	) {
		this.restart();
	}

	private build(staticData: IDataObject, active: boolean): Workflow {
		const node: INode = {
			id: 'trigger',
			name: TRIGGER_NAME,
			type: 'n8n-nodes-loymaxsc.loymaxScTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: clone(this.parameters),
			credentials: { loymaxScApi: { id: CREDENTIAL_ID, name: 'Loymax SC sandbox' } },
		};
		return new Workflow({ id: 'poll-test', name: 'poll test', active, nodes: [node], connections: {}, nodeTypes, staticData });
	}

	/** n8n restarted (or the workflow was re-published): in-memory changes not saved are gone. */
	restart(): void {
		this.workflow = this.build(clone(this.saved), true);
	}

	/** Edits the node's parameters (kept static data), as publishing an edited workflow does. */
	edit(parameters: INodeParameters): void {
		this.parameters = parameters;
		this.restart();
	}

	/** The node's static data as it is in memory now. */
	get live(): IDataObject {
		return clone(this.workflow.getStaticData('node', this.workflow.getNode(TRIGGER_NAME)!));
	}

	private additionalData(): IWorkflowExecuteAdditionalData {
		return {
			credentialsHelper: this.engine.credentials,
			currentNodeExecutionIndex: 0,
			restApiUrl: 'http://localhost/rest',
			instanceBaseUrl: 'http://localhost/',
			webhookBaseUrl: 'http://localhost/webhook',
			webhookWaitingBaseUrl: 'http://localhost/webhook-waiting',
			webhookTestBaseUrl: 'http://localhost/webhook-test',
			formWaitingBaseUrl: 'http://localhost/form-waiting',
			variables: {},
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	private async poll(workflow: Workflow, mode: WorkflowExecuteMode, activation: WorkflowActivateMode): Promise<PollResult> {
		const node = workflow.getNode(TRIGGER_NAME)!;
		const context = new PollContext(workflow, node, this.additionalData(), mode, activation);
		try {
			const output = (await trigger.poll.call(context)) as INodeExecutionData[][] | null;
			return { items: output ? output[0].map((item) => item.json) : null };
		} catch (error) {
			return { items: null, error: error as Error };
		}
	}

	private save(): void {
		this.saved = clone(this.workflow.staticData) as IDataObject;
	}

	/** The poll n8n runs when the workflow is published; static data is saved afterwards. */
	async activate(): Promise<PollResult> {
		const result = await this.poll(this.workflow, 'trigger', 'activate');
		if (!result.error) this.save();
		this.polls.push(result);
		return result;
	}

	/** A scheduled poll. */
	async tick(): Promise<PollResult> {
		const result = await this.poll(this.workflow, 'trigger', 'trigger');
		if (result.items) this.save();
		this.polls.push(result);
		return result;
	}

	/** "Fetch Test Event" in the editor: manual mode, its static data never saved. */
	async fetchTestEvent(): Promise<PollResult> {
		return await this.poll(this.build(clone(this.saved), false), 'manual', 'manual');
	}
}
