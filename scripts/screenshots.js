#!/usr/bin/env node
'use strict';
/**
 * `npm run screenshots` — pictures of the node in the real n8n editor for the README, and an
 * editor smoke test of the package as users install it.
 *
 *  1. builds and packs the package; reads the node descriptions from dist/ (every action, and the
 *     trigger when the package has one),
 *  2. starts the sandbox and n8n 2.41.1 (installed into the cache on first use, like `npm run dev`)
 *     with the package installed as a community package, a credential and a small workflow,
 *  3. drives the editor in headless Chromium (Debian's `chromium`, through playwright-core): in a
 *     new workflow, searches "Loymax" in the nodes panel and opens the node's triggers and
 *     actions; runs the small workflow and opens its output; adds Customer → Create or Update
 *     after it; saves docs/images/{nodes-panel-actions,execution-output,customer-create-or-update}.png,
 *  4. fails when the panel misses an action or a trigger event, or when the browser logs an error
 *     that mentions the package (or a request for one of its files fails). Requests that would
 *     leave the machine are blocked.
 *
 * Options: --out=<folder> (default docs/images), --chromium=<path> (default $CHROMIUM_PATH, else
 * chromium / chromium-browser / google-chrome on PATH), --keep (leave the n8n user folder).
 * Not part of `npm test`: it needs Chromium, takes a few minutes, and follows the editor's markup,
 * which changes between n8n versions.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const { ensureN8n } = require('./n8n-install');
const { N8nHome, packProject, PROJECT_DIR, PACKAGE_NAME, httpJson, freePort, fmtSec, cliArgs } = require('./n8n-run');
const { startSandboxProcess } = require('./sandbox-proc');

const { flag, opt } = cliArgs();
const OUT_DIR = path.resolve(PROJECT_DIR, opt('out') || path.join('docs', 'images'));
const OWNER = { email: 'owner@loymaxsc.local', firstName: 'Demo', lastName: 'Owner', password: 'LoymaxSc-demo1' };
const CREDENTIAL = { id: 'loymaxScShots0001', name: 'Loymax SC sandbox', type: 'loymaxScApi' };
const VIEWPORT = { width: 1440, height: 900 };
const DEMO_NODE = 'Get customers';
const DEMO_LIMIT = 5;
/** The action whose panel is pictured. */
const UPSERT = { resource: 'customer', operation: 'upsert' };
const STEP_TIMEOUT_MS = 60_000;

const step = (s) => process.stdout.write(`▶ ${s}\n`);
const info = (s) => process.stdout.write(`  ${s}\n`);

function findChromium() {
	const explicit = opt('chromium') || process.env.CHROMIUM_PATH;
	if (explicit) return explicit;
	for (const dir of (process.env.PATH || '').split(path.delimiter)) {
		for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
			const file = path.join(dir, name);
			if (fs.existsSync(file)) return file;
		}
	}
	throw new Error('Chromium not found: install it (Debian: apt-get install chromium) or pass --chromium=<path>');
}

/** What the nodes panel must show, read from the built package: node names and every action. */
function packageNodes() {
	const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, 'package.json'), 'utf8'));
	const nodes = pkg.n8n.nodes.map((file) => {
		const exports = require(path.join(PROJECT_DIR, file));
		const NodeClass = Object.values(exports).find((v) => typeof v === 'function');
		return new NodeClass().description;
	});
	const trigger = nodes.find((d) => d.group.includes('trigger'));
	const action = nodes.find((d) => !d.group.includes('trigger'));
	const actions = action.properties
		.filter((p) => p.name === 'operation')
		.flatMap((p) => p.options.map((o) => o.action || o.name));
	const upsertOption = action.properties
		.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(UPSERT.resource))
		.options.find((o) => o.value === UPSERT.operation);
	const upsertLabels = action.properties
		.filter((p) => p.type !== 'notice')
		.filter((p) => p.displayOptions?.show?.resource?.includes(UPSERT.resource) && p.displayOptions.show.operation?.includes(UPSERT.operation))
		.map((p) => p.displayName);
	// The panel groups actions under "<Resource> actions" labels.
	const sectionLabels = action.properties
		.filter((p) => p.name === 'resource')
		.flatMap((p) => p.options.map((o) => `${o.name} actions`.toLowerCase()));
	const triggerEvents = trigger?.properties.find((p) => p.name === 'event' && p.type === 'options')?.options.length;
	return { action, trigger, triggerEvents, actions, sectionLabels, upsertAction: upsertOption.action, upsertLabels };
}

