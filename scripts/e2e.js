#!/usr/bin/env node
'use strict';
/**
 * `npm run test:e2e` — the examples in examples/ against REAL n8n, for two n8n versions:
 *   n8n2    n8n 2.41.1 on Node 24 (Node from the npm registry)
 *   node20  n8n 2.8.4 on the machine's Node 20 (newest n8n whose engines accept Node 20)
 *
 * For each version: install n8n (cached, see scripts/n8n-install.js), install the packed package
 * into a fresh N8N_USER_FOLDER as a community package, import the credential and the examples
 * (headless variants: test/e2e/headless.js), `n8n execute` each, and check real outputs and the
 * sandbox state (test/e2e/scenarios.js). Prints PASS/FAIL per version/workflow and timings; exit
 * code 1 on any failure, including a version that cannot be installed or started.
 *
 * Then "credential: token renewed before expiry" (test/e2e/token-renewal.js): 4 s tokens, a
 * second credential paced at 600/min, one execution longer than a token's life; the node must
 * renew before expiry through n8n's preAuthentication (saved in n8n's database), no 401.
 *
 * Then "contract: the node adapts to the API's reading" (test/e2e/contract.js): the sandbox switched
 * to other readings of the reference (query-only login, plain token, flat bodies, empty write
 * answers); the default credential must work at the first try, at one refused request per group.
 *
 * On n8n 2.41 also the bulk checks (test/e2e/bulk.js): 5 000 upserts stored exactly once with
 * paired output, and a Get Many of 10 000 in at most 101 requests; and the transport checks
 * (test/e2e/transport.js): credentials sharing a username stay apart, a login under a slow budget,
 * concurrent updates of one record, and a stopped run that stops sending.
 *
 * The sign-up example also runs with its real Form Trigger on `n8n start` (activated, the form
 * submitted over HTTP).
 *
 * Every version's install starts at once, side by side (a no-op when cached), while the package is
 * built; the checks start when all are ready, so no compile competes with them for the CPU.
 *
 * Options: --target=n8n2,node20 (or env N8N_E2E_TARGETS)  --only=form-signup,token-renewal,contract,transport,stop,...  --keep (keep the
 * n8n user folders)  --no-build (pack the existing dist/)  --no-live (skip the `n8n start` part)
 * --verbose (n8n/npm output)
 * Env: N8N_E2E_CACHE (install cache), SANDBOX_ORDERS (default 130: more than one page of 100),
 * N8N_E2E_TIMINGS_FILE (write what each phase took there, as JSON: scripts/test.js prints it)
 */

const fs = require('fs');
const path = require('path');
const { ensureN8n, TARGETS, DEFAULT_TARGETS } = require('./n8n-install');
const { N8nHome, packProject, PACKAGE_NAME, fmtSec, cliArgs } = require('./n8n-run');
const trigger = require('../test/e2e/trigger');
const { startSandboxProcess, SandboxClient } = require('./sandbox-proc');
const { scenarios, readExample } = require('../test/e2e/scenarios');
const tokenRenewal = require('../test/e2e/token-renewal');
const bulk = require('../test/e2e/bulk');
const transport = require('../test/e2e/transport');
const queueMode = require('../test/e2e/queue-mode'); // n8n2 only; N8N_E2E_QUEUE=0 skips it
const aiAgent = require('../test/e2e/ai-agent'); // n8n2 only
const contract = require('../test/e2e/contract');

const { flag, opt } = cliArgs();
if (flag('verbose')) process.env.N8N_E2E_VERBOSE = '1';

const targetNames = (opt('target') || process.env.N8N_E2E_TARGETS || DEFAULT_TARGETS.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
const onlyScenarios = opt('only') ? opt('only').split(',') : undefined;
const runTokenRenewal = !onlyScenarios || onlyScenarios.includes(tokenRenewal.key);
const runContract = !onlyScenarios || onlyScenarios.includes(contract.key);
// Bulk jobs run on n8n 2.41 (the version users run; the Node 20 target repeats the examples only).
const runBulk = (name) => name === 'n8n2' && (!onlyScenarios || onlyScenarios.includes(bulk.key));
const runAiAgent = (name) => name === 'n8n2' && (!onlyScenarios || onlyScenarios.includes(aiAgent.key));
// The transport checks (test/e2e/transport.js) likewise; `stop` needs `n8n start` (skipped by --no-live).
const transportChecks = (name) => (name === 'n8n2' ? transport.selected(onlyScenarios).filter((check) => !(check.live && flag('no-live'))) : []);
const CREDENTIAL = { id: 'loymaxScSandbox01', name: 'Loymax SC sandbox', type: 'loymaxScApi' };

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, s) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
const PASS = paint('32;1', 'PASS');
const FAIL = paint('31;1', 'FAIL');
const say = (s = '') => process.stdout.write(`${s}\n`);

