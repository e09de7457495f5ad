'use strict';
/**
 * One queue-mode run: PostgreSQL + Redis + the sandbox + n8n 2.41.1 main and two workers, then for
 * each variant (rate-limit headers on, off) two executions fired at the same time, each upserting
 * `rows` customers, measured (./measure.js). Used by test/e2e/queue-mode.js (checks) and
 * test/bench/queue.js (figures). Every process started is stopped by PID, also on failure.
 *
 *   const result = await runQueueMode({ tarball, rows: 400, limit: 300, windowSeconds: 20 });
 *   // { setup: {...}, variants: [{ name, headers, asked, probe, figures, workers, answers }], times }
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const { ensureN8n } = require('../../../scripts/n8n-install');
const { fmtSec } = require('../../../scripts/n8n-run');
const { startSandboxProcess, SandboxClient } = require('../../../scripts/sandbox-proc');
const { Processes } = require('./processes');
const { startPostgres, startRedis } = require('./services');
const { QueueCluster } = require('./cluster');
const { workflow, credential, webhookBody } = require('./workflow');
const { sandboxEnv, sandboxFeatures, configureRate, liftRate, probe } = require('./sandbox-rate');
const { measure } = require('./measure');

const EXECUTION_TIMEOUT_MS = Number(process.env.N8N_E2E_QUEUE_EXECUTION_TIMEOUT_MS || 15 * 60 * 1000);

/** The variants, in run order: one credential, sandbox user, workflow and webhook path each. */
const VARIANTS = [
	{ name: 'headers on', key: 'headers', headers: true, prefixes: ['QHA', 'QHB'] },
	{ name: 'headers off', key: 'noheaders', headers: false, prefixes: ['QNA', 'QNB'] },
];

const variantUser = (v) => ({ username: `queue-${v.key}@loymaxsc.local`, password: `queue-${v.key}-password` });
const variantCredential = (v) => ({ id: `loymaxScQueue${v.key === 'headers' ? 'Hdr' : 'NoHdr'}`, name: `Loymax SC queue (${v.name})` });
const variantWorkflowId = (v) => `loymaxQueue${v.key === 'headers' ? 'Hdr' : 'NoHdr'}`;
const variantWebhookPath = (v) => `loymaxsc-queue-${v.key}`;
const variantWebhookId = (v) => (v.key === 'headers' ? '7a9d3c52-1f0e-4b8a-9c61-5d2e8f4a0b01' : '7a9d3c52-1f0e-4b8a-9c61-5d2e8f4a0b02');

