import {
	NodeConnectionTypes,
	NodeOperationError,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { simplifyProperty } from '../LoymaxSc/shared/descriptions';
import { outputResource, type JsonApiResource } from '../LoymaxSc/shared/jsonapi';
import { ApiClient } from '../LoymaxSc/transport/request';
import { advance, clock, emptyCursor, highestSeen, isCursor, isNew } from './cursor';
import { triggerEvents, type TriggerEvent } from './events';
import { CollectionReader } from './reading';

const CREDENTIAL_TYPE = 'loymaxScApi';
const DEFAULT_MAX_PAGES = 10;

// n8n starts a poll every interval even while the previous one still runs (a rate-limit pause can
// last minutes). Per workflow and node, a poll that finds another one running skips its turn:
// that saves requests; emitting each record once does not depend on it (see pollNewRecords). A
// poll running longer than this (or twice the credential's Max Total Wait) is taken as hung.
const HUNG_POLL_MS = 15 * 60 * 1000;
const pollsRunning = new Map<string, { started: number }>();

interface TriggerOptions {
	existingOnActivation?: number;
	maxPagesPerPoll?: number;
}

export class LoymaxScTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Loymax SC Trigger',
		name: 'loymaxScTrigger',
		icon: { light: 'file:loymaxSc.svg', dark: 'file:loymaxSc.dark.svg' },
		group: ['trigger'],
		version: 1,
		// The event's label ("New Order"), not its value.
		subtitle: `={{ ${JSON.stringify(Object.fromEntries(triggerEvents.map(({ value, name }) => [value, name])))}[$parameter["event"]] }}`,
		description: 'Starts the workflow when customers, orders, events and other records are created in Loymax SC (Smart Communications)',
		defaults: { name: 'Loymax SC Trigger' },
		polling: true,
		// Deliberately no usableAsTool: an AI agent cannot call a trigger, and the field has no `false`.
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				required: true,
				options: triggerEvents.map(({ name, value, description }) => ({ name, value, description })),
				default: 'newOrder',
			},
			{
				displayName: 'Event Names',
				name: 'eventNames',
				type: 'string',
				default: '',
				placeholder: 'e.g. order_shipped, birthday',
				description: 'Comma-separated names of the events to emit; empty emits every new event',
				displayOptions: { show: { event: ['newEvent'] } },
			},
			simplifyProperty,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Existing Records on Activation',
						name: 'existingOnActivation',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description:
							'How many of the newest existing records the first poll after activation emits. With 0 the trigger only notes where the collection stands and emits what is created from then on.',
					},
					{
						displayName: 'Max Pages per Poll',
						name: 'maxPagesPerPoll',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: DEFAULT_MAX_PAGES,
						description:
							"How many pages (of the credential's page size) one poll reads at most. When more new records arrived since the last poll, the newest are emitted, the older ones are skipped and n8n's log says so.",
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = triggerEvents.find(({ value }) => value === this.getNodeParameter('event'));
		if (!event) throw new NodeOperationError(this.getNode(), `Unknown event "${String(this.getNodeParameter('event'))}"`);
		const simplify = this.getNodeParameter('simplify', true) as boolean;
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const names = event.value === 'newEvent' ? eventNames(this.getNodeParameter('eventNames', '') as string) : [];
		const toItems = (records: JsonApiResource[]) => this.helpers.returnJsonArray(records.map((record) => outputResource(record, simplify)));
		const emit = (records: JsonApiResource[]) =>
			toItems(records.filter((record) => names.length === 0 || names.includes(String(record.attributes?.name))));
		// One client for the whole poll: the credential is read (and decrypted by n8n) once.
		const client = await ApiClient.open(this);
		const staticData = this.getWorkflowStaticData('node');

		if (this.getMode() === 'manual') {
			// "Fetch Test Event": the newest record (whatever its name), the state left alone (n8n would not keep it anyway).
			const saved = isCursor(staticData.cursor, event.value) ? staticData.cursor : undefined;
			for await (const page of new CollectionReader(this, client, event, saved).pages()) {
				if (page.records.length) return [toItems([page.records[0]])];
				break;
			}
			throw new NodeOperationError(this.getNode(), `There are no ${event.records} in Loymax SC yet`, {
				description: 'Fetch Test Event shows the newest record; create one, then fetch again',
			});
		}

		const key = `${String(this.getWorkflow().id)}\n${this.getNode().name}`;
		const running = pollsRunning.get(key);
		const now = clock.now();
		if (running) {
			const minutes = Math.round((now - running.started) / 60_000);
			if (now - running.started < Math.max(HUNG_POLL_MS, 2 * client.settings.maxWaitMs)) {
				this.logger.info('Loymax SC Trigger: the previous poll is still running; this one is skipped', { node: this.getNode().name });
				return null;
			}
			this.logger.warn(`Loymax SC Trigger: the previous poll started ${minutes} min ago and is taken as hung; this one runs`, {
				node: this.getNode().name,
			});
		}
		const guard = { started: now };
		pollsRunning.set(key, guard);
		try {
			return await pollNewRecords(this, client, event, options, emit);
		} finally {
			if (pollsRunning.get(key) === guard) pollsRunning.delete(key);
		}
	}
}

