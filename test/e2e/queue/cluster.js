'use strict';
/**
 * n8n in queue mode: one main (`n8n start`) and N workers (`n8n worker --concurrency=1`), sharing
 * PostgreSQL and Redis, each with its own user folder (the package installed as a community
 * package in every one), task-broker port and health-check port.
 *
 *   const cluster = await QueueCluster.prepare({ inst, tarball, pg, redis, procs, dir, workers: 2 });
 *   await cluster.importAndPublish(credentials, workflows);   // before the processes start
 *   await cluster.start({ webhookPaths });                    // main + workers, ready
 *   cluster.executionsByWorker()                               // from the workers' logs
 *
 * `--concurrency=1` makes two executions fired together run on two workers (a worker holding one
 * job takes no second), which is the situation under test: two processes, one API budget.
 */

const fs = require('fs');
const path = require('path');
const { N8nHome, freePort, httpJson, fmtSec } = require('../../../scripts/n8n-run');
const { sleep } = require('./processes');

const READY_TIMEOUT_MS = Number(process.env.N8N_E2E_QUEUE_READY_TIMEOUT_MS || 240_000);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Whether `unshare --uts` works here (root on Linux): gives each worker its own hostname. */
function canUnshareUts() {
	if (!isRoot || process.platform !== 'linux') return false;
	try {
		require('child_process').execFileSync('unshare', ['--uts', 'true'], { stdio: 'ignore', timeout: 10_000 });
		return true;
	} catch {
		return false;
	}
}

const LOG_SIGNS = [
	['event loop stalled ≥ 2 s', /\[loymaxsc-lag\]/],
	['job stalled / failed too many times', /stalled|failed to be processed too many times/i],
	['worker errored while running an execution', /Worker errored while running execution/],
	['database ping timed out', /Database ping failed/],
	['task runner offer expired', /Offer expired/],
	['webhook failed before responding', /Webhook execution failed/],
];