/** A check's `expect`/`note` functions, collecting into `res`. */
function collector(res) {
	return {
		expect: (cond, msg) => {
			if (!cond) res.failures.push(msg);
		},
		note: (msg) => res.notes.push(msg),
	};
}

function printResult(res, detail) {
	say(`  ${res.failures.length ? FAIL : PASS} ${res.name}${detail ? `  (${detail})` : ''}`);
	for (const n of res.notes) say(`        ${n}`);
	for (const f of res.failures) say(`        - ${f.split('\n').join('\n          ')}`);
}

/** Runs one named check, records it in the report with its time, and prints it. */
async function runCheck(report, name, body) {
	const res = { name, failures: [], notes: [], took: 0 };
	report.results.push(res);
	const started = Date.now();
	try {
		await body(collector(res));
	} catch (e) {
		res.failures.push(`threw: ${e.stack || e.message}`);
	}
	res.took = Date.now() - started;
	printResult(res, fmtSec(res.took));
}

/** Starts the install of target `name`; resolves to { inst, seconds } or { error, seconds }, never rejects. */
function startInstall(name) {
	const t0 = Date.now();
	const seconds = () => (Date.now() - t0) / 1000;
	return ensureN8n(name).then(
		(inst) => ({ inst, seconds: seconds() }),
		(error) => ({ error, seconds: seconds() }),
	);
}