/** Manual Trigger → Loymax SC "Get many customers" (5, simplified). */
function demoWorkflow() {
	return {
		id: 'loymaxScShotsDemo',
		name: 'Loymax SC: first customers',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'b7a1c3e0-5f00-4a00-9000-000000000001',
				name: 'When clicking ‘Execute workflow’',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'b7a1c3e0-5f00-4a00-9000-000000000002',
				name: DEMO_NODE,
				type: `${PACKAGE_NAME}.loymaxSc`,
				typeVersion: 1,
				position: [240, 0],
				credentials: { loymaxScApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
				parameters: { resource: 'customer', operation: 'getAll', returnAll: false, limit: DEMO_LIMIT, simplify: true },
			},
		],
		connections: {
			'When clicking ‘Execute workflow’': { main: [[{ node: DEMO_NODE, type: 'main', index: 0 }]] },
		},
	};
}

/**
 * n8n's editor asks for an optional output schema of every node (its schema preview before a
 * run); a package that ships none gets 404 and n8n carries on without a preview.
 */
const OPTIONAL_SCHEMA = new RegExp(`/schemas/${PACKAGE_NAME}\\.[^/]+/[^/]+/.+\\.json$`);

/**
 * Collects browser errors that concern the package: console errors and uncaught exceptions that
 * mention it, and failed requests for its files. Requests that leave this machine are blocked
 * (the editor looks the package up on the npm registry): they are not the package's errors.
 */
async function watchPackageErrors(context, base) {
	const errors = [];
	const notes = new Set();
	const local = (url) => !url || url.startsWith(base);
	await context.route(
		(url) => !local(url.href),
		(route) => route.abort('blockedbyclient'),
	);
	const mentions = (s) => /loymax/i.test(s || '');
	const record = (url, text) => {
		if (OPTIONAL_SCHEMA.test(new URL(url, base).pathname)) notes.add(`no output schema for the preview: ${new URL(url, base).pathname}`);
		else errors.push(text);
	};
	context.on('console', (msg) => {
		const where = msg.location()?.url || '';
		if (msg.type() === 'error' && local(where) && (mentions(msg.text()) || mentions(where))) record(where, `console: ${msg.text()} (${where})`);
	});
	context.on('weberror', (e) => {
		const err = e.error();
		if (mentions(err.stack) || mentions(err.message)) errors.push(`uncaught: ${err.message}`);
	});
	context.on('requestfailed', (req) => {
		if (local(req.url()) && mentions(req.url())) record(req.url(), `request failed: ${req.url()} (${req.failure()?.errorText})`);
	});
	context.on('response', (res) => {
		if (res.status() >= 400 && local(res.url()) && mentions(res.url())) record(res.url(), `HTTP ${res.status()}: ${res.url()}`);
	});
	return { errors, notes };
}

async function shoot(page, name, locator) {
	const file = path.join(OUT_DIR, `${name}.png`);
	await page.waitForTimeout(500); // let panel transitions settle
	await (locator || page).screenshot({ path: file });
	info(`saved ${path.relative(PROJECT_DIR, file)}`);
	return file;
}

/**
 * Texts of every item in the nodes panel's current list. The list is virtualised (only what is
 * in view is in the DOM), so it is scrolled from top to bottom and the texts are collected.
 */