class QueueCluster {
	static async prepare({ inst, tarball, pg, redis, procs, dir, workers = 2, log = () => {} }) {
		const c = new QueueCluster();
		Object.assign(c, { inst, pg, redis, procs, dir, log });
		c.sharedEnv = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: pg.host,
			DB_POSTGRESDB_PORT: String(pg.port),
			DB_POSTGRESDB_DATABASE: pg.database,
			DB_POSTGRESDB_USER: pg.user,
			DB_POSTGRESDB_PASSWORD: pg.password,
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			// Fetches api.n8n.io at start-up (no network in CI sandboxes: a stack trace per start).
			N8N_DISABLED_MODULES: 'mcp-registry',
			N8N_LOG_LEVEL: 'info',
			// Reports event-loop stalls in the log (see lag-probe.js); more flags for a diagnosis (e.g.
			// N8N_E2E_QUEUE_NODE_OPTIONS=--cpu-prof with --keep: profiles land in the user folders).
			NODE_OPTIONS: `--require ${JSON.stringify(path.join(__dirname, 'lag-probe.js'))} ${process.env.N8N_E2E_QUEUE_NODE_OPTIONS || ''}`.trim(),
		};
		const names = ['main', ...Array.from({ length: workers }, (_, i) => `worker${i + 1}`)];
		const t = Date.now();
		c.homes = {};
		for (const name of names) {
			const userFolder = path.join(dir, name);
			fs.mkdirSync(userFolder, { recursive: true });
			c.homes[name] = await N8nHome.create(inst, { userFolder, env: c.sharedEnv, keep: true });
		}
		// One npm install, then the same files copied into the other user folders.
		const first = c.homes.main;
		await first.installPackage(tarball);
		for (const name of names.slice(1)) {
			fs.cpSync(first.nodesDir, c.homes[name].nodesDir, { recursive: true });
		}
		c.workerNames = names.slice(1);
		c.times = { packageMs: Date.now() - t };
		log(`package installed as a community package in ${names.length} user folders (${fmtSec(c.times.packageMs)})`);
		return c;
	}

	/** Imports credentials and workflows into PostgreSQL (the first call migrates the DB) and publishes the workflows. */
	async importAndPublish(credentials, workflows) {
		const main = this.homes.main;
		let t = Date.now();
		await main.importCredentials(credentials);
		this.times.importCredentialsMs = Date.now() - t;
		t = Date.now();
		await main.importWorkflows(workflows);
		this.times.importWorkflowsMs = Date.now() - t;
		t = Date.now();
		// A running main does not notice a publish: publish before it starts.
		for (const wf of workflows) await main.n8nOk(['publish:workflow', `--id=${wf.id}`]);
		this.times.publishMs = Date.now() - t;
		this.log(
			`DB migrated + ${credentials.length} credential(s) imported ${fmtSec(this.times.importCredentialsMs)}, ` +
				`${workflows.length} workflow(s) imported ${fmtSec(this.times.importWorkflowsMs)} and published ${fmtSec(this.times.publishMs)}`,
		);
	}

	/** Starts main and the workers together; resolves when all are ready and the webhooks are registered. */
	async start({ webhookPaths }) {
		const t = Date.now();
		const unshare = canUnshareUts();
		this.mainPort = await freePort();
		const main = this.homes.main;
		this.processes = {};
		this.processes.main = this.procs.spawn('n8n main', main.inst.nodeBin, [main.inst.n8nBin, 'start'], {
			cwd: main.userFolder,
			env: main.env({ N8N_PORT: String(this.mainPort), N8N_LISTEN_ADDRESS: '127.0.0.1' }),
			logFile: path.join(this.dir, 'main.log'),
		});
		this.healthPorts = {};
		for (const name of this.workerNames) {
			const home = this.homes[name];
			const port = await freePort();
			this.healthPorts[name] = port;
			const env = home.env({ QUEUE_HEALTH_CHECK_PORT: String(port), N8N_PORT: String(port) });
			const argv = [home.inst.nodeBin, home.inst.n8nBin, 'worker', '--concurrency=1'];
			// Under `unshare --uts` the worker gets its own hostname, hence its own hostId (n8n thinks it
			// runs in Docker here and derives the hostId from the hostname). `exec` keeps the PID.
			const [cmd, args] = unshare
				? ['unshare', ['--uts', 'sh', '-c', `hostname "$0" && exec "$@"`, `loymaxsc-${name}`, ...argv]]
				: [argv[0], argv.slice(1)];
			this.processes[name] = this.procs.spawn(`n8n ${name}`, cmd, args, { cwd: home.userFolder, env, logFile: path.join(this.dir, `${name}.log`) });
		}
		const waitFor = async (label, proc, check) => {
			for (;;) {
				if (proc.exited()) throw new Error(`${label} exited (${JSON.stringify(proc.exited())}) before it was ready:\n${proc.output().slice(-4000)}`);
				if (await check().catch(() => false)) return Date.now() - t;
				if (Date.now() - t > READY_TIMEOUT_MS) throw new Error(`${label} not ready after ${fmtSec(READY_TIMEOUT_MS)}:\n${proc.output().slice(-4000)}`);
				await sleep(300);
			}
		};
		const ready = (port) => async () => (await httpJson('GET', `http://127.0.0.1:${port}/healthz/readiness`)).status === 200;
		// A registered POST webhook answers a GET with 404 "... not registered for GET requests".
		const webhooksRegistered = async () => {
			for (const p of webhookPaths) {
				const r = await httpJson('GET', `http://127.0.0.1:${this.mainPort}/webhook/${p}`);
				if (!/not registered for GET/i.test(r.text)) return false;
			}
			return true;
		};
		const readyMs = await Promise.all([
			waitFor('n8n main', this.processes.main, async () => (await ready(this.mainPort)()) && (await webhooksRegistered())),
			...this.workerNames.map((name) => waitFor(`n8n ${name}`, this.processes[name], ready(this.healthPorts[name]))),
		]);
		this.times.startMs = Date.now() - t;
		this.log(
			`n8n main (pid ${this.processes.main.pid}, port ${this.mainPort}) and ${this.workerNames.length} workers ` +
				`(pids ${this.workerNames.map((n) => this.processes[n].pid).join(', ')}${unshare ? ', own hostnames' : ''}) ready: ` +
				readyMs.map((ms) => fmtSec(ms)).join(' / '),
		);
		this.unshare = unshare;
	}

	webhookUrl(p) {
		return `http://127.0.0.1:${this.mainPort}/webhook/${p}`;
	}

	/** { executionId: workerName } from the workers' "Worker <started|finished> execution N" lines. */
	executionsByWorker(what = 'started') {
		const out = {};
		const re = new RegExp(`Worker ${what} execution (\\d+)`);
		for (const name of this.workerNames) {
			for (const line of this.processes[name].lines) {
				const m = re.exec(line);
				if (m) out[m[1]] = name;
			}
		}
		return out;
	}

	/**
	 * Waits (at most `timeoutMs`) until every execution a worker started has finished there. A job
	 * main gave up on (stalled) keeps running on its worker and would spill into the next variant.
	 * Resolves the ids still running at the end (empty = idle).
	 */
	async waitIdle(timeoutMs) {
		const t = Date.now();
		for (;;) {
			const finished = this.executionsByWorker('finished');
			const running = Object.keys(this.executionsByWorker('started')).filter((id) => !(id in finished));
			if (!running.length || Date.now() - t > timeoutMs) return running;
			await sleep(500);
		}
	}

	/**
	 * How often each warning sign appears in each process's log: { 'worker1: job stalled': 2, ... }.
	 * These explain a slow or failed run (a worker that could not renew its job lock for a minute
	 * loses the job; a busy database pool times out n8n's own pings).
	 */
	logEvents() {
		const out = {};
		for (const [name, p] of Object.entries(this.processes || {})) {
			let longest;
			for (const l of p.lines) {
				const sign = LOG_SIGNS.find(([, re]) => re.test(l));
				if (sign) out[`${name}: ${sign[0]}`] = (out[`${name}: ${sign[0]}`] || 0) + 1;
				const lag = /stalled (\d+) ms \(process CPU (\d+) ms\)/.exec(l);
				if (lag && (!longest || Number(lag[1]) > longest[0])) longest = [Number(lag[1]), Number(lag[2])];
			}
			if (longest) out[`${name}: longest event-loop stall`] = `${(longest[0] / 1000).toFixed(1)} s (CPU ${(longest[1] / 1000).toFixed(1)} s)`;
		}
		return out;
	}
}

module.exports = { QueueCluster };