async function pollNewRecords(
	context: IPollFunctions,
	client: ApiClient,
	event: TriggerEvent,
	options: TriggerOptions,
	emit: (records: JsonApiResource[]) => INodeExecutionData[],
): Promise<INodeExecutionData[][] | null> {
	const maxPages = positiveInteger(options.maxPagesPerPoll, DEFAULT_MAX_PAGES);
	const staticData = context.getWorkflowStaticData('node');
	const saved = isCursor(staticData.cursor, event.value) ? staticData.cursor : undefined;
	// Gaps whose hour is up are given up before reading: the poll reads no deeper than it must.
	const start = advance(saved ?? emptyCursor(event.value), { read: [], now: clock.now() });
	// The first poll reads only as deep as the records it is asked to emit (one page at least).
	const wanted = saved ? Infinity : Math.max(0, Math.floor(Number(options.existingOnActivation) || 0));
	const reader = new CollectionReader(context, client, event, saved);

	const fresh = new Map<number, JsonApiResource>();
	let read = 0;
	let lowest = Infinity;
	let complete = false;
	let pages = 0;
	for await (const page of reader.pages()) {
		pages++;
		let reachedFloor = false;
		for (const [index, id] of page.ids.entries()) {
			if (id <= start.floor) {
				reachedFloor = true;
				break;
			}
			read++;
			lowest = Math.min(lowest, id);
			if (isNew(start, id)) fresh.set(id, page.records[index]);
		}
		complete = reachedFloor || !page.more;
		if (complete || pages >= maxPages || read >= wanted) break;
	}

	let floorAtLeast: number | undefined;
	if (!saved) {
		// Everything older than what the first poll read existed before activation.
		if (read > 0) floorAtLeast = lowest - 1;
	} else if (!complete && read > 0 && lowest > highestSeen(start)) {
		floorAtLeast = lowest - 1;
		context.logger.warn(
			`Loymax SC Trigger: more new ${event.records} than ${maxPages} page(s) of ${client.settings.pageSize} since the last poll; ` +
				`the newest ${fresh.size} are emitted, older new ones are skipped. Raise "Max Pages per Poll" to read them all.`,
			{ node: context.getNode().name, workflowId: context.getWorkflow().id },
		);
	}

	// From here on nothing waits, so no other poll of this node runs in between. One may have
	// finished since this one started (n8n does not prevent overlapping polls): emit only what the
	// cursor as it stands now has not seen, and add to it rather than replace it.
	const current = isCursor(staticData.cursor, event.value) ? staticData.cursor : start;
	const ids = [...fresh.keys()].filter((id) => isNew(current, id)).sort((a, b) => a - b);
	staticData.cursor = advance(current, { read: reader.read, now: clock.now(), floorAtLeast, reading: reader.reading, lastPage: reader.lastPage });
	const emitted = saved ? ids : ids.slice(Math.max(0, ids.length - wanted));
	if (emitted.length === 0) return null;
	const items = emit(emitted.map((id) => fresh.get(id)!));
	// n8n saves static data only with items; records filtered out are re-read (and dropped) after a restart.
	return items.length ? [items] : null;
}

function eventNames(value: string): string[] {
	return value
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
}

const positiveInteger = (value: unknown, fallback: number) => {
	const parsed = Math.floor(Number(value));
	return Number.isFinite(parsed) && parsed >= 1 ? parsed : fallback;
};