async function collectPanelItems(creator) {
	const items = creator.locator('[data-test-id="item-iterator-item"]');
	const scroller = await items.first().evaluateHandle((el) => {
		for (let n = el.parentElement; n; n = n.parentElement) {
			const style = getComputedStyle(n);
			if (/(auto|scroll)/.test(style.overflowY) && n.scrollHeight > n.clientHeight) return n;
		}
		return document.scrollingElement;
	});
	const seen = new Set();
	await scroller.evaluate((n) => (n.scrollTop = 0));
	for (let i = 0; i < 200; i++) {
		for (const text of await items.allInnerTexts()) seen.add(text.replace(/\s+/g, ' ').trim());
		const atEnd = await scroller.evaluate((n) => {
			const before = n.scrollTop;
			n.scrollTop = Math.min(n.scrollTop + n.clientHeight * 0.7, n.scrollHeight);
			return n.scrollTop === before;
		});
		if (atEnd) break;
		await creator.page().waitForTimeout(150);
	}
	await scroller.evaluate((n) => (n.scrollTop = 0));
	await creator.page().waitForTimeout(300);
	return [...seen];
}

async function driveEditor({ base, chromiumPath, expected, workflowId }) {
	const { chromium } = require('playwright-core');
	const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
	const problems = [];
	let page;
	try {
		const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, baseURL: base });
		context.setDefaultTimeout(STEP_TIMEOUT_MS);
		const login = await context.request.post('/rest/login', {
			data: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
		});
		if (!login.ok()) throw new Error(`login failed: ${login.status()} ${(await login.text()).slice(0, 300)}`);
		const watch = await watchPackageErrors(context, base);
		page = await context.newPage();
		const byTestId = (id) => page.locator(`[data-test-id="${id}"]`);
		const canvasNode = (name) => page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
		const ndv = byTestId('ndv');

		const creator = byTestId('node-creator');
		const names = creator.locator('[data-test-id="node-creator-item-name"]');
		const items = creator.locator('[data-test-id="item-iterator-item"]');
		const searchLoymax = async () => {
			await creator.waitFor();
			await byTestId('node-creator-search-bar').fill('Loymax');
			await names.filter({ hasText: expected.action.displayName }).first().waitFor();
			await page.waitForTimeout(500);
			return (await names.allInnerTexts()).map((s) => s.trim());
		};
		const header = (label) => creator.getByText(new RegExp(`^\\s*${label} \\(\\d+\\)`)).first();
		const headerCount = async (label) => Number((await header(label).innerText()).match(/\((\d+)\)/)[1]);
		const firstAction = () => items.filter({ hasText: expected.actions[0] }).first();
		/** Opens the node's triggers and actions view, with the actions expanded. */
		const openInPanel = async (displayName) => {
			await names.filter({ hasText: new RegExp(`^\\s*${displayName}\\s*$`) }).first().click();
			await header('Actions').waitFor();
			if (!(await firstAction().isVisible())) await header('Actions').click();
			await firstAction().waitFor();
		};

		// A new workflow's first step: the panel offers triggers and actions.
		step('Nodes panel of a new workflow: searching "Loymax"');
		await page.goto('/workflow/new');
		await byTestId('canvas-plus-button').click();
		const found = await searchLoymax();
		info(`search results: ${found.join(', ')}`);
		// n8n lists a node and its trigger as one entry, under the node's name.
		if (!found.includes(expected.action.displayName)) problems.push(`"${expected.action.displayName}" is not among the search results`);

		step(`Triggers and actions of ${expected.action.displayName}`);
		await openInPanel(expected.action.displayName);
		const listed = await collectPanelItems(creator);
		const missing = expected.actions.filter((a) => !listed.includes(a));
		info(`actions listed: ${expected.actions.length - missing.length} of ${expected.actions.length} (header: ${await headerCount('Actions')})`);
		if (missing.length) problems.push(`actions missing from the panel: ${missing.join('; ')}`);
		if (expected.trigger) {
			// n8n turns each option of the trigger's Event parameter into an "On ..." entry.
			const triggers = listed.filter((l) => !expected.actions.includes(l) && !expected.sectionLabels.includes(l.toLowerCase()));
			const want = expected.triggerEvents || 1;
			const shown = (await header('Triggers').isVisible()) ? await headerCount('Triggers') : 0;
			info(`triggers listed: ${shown} of ${want}: ${triggers.join('; ')}`);
			if (shown !== want || triggers.length !== want) problems.push(`the panel lists ${triggers.length} triggers of "${expected.trigger.displayName}", expected ${want}`);
			// Collapse them so that the picture shows both headers and the first actions.
			if (shown) await header('Triggers').click();
		}
		await shoot(page, 'nodes-panel-actions');

		step('Running the demo workflow');
		await page.goto(`/workflow/${workflowId}`);
		await canvasNode(DEMO_NODE).waitFor();
		await byTestId('execute-workflow-button').click();
		// The node's output handle then reads "5 items".
		await byTestId('canvas-wrapper').getByText(`${DEMO_LIMIT} items`, { exact: true }).first().waitFor();
		await canvasNode(DEMO_NODE).dblclick();
		await ndv.waitFor();
		await ndv.getByText(`${DEMO_LIMIT} items`).first().waitFor();
		await shoot(page, 'execution-output');
		await page.keyboard.press('Escape');
		await ndv.waitFor({ state: 'hidden' });

		// After the demo node, so that its output is the new node's input.
		await page
			.locator(`[data-test-id="canvas-node-output-handle"][data-node-name="${DEMO_NODE}"] [data-test-id="canvas-handle-plus"]`)
			.first()
			.click();
		await searchLoymax();
		await openInPanel(expected.action.displayName);
		step(`${expected.upsertAction}`);
		await items.filter({ hasText: expected.upsertAction }).first().click();
		await ndv.waitFor();
		for (const label of expected.upsertLabels) await ndv.getByText(label, { exact: true }).first().waitFor();
		await shoot(page, 'customer-create-or-update');

		for (const note of watch.notes) info(`note: ${note}`);
		problems.push(...[...new Set(watch.errors)].map((e) => `browser: ${e}`));
	} catch (e) {
		// Keep what the editor showed when a step failed: it usually says why.
		const file = path.join(os.tmpdir(), 'loymaxsc-screenshots-failure.png');
		if (page) await page.screenshot({ path: file }).catch(() => undefined);
		e.message += `\n(the editor at that moment: ${file})`;
		throw e;
	} finally {
		await browser.close();
	}
	return problems;
}

