import type { IExecuteFunctions, IExecuteSingleFunctions, IGetNodeParameterOptions } from 'n8n-workflow';

/** What reading one item's input needs: its parameters, the node (for errors) and the time zones. */
export type ItemContext = Pick<IExecuteSingleFunctions, 'getNodeParameter' | 'getNode' | 'getItemIndex' | 'getTimezone'> & {
	/** The Loymax SC account's time zone from the credential; undefined = the workflow's. */
	accountTimeZone(): string | undefined;
	/** Writes a warning to n8n's log. */
	warn?(message: string): void;
};

/**
 * Whether the node runs as an AI Agent tool: n8n gives the tool variant the node's type name plus
 * "Tool" (the same test as its `@tool` display option).
 */
export const runsAsTool = (context: Pick<ItemContext, 'getNode'>) => context.getNode().type.endsWith('Tool');

/**
 * One item's view of the node's execution: parameters are read for that item only, when asked. A
 * plain value read once is kept: the router reads an item's IDs to order writes to one record, and
 * the operation reads them again, and n8n evaluates expressions on every read.
 */
export function itemContext(context: IExecuteFunctions, itemIndex: number, accountTimeZone?: string): ItemContext {
	const read = new Map<string, unknown>();
	const getNodeParameter = (name: string, fallback?: unknown, options?: IGetNodeParameterOptions) => {
		const key = JSON.stringify([name, fallback ?? null, options ?? null]);
		if (read.has(key)) return read.get(key);
		const value = context.getNodeParameter(name, itemIndex, fallback, options);
		// Objects are handed out afresh: a caller may change what it gets.
		if (value === null || typeof value !== 'object') read.set(key, value);
		return value;
	};
	return {
		getNodeParameter: getNodeParameter as ItemContext['getNodeParameter'],
		getNode: () => context.getNode(),
		getItemIndex: () => itemIndex,
		getTimezone: () => context.getTimezone(),
		accountTimeZone: () => accountTimeZone,
		warn: (message) => context.logger.warn(message, { node: context.getNode().name }),
	};
}
