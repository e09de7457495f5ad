import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { simplifyProperty } from '../LoymaxSc/shared/descriptions';
import { hasMorePages, outputResource, readPage, type JsonApiResource, type Page } from '../LoymaxSc/shared/jsonapi';
import { ApiClient } from '../LoymaxSc/transport/request';
import { advance, emptyCursor, isBelowFloor, isCursor, isNew, windowFor, type Cursor } from './cursor';
import { triggerEvents, type TriggerEvent } from './events';

const CREDENTIAL_TYPE = 'loymaxScApi';
const NEWEST_FIRST = JSON.stringify([{ attribute: 'id', direction: 'desc' }]);
const DEFAULT_MAX_PAGES = 10;

// n8n starts a poll every interval even while the previous one still runs (a rate-limit pause can
// last minutes): both would start from the same cursor and emit the same records. Per workflow
// and node, a poll that finds another one running skips its turn.
const pollsRunning = new Set<string>();

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

		if (this.getMode() === 'manual') {
			// "Fetch Test Event": the newest record (whatever its name), the state left alone (n8n would not keep it anyway).
			const [newest] = (await readNewest(await ApiClient.open(this), event, 1, 1)).data;
			if (!newest) {
				throw new NodeOperationError(this.getNode(), `There are no ${event.records} in Loymax SC yet`, {
					description: 'Fetch Test Event shows the newest record; create one, then fetch again',
				});
			}
			return [toItems([newest])];
		}

		const key = `${String(this.getWorkflow().id)}\n${this.getNode().name}`;
		if (pollsRunning.has(key)) {
			this.logger.info('Loymax SC Trigger: the previous poll is still running; this one is skipped', { node: this.getNode().name });
			return null;
		}
		pollsRunning.add(key);
		try {
			return await pollNewRecords(this, event, options, emit);
		} finally {
			pollsRunning.delete(key);
		}
	}
}

async function pollNewRecords(
	context: IPollFunctions,
	event: TriggerEvent,
	options: TriggerOptions,
	emit: (records: JsonApiResource[]) => INodeExecutionData[],
): Promise<INodeExecutionData[][] | null> {
	// One client for the whole poll: the credential is read (and decrypted by n8n) once.
	const client = await ApiClient.open(context);
	const pageSize = client.settings.pageSize;
	const maxPages = positiveInteger(options.maxPagesPerPoll, DEFAULT_MAX_PAGES);
	const windowSize = windowFor(pageSize);
	const staticData = context.getWorkflowStaticData('node');
	const firstPoll = !isCursor(staticData.cursor, event.value);
	const cursor: Cursor = firstPoll ? emptyCursor(event.value) : (staticData.cursor as Cursor);
	// The first poll reads only as deep as the records it is asked to emit (the window at least).
	const wanted = firstPoll ? Math.max(0, Math.floor(Number(options.existingOnActivation) || 0)) : Infinity;

	const fresh: JsonApiResource[] = [];
	const read: number[] = [];
	let complete = false;
	let pages = 0;
	let fetched = 0;
	let previousId = Infinity;
	while (!complete && pages < maxPages && !(firstPoll && read.length >= Math.max(wanted, windowSize))) {
		const page: Page = await readNewest(client, event, ++pages, pageSize);
		fetched += page.data.length;
		const ids = page.data.map((record) => platformId(context, event, record));
		// The whole page first: an API that ignored the sort would list old records first, and the
		// trigger would stop at the first one without ever seeing the new ones.
		for (const id of ids) {
			if (id >= previousId) throw notNewestFirst(context, event);
			previousId = id;
		}
		for (const [index, id] of ids.entries()) {
			if (isBelowFloor(cursor, id)) {
				complete = true;
				break;
			}
			read.push(id);
			if (isNew(cursor, id)) fresh.push(page.data[index]);
		}
		if (!hasMorePages(page, fetched, pageSize)) complete = true;
	}
	const next = advance(cursor, read, complete, windowSize);

	if (firstPoll) {
		// Saved by n8n after activation although nothing may be emitted.
		staticData.cursor = next;
		const existing = fresh.slice(0, wanted).reverse();
		return existing.length ? [emit(existing)] : null;
	}
	if (!complete) {
		context.logger.warn(
			`Loymax SC Trigger: more new ${event.records} than ${maxPages} page(s) of ${pageSize} since the last poll; ` +
				`the newest ${fresh.length} are emitted, older new ones are skipped. Raise "Max Pages per Poll" to read them all.`,
			{ node: context.getNode().name, workflowId: context.getWorkflow().id },
		);
	}
	if (fresh.length === 0) return null;
	// Changed only now: a poll that failed on the way keeps the previous cursor.
	staticData.cursor = next;
	const items = emit(fresh.reverse());
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

async function readNewest(client: ApiClient, event: TriggerEvent, pageNumber: number, pageSize: number): Promise<Page> {
	const response = await client.request({
		method: 'GET',
		path: event.path,
		qs: { 'page[number]': pageNumber, 'page[size]': pageSize, sort: NEWEST_FIRST } as IDataObject,
		retrySafe: true,
	});
	return readPage(response.body);
}

function platformId(context: IPollFunctions, event: TriggerEvent, record: JsonApiResource): number {
	const id = typeof record.id === 'string' && /^\d+$/.test(record.id) ? Number(record.id) : NaN;
	if (!Number.isSafeInteger(id)) {
		throw new NodeOperationError(context.getNode(), `Loymax SC listed ${event.records} without a numeric ID ("${String(record.id)}")`, {
			description: 'The trigger tells new records from old ones by the ID Loymax SC assigns when it creates a record',
		});
	}
	return id;
}

function notNewestFirst(context: IPollFunctions, event: TriggerEvent): NodeOperationError {
	return new NodeOperationError(context.getNode(), `Loymax SC did not list the ${event.records} newest first`, {
		description: 'The trigger asks for the records sorted by ID, descending, and cannot tell new records from old ones in another order',
	});
}