async function runTarget(name, tarball, sb, api, install) {
	const t = TARGETS[name];
	const report = { target: name, label: t ? t.label : name, results: [], times: {} };
	const targetStarted = Date.now();
	say(`\n=== ${report.label} ===`);
	if (!t) {
		report.fatal = `unknown target "${name}" (known: ${Object.keys(TARGETS).join(', ')})`;
		say(`  ${FAIL} ${report.fatal}`);
		return report;
	}
	const { inst, error, seconds } = await install;
	if (error) {
		report.fatal = `cannot install ${t.label}: ${error.message}`;
		say(`  ${FAIL} ${report.fatal.slice(0, 3000)}`);
		return report;
	}
	report.times.install = { seconds, cached: inst.cached };
	report.label = `n8n ${inst.version} on Node ${inst.nodeVersion}`;
	say(`  n8n install: ${inst.cached ? 'cached' : 'cold'}, ${fmtSec(seconds * 1000)} (${inst.dir})`);
	let t0;

	const home = await N8nHome.create(inst, { keep: flag('keep') });
	// The AI Agent's scripted model: its URL goes into the OpenAI credential imported below.
	const model = runAiAgent(name) ? await aiAgent.startModel() : undefined;
	try {
		await api.reset();
		t0 = Date.now();
		await home.installPackage(tarball);
		const pkgDir = path.join(home.nodesDir, 'node_modules', PACKAGE_NAME);
		say(`  package installed as community package (${path.relative(home.userFolder, pkgDir)}), ${fmtSec(Date.now() - t0)}`);
		t0 = Date.now();
		await home.importCredentials([
			{ ...CREDENTIAL, data: { baseUrl: sb.url, username: sb.username, password: sb.password } },
			...(runTokenRenewal ? [tokenRenewal.credential(sb)] : []),
			...(runContract ? contract.credentials(sb) : []),
			...(runBulk(name) ? bulk.credentials(sb) : []),
			...(model ? aiAgent.credentials(model.url) : []),
			...transportChecks(name).flatMap((check) => check.credentials(sb)),
		]);
		const prepared = [];
		for (const sc of scenarios) {
			if (onlyScenarios && !onlyScenarios.includes(sc.name)) continue;
			try {
				prepared.push({ sc, variants: sc.build() });
			} catch (e) {
				prepared.push({ sc, buildError: e });
			}
		}
		// The example files as users import them, plus the headless variants n8n execute can run.
		const originals = prepared.map((p) => readExample(p.sc.file));
		const variants = prepared.flatMap((p) => (p.variants || []).map((v) => v.workflow));
		const extra = [
			...(runTokenRenewal ? [tokenRenewal.workflow()] : []),
			...(runBulk(name) ? bulk.workflows(CREDENTIAL, sb, (await bulk.startProxy()).url) : []),
			...(model ? aiAgent.workflows() : []),
			...(runContract ? contract.workflows() : []),
			...transportChecks(name).flatMap((check) => check.workflows(sb)),
		];
		await home.importWorkflows([...originals, ...variants, ...extra]);
		say(
			`  credential${runTokenRenewal ? 's' : ''} + ${originals.length} examples + ${variants.length} headless variants` +
				`${extra.length ? ` + ${extra.length} token-renewal/bulk/transport workflow(s)` : ''} imported, ${fmtSec(Date.now() - t0)}`,
		);

		// Every `n8n execute` is its own process: the token must come from n8n's credential store.
		const apiLogs = [];
		for (const { sc, variants, buildError } of prepared) {
			const res = { name: sc.name, failures: [], notes: [], took: 0 };
			report.results.push(res);
			if (buildError) {
				res.failures.push(`cannot prepare ${sc.file}: ${buildError.message}`);
				say(`  ${FAIL} ${sc.name}: ${res.failures[0]}`);
				continue;
			}
			const runs = [];
			for (const v of variants) {
				await api.clearLog();
				const r = await home.execute(v.workflow.id);
				r.sandboxLog = await api.log();
				apiLogs.push(r.sandboxLog);
				r.label = v.label;
				res.took += r.took;
				runs.push(r);
				if (!r.ok && v === variants[0]) res.failures.push(`execution failed (${v.label}):\n${r.describeFailure()}`);
			}
			if (runs[0].ok) {
				const ctx = { api, ...collector(res) };
				try {
					await sc.check(ctx, runs);
				} catch (e) {
					res.failures.push(`check threw: ${e.stack || e.message}`);
				}
			}
			const variantInfo = variants.map((v, i) => `${v.label}: ${fmtSec(runs[i].took)}`).join('; ');
			printResult(res, variantInfo);
		}

		if (apiLogs.length) {
			await runCheck(report, 'credential: one login across executions', ({ expect, note }) => {
				const entries = apiLogs.flat();
				const logins = entries.filter((e) => e.method === 'POST' && /^\/+token\/?$/.test(e.path)).length;
				const rejected = entries.filter((e) => e.status === 401).length;
				expect(logins === 1, `expected 1 POST /token over ${apiLogs.length} executions, saw ${logins}`);
				expect(!rejected, `${rejected} requests were answered 401`);
				note(`${apiLogs.length} executions, ${entries.length} API requests, ${logins} token call(s), ${rejected} 401s`);
			});
		}

		// Headless as well, after the checks above (it changes the sandbox's token lifetime and uses
		// its own credential): the token is renewed before it expires, within one execution.
		if (runTokenRenewal) await runCheck(report, tokenRenewal.name, (check) => tokenRenewal.run({ home, api, ...check }));
		if (runContract) await runCheck(report, contract.name, (check) => contract.run({ home, api, ...check }));

		if (runBulk(name)) for (const check of bulk.checks) await runCheck(report, check.name, (c) => check.run({ home, api, ...c }));
		// Headless transport checks here; the live one (`stop`) with the other `n8n start` parts below.
		for (const check of transportChecks(name).filter((c) => !c.live)) await runCheck(report, check.name, (c) => check.run({ home, api, ...c }));

		if (model) await runCheck(report, aiAgent.name, (c) => aiAgent.run({ home, api, model, ...c }));

		// Parts that need a running n8n (`n8n start`): real triggers.
		for (const { sc } of prepared) {
			if (!sc.live || flag('no-live')) continue;
			await api.reset();
			await runCheck(report, sc.live.name, (check) => sc.live.run({ home, api, ...check }));
		}
		for (const check of transportChecks(name).filter((c) => c.live)) await runCheck(report, check.name, (c) => check.run({ home, api, ...c }));
		// The Loymax SC Trigger: a published workflow polled by `n8n start` (test/e2e/trigger.js).
		if (!flag('no-live') && (!onlyScenarios || onlyScenarios.includes(trigger.key))) {
			await runCheck(report, trigger.name, (check) => trigger.run({ home, api, ...check }));
		}
	} catch (e) {
		report.fatal = e.stack || e.message;
		say(`  ${FAIL} ${report.fatal.slice(0, 4000)}`);
	} finally {
		if (flag('keep')) say(`  n8n user folder kept: ${home.userFolder}`);
		await model?.stop();
		await home.cleanup();
	}
	// The install ran before (main() waits for all of them): this target's time is its checks'.
	report.times.total = (Date.now() - targetStarted) / 1000;
	report.times.afterInstall = report.times.total;
	return report;
}

