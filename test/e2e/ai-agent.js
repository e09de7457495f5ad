'use strict';
/**
 * e2e "ai-agent" (scripts/e2e.js, n8n 2.41 only; `--only=ai-agent` runs it alone): the AI Agent of
 * examples/ai-agent-loymax.json with its three Loymax SC tools, in real n8n, against a scripted
 * OpenAI-compatible model that this module serves on a local port (no network):
 *
 *   headless  the example with its Chat Trigger swapped for a Manual Trigger (test/e2e/headless.js)
 *             and its OpenAI credential pointed at the scripted model. The model answers
 *             POST /chat/completions from the `tools` array n8n sends it, choosing each tool by
 *             the description n8n built from the operation and filling exactly the arguments the
 *             tool declares (from a table of values by argument name):
 *               1. look up customer C-00002;
 *               2. seeing the lookup's result: add marker newsletter_fan and log a
 *                  newsletter_feedback event for C-00002 (two calls in one answer);
 *               3. look up NOPE-404, which the sandbox answers 404;
 *               4. seeing that error as a tool message: a final answer.
 *             Checked: each call reaches the sandbox once with the model's arguments, each result
 *             comes back in the next request's messages, the 404 comes back to the model as a
 *             message while the workflow succeeds, and Output: Selected Fields trims the lookup.
 *   tool list the same agent with tools as the editor's "Let the model define this" button leaves
 *             them (default node names, keys from labels, no descriptions): the tools n8n sends
 *             equal those of test/fixtures/tool-descriptions.json (the jest test's reading).
 */

const fs = require('fs');
const http = require('http');
const path = require('path');
const { makeHeadless } = require('./headless');

const KEY = 'ai-agent';
const NAME = 'ai-agent: Loymax SC tools in the AI Agent (scripted model)';
const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'ai-agent-loymax.json');
const FIXTURE = path.join(__dirname, '..', 'fixtures', 'tool-descriptions.json');
const OPENAI_CREDENTIAL = { id: 'openAiScripted001', name: 'OpenAI (scripted model)', type: 'openAiApi' };
const HEADLESS_ID = 'loymaxExAiAgentCli';
const TOOL_LIST_ID = 'loymaxE2eAiToolList';
const CUSTOMER = 'C-00002';
const MISSING = 'NOPE-404';
const EVENT_DATE = '2025-03-14T10:00:00';
const FINAL_ANSWER = 'Done: C-00002 is tagged newsletter_fan and the event is logged; NOPE-404 does not exist.';

/** The model's side of the conversation: which tool (by the start of its description) with which values. */
const SCRIPT = [
	[{ tool: 'Get a customer', values: { Customer_Local_ID: CUSTOMER } }],
	[
		{ tool: 'Add a marker to a customer', values: { Customer_Local_ID: CUSTOMER, Marker_Name: 'newsletter_fan' } },
		{ tool: 'Create an event', values: { Customer_Local_ID: CUSTOMER, Event_Name: 'newsletter_feedback', Date: EVENT_DATE } },
	],
	[{ tool: 'Get a customer', values: { Customer_Local_ID: MISSING } }],
];

const readExample = () => JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
const readFixture = () => JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));

/** JSON with sorted keys, so that two tools compare whatever order their keys came in. */
function canonical(value) {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object') {
		return `{${Object.keys(value)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value);
}

/** An OpenAI chat completion (or its one-chunk stream) carrying tool calls or a final text. */
function completion(model, message) {
	return {
		id: `chatcmpl-scripted-${Date.now()}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [{ index: 0, message: { role: 'assistant', content: null, ...message }, finish_reason: message.tool_calls ? 'tool_calls' : 'stop' }],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	};
}

function streamChunks(body) {
	const { message, finish_reason: finishReason } = body.choices[0];
	const delta = { role: 'assistant', content: message.content ?? '' };
	if (message.tool_calls) delta.tool_calls = message.tool_calls.map((call, index) => ({ index, ...call }));
	const chunk = (choice) => `data: ${JSON.stringify({ ...body, object: 'chat.completion.chunk', choices: [choice] })}\n\n`;
	return chunk({ index: 0, delta, finish_reason: null }) + chunk({ index: 0, delta: {}, finish_reason: finishReason }) + 'data: [DONE]\n\n';
}

/** Arguments for a tool from the values table: exactly the ones it declares, every one required. */
function argumentsFor(tool, values) {
	const declared = Object.keys(tool.function.parameters?.properties ?? {});
	const missing = declared.filter((name) => !(name in values));
	if (missing.length) throw new Error(`tool "${tool.function.name}" asks for ${JSON.stringify(missing)}, which the script has no value for`);
	return Object.fromEntries(declared.map((name) => [name, values[name]]));
}