/** POST JSON with a long, bounded wait (the webhook answers when the worker is done). */
function postJson(url, body, timeoutMs) {
	return new Promise((resolve) => {
		const started = Date.now();
		const data = Buffer.from(JSON.stringify(body));
		const u = new URL(url);
		const req = http.request(
			{ method: 'POST', hostname: u.hostname, port: u.port, path: u.pathname, headers: { 'content-type': 'application/json', 'content-length': data.length } },
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (c) => (text += c));
				res.on('end', () => {
					let parsed;
					try {
						parsed = JSON.parse(text);
					} catch {
						parsed = undefined;
					}
					resolve({ status: res.statusCode, body: parsed, text, ms: Date.now() - started });
				});
			},
		);
		req.on('error', (e) => resolve({ status: 0, text: e.message, ms: Date.now() - started }));
		req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer after ${fmtSec(timeoutMs)}`)));
		req.end(data);
	});
}

/**
 * @param opts.tarball        the packed package (scripts/n8n-run.js packProject)
 * @param opts.rows           customers per execution (default 400)
 * @param opts.limit          requests per window the sandbox accepts (default 300)
 * @param opts.windowSeconds  window (default 20)
 * @param opts.variants       names of VARIANTS to run (default all)
 * @param opts.log            progress lines
 * @param opts.keep           keep the run folder (logs, user folders)
 */
async function runQueueMode({ tarball, rows = 400, limit = 300, windowSeconds = 20, variants, log = () => {}, keep = false }) {
	const started = Date.now();
	const chosen = VARIANTS.filter((v) => !variants || variants.includes(v.key) || variants.includes(v.name));
	const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loymaxsc-queue-'));
	const procs = new Processes(log);
	const result = { setup: { rows, limit, windowSeconds, runDir }, variants: [], times: {} };
	let failed = true;
	try {
		// n8n (may wait for a cold install by another process) while the services start.
		let t = Date.now();
		const instP = ensureN8n('n8n2').then((inst) => ((result.times.n8nInstallMs = Date.now() - t), inst));
		instP.catch(() => {});
		const pg = await startPostgres(procs, { dir: path.join(runDir, 'pg'), log });
		const redis = await startRedis(procs, { dir: path.join(runDir, 'redis'), log });
		result.setup.postgres = pg.version;
		result.setup.redis = redis.version;
		result.times.postgres = pg.times;
		result.times.redis = redis.times;

		const sb = await startSandboxProcess({ port: 0, env: sandboxEnv({ limit, windowSeconds }) });
		procs.track({ name: 'sandbox', pid: sb.child.pid, stop: () => sb.stop() });
		const features = await sandboxFeatures(sb);
		result.setup.sandboxFeatures = { fixedWindow: features.fixedWindow, headers: features.headers };
		const demo = { username: sb.username, password: sb.password };
		const users = [demo, ...chosen.map(variantUser)];
		log(`sandbox ${sb.url} (pid ${sb.child.pid}); fixed-window mode: ${features.fixedWindow ? 'yes' : 'no'}, rate-limit headers: ${features.headers ? 'yes' : 'no'}`);

		const inst = await instP;
		result.setup.n8n = `n8n ${inst.version} on Node ${inst.nodeVersion}`;
		log(`${result.setup.n8n} ready (${fmtSec(result.times.n8nInstallMs)}${inst.took ? ', installed now' : ''})`);

		const cluster = await QueueCluster.prepare({ inst, tarball, pg, redis, procs, dir: path.join(runDir, 'n8n'), workers: 2, log });
		const perMinute = Math.round((limit * 60) / windowSeconds);
		// As the README advises: with headers every worker may use the whole limit (the headers
		// share it); without them each worker gets its share of it.
		const creds = chosen.map((v) =>
			credential({
				...variantCredential(v),
				baseUrl: sb.url,
				...variantUser(v),
				perMinute: v.headers ? perMinute : Math.floor(perMinute / 2),
				windowSeconds,
				pauseSeconds: windowSeconds,
			}),
		);
		const wfs = chosen.map((v) =>
			workflow({
				id: variantWorkflowId(v),
				name: `Loymax SC queue mode (${v.name})`,
				webhookPath: variantWebhookPath(v),
				webhookId: variantWebhookId(v),
				credentialRef: variantCredential(v),
			}),
		);
		await cluster.importAndPublish(creds, wfs);
		await cluster.start({ webhookPaths: chosen.map(variantWebhookPath) });
		result.setup.workers = cluster.workerNames.length;
		result.setup.ownHostnames = cluster.unshare;
		result.times.cluster = { ...cluster.times };

		const api = new SandboxClient(sb);
		for (const v of chosen) {
			const asked = await configureRate(sb, features, { limit, windowSeconds, headers: v.headers, users });
			const measured = await probe(sb, { limit, user: demo }); // also resets store, log and counters
			log(`[${v.name}] sandbox: ${asked}; probe: ${measured.text}`);
			const before = new Set(Object.keys(cluster.executionsByWorker()));
			await api.clearLog();
			const bodies = v.prefixes.map((prefix) => webhookBody(prefix, rows));
			const firedAt = Date.now();
			const answers = await Promise.all(
				v.prefixes.map((prefix, i) => postJson(cluster.webhookUrl(variantWebhookPath(v)), bodies[i], EXECUTION_TIMEOUT_MS).then((r) => ({ prefix, ...r }))),
			);
			const wallMs = Date.now() - firedAt;
			// Executions main stopped waiting for (stalled jobs) still send requests until their worker ends them.
			const stillRunning = await cluster.waitIdle(EXECUTION_TIMEOUT_MS);
			const idleMs = Date.now() - firedAt;
			const sandboxLog = await api.log();
			await liftRate(sb);
			const records = (await api.getAll('/customer')).filter((r) => v.prefixes.some((p) => String(r.local_id).startsWith(`${p}-`)));
			const byWorker = cluster.executionsByWorker();
			const workers = Object.entries(byWorker)
				.filter(([id]) => !before.has(id))
				.map(([id, w]) => ({ execution: id, worker: w }));
			const figures = measure({ log: sandboxLog, records, answers, rows, limit, windowSeconds, wallMs, firedAt });
			// The answers' items are in the figures; keep only what a failure message needs.
			const answered = answers.map(({ prefix, status, text, ms }) => ({ prefix, status, ms, text: status === 200 ? '' : text.slice(0, 1000) }));
			result.variants.push({ name: v.name, key: v.key, headers: v.headers, asked, probe: measured, figures, workers, answers: answered, idleMs, stillRunning });
			log(
				`[${v.name}] ${figures.stored}/${figures.rows} stored, ${figures.errorItems} error items, ${figures.rejected429} × 429, ` +
					`${figures.logins} login(s), ${fmtSec(wallMs)} (ideal ${fmtSec(figures.idealMs)}); executions on ${workers.map((w) => w.worker).join(', ') || '?'}`,
			);
		}
		result.logEvents = cluster.logEvents();
		failed = false;
	} finally {
		const t = Date.now();
		await procs.stopAll();
		result.times.stopMs = Date.now() - t;
		result.stillRunning = procs.stillRunning();
		result.started = procs.started;
		result.times.totalMs = Date.now() - started;
		if (keep || failed) log(`run folder kept: ${runDir} (n8n logs: n8n/*.log)`);
		else fs.rmSync(runDir, { recursive: true, force: true });
	}
	return result;
}

module.exports = { runQueueMode, VARIANTS };