async function main() {
	const started = Date.now();
	say(`Loymax SC e2e against real n8n — targets: ${targetNames.join(', ')}${process.env.CI ? ' (CI)' : ''}`);
	for (const s of scenarios) {
		if (!fs.existsSync(path.join(__dirname, '..', 'examples', s.file))) throw new Error(`missing examples/${s.file}`);
	}

	const phases = [];
	const phase = (name, t) => phases.push({ name, seconds: (Date.now() - t) / 1000 });
	const installs = new Map(targetNames.filter((name) => TARGETS[name]).map((name) => [name, startInstall(name)]));

	let t0 = Date.now();
	const tarball = await packProject({ build: !flag('no-build') });
	say(`build + pack: ${fmtSec(Date.now() - t0)} → ${path.basename(tarball)}`);
	phase('build + pack', t0);
	const distNode = path.join(__dirname, '..', 'dist', 'nodes', 'LoymaxSc', 'LoymaxSc.node.js');
	if (!fs.existsSync(distNode)) throw new Error(`the build produced no ${path.relative(process.cwd(), distNode)}`);

	t0 = Date.now();
	const sb = await startSandboxProcess({ port: 0, env: { SANDBOX_ORDERS: process.env.SANDBOX_ORDERS || '130' } });
	const api = new SandboxClient(sb);
	say(`sandbox: ${sb.url} (${fmtSec(Date.now() - t0)})`);
	phase('sandbox start', t0);

	const reports = [];
	const stop = async () => {
		await sb.stop();
	};
	process.on('SIGINT', () => stop().then(() => process.exit(130)));
	try {
		t0 = Date.now();
		await Promise.all(installs.values());
		phase(`waiting for the n8n installs (${[...installs.keys()].join(', ')})`, t0);
		for (const name of targetNames) reports.push(await runTarget(name, tarball, sb, api, installs.get(name)));
		if (queueMode.enabled({ targetNames, onlyScenarios })) reports.push(await queueMode.runReport({ tarball, runCheck }));
	} finally {
		await stop();
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	}

	say('\n=== Summary ===');
	let failed = 0;
	for (const r of reports) {
		const inst = r.times.install ? `install ${r.times.install.cached ? 'cached' : 'cold'} ${r.times.install.seconds.toFixed(1)}s` : 'install failed';
		if (r.fatal) {
			failed++;
			say(`${FAIL} ${r.label}: ${r.fatal.split('\n')[0].slice(0, 300)}`);
		}
		for (const x of r.results) {
			if (x.failures.length) failed++;
			say(`${x.failures.length ? FAIL : PASS} ${r.label} / ${x.name} (${fmtSec(x.took)})`);
		}
		if (!r.fatal && r.results.length === 0) {
			failed++;
			say(`${FAIL} ${r.label}: no workflow ran`);
		}
		const tot = r.times.total !== undefined ? `, tests ${r.times.afterInstall.toFixed(1)}s, total ${r.times.total.toFixed(1)}s` : '';
		say(`     ${r.label}: ${inst}${tot}`);
	}
	say(`total ${fmtSec(Date.now() - started)} — ${failed ? `${failed} failure(s)` : 'all passed'}`);
	if (process.env.N8N_E2E_TIMINGS_FILE) {
		const groups = reports.map((r) => ({
			name: r.label,
			seconds: r.times.total ?? 0,
			passed: !r.fatal && r.results.length > 0 && r.results.every((x) => !x.failures.length),
		}));
		fs.writeFileSync(process.env.N8N_E2E_TIMINGS_FILE, JSON.stringify({ phases: [...phases, ...groups], seconds: (Date.now() - started) / 1000 }, null, 2));
	}
	process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
	say(`${FAIL} e2e aborted: ${e.stack || e.message}`);
	process.exit(1);
});