async function main() {
	const started = Date.now();
	const chromiumPath = findChromium();
	fs.mkdirSync(OUT_DIR, { recursive: true });

	step('Building and packing the package');
	const tarball = await packProject();
	const expected = packageNodes();
	info(`${expected.action.displayName}: ${expected.actions.length} actions; trigger: ${expected.trigger ? expected.trigger.displayName : 'none in this package'}`);

	step('Starting the sandbox and n8n');
	const sb = await startSandboxProcess({ port: 0 });
	let home;
	try {
		const inst = await ensureN8n('n8n2');
		home = await N8nHome.create(inst, { keep: flag('keep') });
		if (flag('keep')) info(`n8n user folder (kept): ${home.userFolder}`);
		await home.installPackage(tarball);
		await home.importCredentials([{ ...CREDENTIAL, data: { baseUrl: sb.url, username: sb.username, password: sb.password } }]);
		const workflowId = await home.importWorkflow(demoWorkflow());
		const port = await freePort();
		const server = await home.start({ port, echo: false });
		const base = `http://127.0.0.1:${port}`;
		const setup = await httpJson('POST', `${base}/rest/owner/setup`, OWNER);
		if (setup.status >= 400) throw new Error(`owner setup failed: ${setup.status} ${setup.text.slice(0, 300)}`);
		info(`n8n ${inst.version} at ${base} (${fmtSec(Date.now() - started)} so far)`);

		const t = Date.now();
		const problems = await driveEditor({ base, chromiumPath, expected, workflowId });
		info(`editor steps took ${fmtSec(Date.now() - t)}`);
		await server.stop();
		if (problems.length) {
			process.stderr.write(`\n✖ ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
			process.exitCode = 1;
		} else {
			process.stdout.write(`\n✔ screenshots in ${path.relative(PROJECT_DIR, OUT_DIR)}/, editor checks passed (${fmtSec(Date.now() - started)})\n`);
		}
	} finally {
		if (home) await home.cleanup();
		await sb.stop();
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	}
}

main().catch((e) => {
	process.stderr.write(`\n✖ ${e.stack || e.message}\n`);
	process.exit(1);
});