/** The next answer: the script step after as many tool results as earlier steps called tools. */
function answer(request, script) {
	const toolResults = request.messages.filter((message) => message.role === 'tool').length;
	let called = 0;
	for (const [index, step] of script.entries()) {
		if (toolResults === called) {
			return {
				tool_calls: step.map((call, n) => {
					const tool = request.tools.find((candidate) => candidate.function.description.startsWith(call.tool));
					if (!tool) throw new Error(`no tool described as "${call.tool}…" among ${JSON.stringify(request.tools.map((t) => t.function.description))}`);
					return { id: `call_${index + 1}_${n + 1}`, type: 'function', function: { name: tool.function.name, arguments: JSON.stringify(argumentsFor(tool, call.values)) } };
				}),
			};
		}
		called += step.length;
	}
	return { content: FINAL_ANSWER };
}

/**
 * The scripted model: `model` "scripted-example" plays SCRIPT, any other model answers at once.
 * Every request is recorded; a request it cannot answer gets a 500 with the reason.
 */
async function startModel() {
	const requests = [];
	const server = http.createServer((req, res) => {
		let text = '';
		req.on('data', (chunk) => (text += chunk));
		req.on('end', () => {
			let body;
			try {
				body = JSON.parse(text || '{}');
				requests.push({ method: req.method, url: req.url, body });
				if (req.method !== 'POST' || !/\/chat\/completions$/.test(req.url)) throw new Error(`unexpected ${req.method} ${req.url}`);
				const reply = completion(body.model, body.model === 'scripted-example' ? answer(body, SCRIPT) : { content: FINAL_ANSWER });
				if (body.stream) {
					res.writeHead(200, { 'content-type': 'text/event-stream' });
					res.end(streamChunks(reply));
				} else {
					res.writeHead(200, { 'content-type': 'application/json' });
					res.end(JSON.stringify(reply));
				}
			} catch (error) {
				requests.push({ method: req.method, url: req.url, body, error: error.message });
				res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: { message: `scripted model: ${error.message}`, type: 'server_error' } }));
			}
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}/v1`,
		requests,
		clear: () => requests.splice(0),
		stop: () => new Promise((resolve) => server.close(resolve)),
	};
}

/** The OpenAI credential, its Base URL at the scripted model. */
const credentials = (modelUrl) => [{ ...OPENAI_CREDENTIAL, data: { apiKey: 'sk-scripted', url: modelUrl } }];

const openAiNode = (workflow) => workflow.nodes.find((node) => node.type === '@n8n/n8n-nodes-langchain.lmChatOpenAi');

/** The example, headless, with the scripted model. */
function headlessExample() {
	const { workflow } = makeHeadless(readExample(), { id: HEADLESS_ID });
	const model = openAiNode(workflow);
	model.credentials = { openAiApi: { id: OPENAI_CREDENTIAL.id, name: OPENAI_CREDENTIAL.name } };
	model.parameters.model = { __rl: true, mode: 'id', value: 'scripted-example' };
	return workflow;
}

/** What the editor's "Let the model define this parameter" button writes (see test/harness/tool.ts). */
const buttonValue = (label) => `={{ /*n8n-auto-generated-fromAI-override*/ $fromAI('${label.replace(/[^a-zA-Z0-9-]/g, '_')}', \`\`, 'string') }}`;

/** Tools as a user adds them: default node names ("<action> in Loymax SC"), fields left to the model. */
const TOOL_LIST = {
	'customer.get': { name: 'Get a customer in Loymax SC', parameters: { resource: 'customer', operation: 'get', customerId: buttonValue('Customer Local ID') } },
	'customerMarker.add': {
		name: 'Add a marker to a customer in Loymax SC',
		parameters: { resource: 'customerMarker', operation: 'add', customerId: buttonValue('Customer Local ID'), markerName: buttonValue('Marker Name') },
	},
	'event.create': {
		name: 'Create an event of a configured type in Loymax SC',
		parameters: { resource: 'event', operation: 'create', name: buttonValue('Event Name'), date: buttonValue('Date'), additionalFields: { clientId: buttonValue('Customer Local ID') } },
	},
};

function toolListWorkflow() {
	const workflow = headlessExample();
	workflow.id = TOOL_LIST_ID;
	workflow.name = 'Loymax SC e2e: the tools n8n offers the model';
	openAiNode(workflow).parameters.model.value = 'scripted-tool-list';
	const template = workflow.nodes.find((node) => node.type === 'n8n-nodes-loymaxsc.loymaxScTool');
	const agent = workflow.nodes.find((node) => node.type === '@n8n/n8n-nodes-langchain.agent').name;
	const tools = Object.values(TOOL_LIST).map(({ name, parameters }, i) => ({
		...template,
		id: `00000000-0000-4000-8000-0000000a1e0${i + 1}`,
		name,
		position: [300 + 160 * i, 480],
		parameters,
	}));
	workflow.nodes = [...workflow.nodes.filter((node) => node.type !== 'n8n-nodes-loymaxsc.loymaxScTool'), ...tools];
	for (const [source, outputs] of Object.entries(workflow.connections)) if (outputs.ai_tool) delete workflow.connections[source];
	for (const tool of tools) workflow.connections[tool.name] = { ai_tool: [[{ node: agent, type: 'ai_tool', index: 0 }]] };
	return workflow;
}

/** The example as users import it, its headless variant and the tool-list workflow. */
const workflows = () => [readExample(), headlessExample(), toolListWorkflow()];

const decode = (p) => {
	try {
		return decodeURIComponent(p);
	} catch {
		return p;
	}
};
const attributesOf = (body) => body?.data?.attributes ?? body ?? {};
const toolMessages = (request) => request.body.messages.filter((message) => message.role === 'tool');
const parseContent = (message) => {
	try {
		return JSON.parse(typeof message.content === 'string' ? message.content : JSON.stringify(message.content));
	} catch {
		return message.content;
	}
};

async function runExample({ home, api, model, expect, note }) {
	await api.reset();
	await api.clearLog();
	model.clear();
	const run = await home.execute(HEADLESS_ID);
	const log = (await api.log()).filter((entry) => !/^\/+token\/?$/.test(entry.path));
	const requests = model.requests;
	expect(run.ok, `the agent workflow failed:\n${run.ok ? '' : run.describeFailure()}`);
	expect(!requests.some((request) => request.error), `the scripted model could not answer: ${requests.filter((r) => r.error).map((r) => r.error).join('; ')}`);
	expect(requests.length === 4, `the model was asked ${requests.length} times, expected 4 (lookup, marker + event, failing lookup, final answer)`);
	const output = run.nodeOutput('AI Agent') || [];
	expect(output[0]?.output === FINAL_ANSWER, `the agent's output is ${JSON.stringify(output[0]).slice(0, 300)}, expected the model's final answer`);

	// What the model was offered: three tools (in no particular order), described by their operations.
	const offered = (requests[0]?.body.tools ?? [])
		.map((tool) => [tool.function.name, tool.function.description, Object.keys(tool.function.parameters?.properties ?? {}).sort()])
		.sort();
	expect(
		canonical(offered) ===
			canonical([
				['Add_marker', 'Add a marker to a customer in Loymax SC', ['Customer_Local_ID', 'Marker_Name']],
				['Log_event', 'Create an event of a configured type in Loymax SC', ['Customer_Local_ID', 'Date', 'Event_Name']],
				['Look_up_customer', 'Get a customer in Loymax SC', ['Customer_Local_ID']],
			]),
		`the model was offered ${JSON.stringify(offered)}`,
	);

	// Each tool call reached the sandbox once, with the model's arguments.
	const calls = (method, re) => log.filter((entry) => entry.method === method && re.test(decode(entry.path)));
	const lookups = calls('GET', new RegExp(`^/customer/${CUSTOMER}/?$`));
	const markers = calls('POST', new RegExp(`^/customer/${CUSTOMER}/marker/?$`));
	const events = calls('POST', /^\/event\/?$/);
	const missing = calls('GET', new RegExp(`^/customer/${MISSING}/?$`));
	// Two reads of C-00002: the lookup tool's, and the marker's own read of the Platform Customer ID.
	expect(lookups.length === 2 && lookups.every((entry) => entry.status === 200), `GET /customer/${CUSTOMER}: ${lookups.map((e) => e.status)} (expected the lookup and the marker's Platform ID read, 200)`);
	expect(markers.length === 1 && markers[0].status === 201 && attributesOf(markers[0].body).name === 'newsletter_fan', `POST marker: ${JSON.stringify(markers.map((e) => [e.status, attributesOf(e.body)]))}`);
	const event = attributesOf(events[0]?.body);
	expect(
		events.length === 1 && events[0].status === 201 && event.name === 'newsletter_feedback' && event.client_id === CUSTOMER && event.date === '2025-03-14 10:00:00',
		`POST /event: ${JSON.stringify(events.map((e) => [e.status, attributesOf(e.body)]))} (expected newsletter_feedback for ${CUSTOMER} at 2025-03-14 10:00:00)`,
	);
	expect(missing.length === 1 && missing[0].status === 404, `GET /customer/${MISSING}: ${missing.map((e) => e.status)} (expected one 404, not repeated)`);
	const others = log.filter((entry) => ![...lookups, ...markers, ...events, ...missing].includes(entry));
	expect(others.length === 0, `unexpected requests: ${JSON.stringify(others.map((e) => `${e.method} ${e.path} ${e.status}`))}`);

	// Each result went back to the model in its next request, and the Output choice trimmed it.
	const [lookupResult] = toolMessages(requests[1] ?? { body: { messages: [] } });
	const record = parseContent(lookupResult ?? {})?.[0] ?? {};
	const stored = (await api.getOne(`/customer/${CUSTOMER}`)) ?? {};
	const selected = ['id', 'local_id', 'first_name', 'last_name', 'email', 'phone', 'city', 'order_cnt', 'order_sum'];
	expect(lookupResult?.tool_call_id === 'call_1_1', `request 2 carries the lookup's result for call_1_1 (got ${JSON.stringify(lookupResult).slice(0, 200)})`);
	expect(canonical(Object.keys(record).sort()) === canonical([...selected].sort()), `the lookup result has ${JSON.stringify(Object.keys(record))}, expected Output: Selected Fields ${JSON.stringify(selected)}`);
	expect(record.local_id === CUSTOMER && record.email === stored.email && record.id === stored.id, `the lookup result ${JSON.stringify(record)} is not customer ${CUSTOMER} as stored`);
	const second = toolMessages(requests[2] ?? { body: { messages: [] } }).slice(1);
	const markerResult = parseContent(second.find((message) => message.tool_call_id === 'call_2_1') ?? {})?.[0];
	const eventResult = parseContent(second.find((message) => message.tool_call_id === 'call_2_2') ?? {})?.[0];
	expect(markerResult?.name === 'newsletter_fan' && markerResult?.type === 'marker', `request 3 carries the marker's result (got ${JSON.stringify(markerResult)})`);
	expect(eventResult?.name === 'newsletter_feedback' && /^\d+$/.test(String(eventResult?.id)), `request 3 carries the event's result with its Loymax SC id (got ${JSON.stringify(eventResult)})`);
	const failure = toolMessages(requests[3] ?? { body: { messages: [] } }).find((message) => message.tool_call_id === 'call_3_1');
	const failureText = JSON.stringify(parseContent(failure ?? {}));
	expect(/Not Found/.test(failureText) && failureText.includes(`Customer Local ID \\"${MISSING}\\"`), `request 4 carries the 404 as a tool message naming the ID (got ${failureText})`);

	note(`4 model requests, ${log.length} API requests; lookup sent ${Object.keys(record).length} of the record's ${Object.keys(stored).length} fields (${String(lookupResult?.content ?? '').length} characters; the whole record ${JSON.stringify([stored]).length}); the 404 came back as ${failureText.slice(0, 160)}`);
	note(`agent run ${(run.took / 1000).toFixed(1)}s incl. n8n start-up`);
}

async function runToolList({ home, model, expect, note }) {
	model.clear();
	const run = await home.execute(TOOL_LIST_ID);
	expect(run.ok, `the tool-list workflow failed:\n${run.ok ? '' : run.describeFailure()}`);
	const tools = model.requests[0]?.body.tools ?? [];
	const fixture = readFixture();
	let equal = 0;
	for (const [key, { name }] of Object.entries(TOOL_LIST)) {
		const sent = tools.find((tool) => tool.function.name === name.replace(/[^a-zA-Z0-9_-]+/g, '_'));
		const same = sent !== undefined && canonical(sent) === canonical(fixture[key]);
		if (same) equal++;
		expect(same, `n8n sent ${JSON.stringify(sent)} for ${key}; test/fixtures/tool-descriptions.json has ${JSON.stringify(fixture[key])}`);
	}
	expect(tools.length === Object.keys(TOOL_LIST).length, `n8n offered ${tools.length} tools, expected ${Object.keys(TOOL_LIST).length}`);
	note(`tool list: n8n 2.41 sent ${tools.length} tools, ${equal} equal to test/fixtures/tool-descriptions.json (${Object.keys(TOOL_LIST).join(', ')})`);
}

async function run(context) {
	await runExample(context);
	await runToolList(context);
}

module.exports = { key: KEY, name: NAME, startModel, credentials, workflows, run, SCRIPT, answer };
