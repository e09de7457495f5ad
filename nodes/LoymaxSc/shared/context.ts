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

/** One item's view of the node's execution: parameters are read for that item only, when asked. */
export function itemContext(context: IExecuteFunctions, itemIndex: number, accountTimeZone?: string): ItemContext {
	const getNodeParameter = (name: string, fallback?: unknown, options?: IGetNodeParameterOptions) =>
		context.getNodeParameter(name, itemIndex, fallback, options);
	return {
		getNodeParameter: getNodeParameter as ItemContext['getNodeParameter'],
		getNode: () => context.getNode(),
		getItemIndex: () => itemIndex,
		getTimezone: () => context.getTimezone(),
		accountTimeZone: () => accountTimeZone,
		warn: (message) => context.logger.warn(message, { node: context.getNode().name }),
	};
}
