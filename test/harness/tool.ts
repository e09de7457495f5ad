import { createNodeAsTool } from 'n8n-core/dist/execution-engine/node-execution-context/utils/create-node-as-tool';
import {
	deepCopy,
	FROM_AI_AUTO_GENERATED_MARKER,
	NodeConnectionTypes,
	NodeHelpers,
	type IDataObject,
	type INode,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
} from 'n8n-workflow';

import { LoymaxSc } from '../../nodes/LoymaxSc/LoymaxSc.node';

/**
 * The tool variant n8n builds from a `usableAsTool` node (n8n's `convertNodeToAiTool`, read in
 * n8n 2.41): the name gains "Tool" (which is what the `@tool` display option tests), the node
 * outputs `ai_tool`, and "Tool Description" (auto / manual) comes first. It runs the same execute().
 */
export function toolVariant(nodeType: INodeType = new LoymaxSc()): INodeType {
	const description = deepCopy(nodeType.description);
	description.name += 'Tool';
	description.displayName += ' Tool';
	description.inputs = [];
	description.outputs = [NodeConnectionTypes.AiTool];
	delete description.usableAsTool;
	const descriptionType: INodeProperties = {
		displayName: 'Tool Description',
		name: 'descriptionType',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Set Automatically', value: 'auto' },
			{ name: 'Set Manually', value: 'manual' },
		],
		default: 'auto',
	};
	const toolDescription: INodeProperties = {
		displayName: 'Description',
		name: 'toolDescription',
		type: 'string',
		default: description.description,
		required: true,
		displayOptions: { show: { descriptionType: ['manual'] } },
	};
	description.properties = [descriptionType, toolDescription, ...description.properties];
	return { description, execute: nodeType.execute, methods: nodeType.methods };
}

/** The parameters n8n keeps for a node of this type: defaults added, hidden ones dropped. */
export function storedParameters(nodeType: INodeType, parameters: INodeParameters): INodeParameters {
	const node = { typeVersion: 1, parameters } as unknown as INode;
	return NodeHelpers.getNodeParameters(nodeType.description.properties, parameters, true, false, node, nodeType.description) ?? {};
}

/**
 * What the editor's "Let the model define this parameter" button writes: the key is the field's
 * label with every other character than letters, digits and `-` turned into `_`, the description
 * empty, the type `number`/`boolean`/`json` for those fields and `string` otherwise.
 */
export function fromAi(label: string, type: 'string' | 'number' | 'boolean' | 'json' = 'string', description = ''): string {
	const key = label.replace(/[^a-zA-Z0-9-]/g, '_').slice(0, 63);
	return `={{ ${FROM_AI_AUTO_GENERATED_MARKER} $fromAI('${key}', \`${description}\`, '${type}') }}`;
}

/** OpenAI's function tool, as the OpenAI Chat Model node sends it in `tools`. */
export interface ModelTool {
	type: 'function';
	function: { name: string; description: string; parameters: IDataObject; strict: boolean };
}

/**
 * The tool a model is offered for a Loymax SC tool node with these parameters, built by n8n-core's
 * own code (createNodeAsTool: name from the node name, description from the operation's action,
 * one required argument per `$fromAI`) and converted as the OpenAI Chat Model node's LangChain
 * binding does (with `strict: false`, as n8n 2.41 sends it). The node is named as n8n names a new
 * one: "<action> in Loymax SC".
 */
export function modelTool(parameters: INodeParameters): ModelTool {
	const nodeType = toolVariant();
	const stored = storedParameters(nodeType, parameters);
	const node: INode = {
		id: 'tool',
		name: NodeHelpers.makeNodeName(stored, nodeType.description),
		type: 'n8n-nodes-loymaxsc.loymaxScTool',
		typeVersion: 1,
		position: [0, 0],
		parameters: stored,
	};
	const { response: tool } = createNodeAsTool({ node, nodeType, handleToolInvocation: async () => '' } as never);
	// The LangChain copy n8n-core itself uses, as the OpenAI Chat Model node binds tools with it.
	const { convertToOpenAITool } = module.require(
		require.resolve('@langchain/core/utils/function_calling', { paths: [require.resolve('n8n-core')] }),
	) as { convertToOpenAITool: (tool: unknown, fields: { strict: boolean }) => ModelTool };
	return convertToOpenAITool(tool, { strict: false });
}
