import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { resources } from './resources';
import { itemContext } from './shared/context';
import { recordKey, runOperation, type OperationSpec } from './shared/operation';
import { parseProxy as parseProxyOption, type ProxySettings } from './shared/proxy';
import { invalidField } from './shared/values';
import { ApiClient, type ConnectionOptions } from './transport/request';

/**
 * Items whose requests may be under way at once. The rate budget decides the pace; this only keeps
 * a bounded amount of work in flight, so that a 100 000-item input starts at once and in order.
 */
const ITEMS_IN_FLIGHT = 8;

/**
 * How many items may be under way: the first item goes alone and each success lets one more join,
 * so a run whose first item fails sends nothing else. Writes that must not be repeated go one at a
 * time unless Continue On Fail is on: after a failure nothing later has reached the API, and the
 * run can be started again from the failed item without duplicates.
 */
function inFlightLimit(spec: OperationSpec, continueOnFail: boolean): number {
	const repeatable = spec.retrySafe ?? (spec.kind === 'read' || spec.kind === 'list');
	return repeatable || continueOnFail ? ITEMS_IN_FLIGHT : 1;
}

const operations = new Map<string, OperationSpec>(
	resources.flatMap((resource) => resource.operations.map((spec) => [`${resource.value}:${spec.value}`, spec] as const)),
);

interface RequestOptionsParameter {
	batching?: { batch?: { batchSize?: number; batchInterval?: number } };
	allowUnauthorizedCerts?: boolean;
	proxy?: string;
	timeout?: number;
}

/** n8n's "Request Options", as the routing engine read them, so saved workflows keep their meaning. */
function readRequestOptions(context: IExecuteFunctions): { connection: ConnectionOptions; batch?: { size: number; intervalMs: number } } {
	const options = context.getNodeParameter('requestOptions', 0, {}) as RequestOptionsParameter;
	const connection: ConnectionOptions = {};
	if (options.timeout !== undefined) {
		const timeout = Number(options.timeout);
		if (!Number.isFinite(timeout) || timeout < 1) throw invalidField(context.getNode(), 0, 'Timeout', `${String(options.timeout)} is not a number of milliseconds`);
		connection.timeoutMs = timeout;
	}
	if (options.allowUnauthorizedCerts) connection.skipSslCertificateValidation = true;
	const proxy = String(options.proxy ?? '').trim();
	if (proxy !== '') connection.proxy = parseProxy(context, proxy);
	const { batchSize = -1, batchInterval = 0 } = options.batching?.batch ?? {};
	const batch = batchSize >= 0 && batchInterval > 0 ? { size: Math.max(1, batchSize), intervalMs: batchInterval } : undefined;
	return { connection, batch };
}

function parseProxy(context: IExecuteFunctions, value: string): ProxySettings {
	const parsed = parseProxyOption(value);
	if ('problem' in parsed) throw invalidField(context.getNode(), 0, 'Proxy', parsed.problem);
	return parsed.proxy;
}

function errorItem(error: unknown): IDataObject {
	const { message, description } = error as Error & { description?: string };
	return description ? { error: message, details: description } : { error: message };
}

/**
 * The node's execute(): the chosen operation for every input item, in input order, a bounded
 * number at a time, through one client (credential read once, one session per API user). Without
 * Continue On Fail, the first failed item stops the run: no later item is sent.
 */
export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const spec = operations.get(`${resource}:${operation}`);
	if (!spec) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not known for the resource "${resource}"`);
	const { connection, batch } = readRequestOptions(this);
	const client = await ApiClient.open(this, connection);
	const continueOnFail = this.continueOnFail();

	const results: INodeExecutionData[][] = new Array(items.length);
	let next = 0;
	let failure: { itemIndex: number; error: unknown } | undefined;
	let skipped = 0;
	// Hands out item indexes in order; with n8n's batching option, waits between batches. A stopped
	// execution hands out nothing more.
	let dispatch: Promise<number | undefined> = Promise.resolve(undefined);
	const take = () =>
		(dispatch = dispatch.then(async () => {
			if (failure || client.cancelled || next >= items.length) return undefined;
			const itemIndex = next++;
			if (batch && itemIndex > 0 && itemIndex % batch.size === 0) await sleep(batch.intervalMs);
			return failure || client.cancelled ? undefined : itemIndex;
		}));
	// Items that address the same record are written one after another, in input order.
	const records = new RecordQueue();

	const limit = Math.min(inFlightLimit(spec, continueOnFail), items.length);
	const workers: Array<Promise<void>> = [];
	const worker = async () => {
		for (let itemIndex = await take(); itemIndex !== undefined; itemIndex = await take()) {
			const pairedItem = { item: itemIndex };
			const context = itemContext(this, itemIndex, client.settings.accountTimeZone);
			const done = await records.enter(recordKey(context, spec));
			try {
				if (client.cancelled || (failure && !continueOnFail)) {
					skipped++;
					continue;
				}
				const output = await runOperation(context, spec, client);
				results[itemIndex] = output.map((json) => ({ json, pairedItem }));
			} catch (error) {
				if (client.cancelled) continue;
				if (!continueOnFail) {
					if (!failure || itemIndex < failure.itemIndex) failure = { itemIndex, error };
					continue;
				}
				results[itemIndex] = [{ json: errorItem(error), pairedItem }];
			} finally {
				done();
			}
			if (workers.length < limit) workers.push(worker());
		}
	};
	workers.push(worker());
	for (let awaited = 0; awaited < workers.length; awaited++) await workers[awaited];

	if (client.cancelled) {
		throw new NodeOperationError(this.getNode(), 'The execution was stopped', {
			description: `Items not started when it was stopped were not sent (${items.length - next + skipped} of ${items.length}).`,
		});
	}
	if (failure) throw stoppedAt(this, failure.itemIndex, failure.error, items.length - next + skipped);
	return [results.flat()];
}

/** One line of waiting per record: an item enters when the items before it for that record are done. */
class RecordQueue {
	private readonly tails = new Map<string, Promise<void>>();

	async enter(key: string | undefined): Promise<() => void> {
		if (key === undefined) return () => {};
		const before = this.tails.get(key) ?? Promise.resolve();
		let leave!: () => void;
		const mine = new Promise<void>((resolve) => (leave = resolve));
		const tail = before.then(async () => await mine);
		this.tails.set(key, tail);
		await before;
		return () => {
			leave();
			if (this.tails.get(key) === tail) this.tails.delete(key);
		};
	}
}

/** The failed item's error, saying that nothing after it was sent. */
function stoppedAt(context: IExecuteFunctions, itemIndex: number, error: unknown, notSent: number): NodeApiError | NodeOperationError {
	const nodeError =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(context.getNode(), error as Error, { itemIndex });
	nodeError.context.itemIndex = itemIndex;
	if (notSent > 0) {
		const stop = `Item ${itemIndex} failed, so the ${notSent} later item${notSent === 1 ? ' was' : 's were'} not sent.`;
		nodeError.description = [stop, nodeError.description].filter(Boolean).join(' ');
	}
	return nodeError;
}
