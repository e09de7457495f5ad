#!/usr/bin/env node
'use strict';
/**
 * `npm run dev` — try the node in a real n8n against the local Loymax SC sandbox.
 *
 *  1. builds and packs this package (runs `npm ci` first when node_modules is missing),
 *  2. starts the sandbox (sandbox/cli.ts) on SANDBOX_PORT (default 8787, else a free port),
 *  3. installs n8n 2.41.1 + Node 24 from the npm registry on first use (a few minutes, cached in
 *     ~/.cache/n8n-nodes-loymaxsc or $N8N_E2E_CACHE),
 *  4. installs the package into the n8n user folder as a community package,
 *  5. creates the credential "Loymax SC sandbox" and imports the example workflows,
 *  6. starts n8n on port 5678 (N8N_PORT), sets up the owner account and prints the login.
 * Ctrl-C (SIGINT), SIGTERM or SIGHUP (to this process, or SIGTERM to `npm run dev`) stops n8n,
 * its task runner and the sandbox: the work runs in a process group of its own, which this
 * process stops as a whole (see `superviseGroup`).
 *
 * Options: --n8n=node20 (use n8n 2.8.4 on this machine's Node 20 instead), --reset (start from an
 * empty n8n user folder), --quiet (hide n8n's log). The n8n user folder is .n8n-e2e/dev (kept
 * between runs: your workflows and executions stay; the examples are re-imported only when the
 * files in examples/ change).
 */

const fs = require('fs');
const net = require('net');
const path = require('path');
const crypto = require('crypto');
const { spawn, spawnSync } = require('child_process');
const { ensureN8n, TARGETS } = require('./n8n-install');
const { N8nHome, packProject, PROJECT_DIR, httpJson, fmtSec, npmEnv, cliArgs } = require('./n8n-run');

const { flag, opt } = cliArgs();

const TARGET = opt('n8n') || process.env.N8N_DEV_TARGET || 'n8n2';
const N8N_PORT = Number(process.env.N8N_PORT || 5678);
const SANDBOX_PORT = Number(process.env.SANDBOX_PORT || 8787);
const DEV_DIR = path.join(PROJECT_DIR, '.n8n-e2e', 'dev');
const CREDENTIAL = { id: 'loymaxScSandbox01', name: 'Loymax SC sandbox', type: 'loymaxScApi' };
const OWNER = { email: 'owner@loymaxsc.local', firstName: 'Demo', lastName: 'Owner', password: 'LoymaxSc-demo1' };
const EXAMPLES_DIR = path.join(PROJECT_DIR, 'examples');

// Set in the process that does the work; its absence marks the supervising parent.
const GROUP_ENV = 'LOYMAXSC_DEV_WORKER';
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
// How long the worker may take to stop n8n and the sandbox cleanly before the group is killed.
const STOP_GRACE_MS = 25_000;

const step = (s) => process.stdout.write(`\n▶ ${s}\n`);
const info = (s) => process.stdout.write(`  ${s}\n`);

function portFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

async function main() {
	const started = Date.now();
	// When the terminal or the pipe that ran `npm run dev` is gone, stopping must not fail on output.
	for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
	const [major] = process.versions.node.split('.').map(Number);
	if (major < 20) throw new Error(`Node ${process.version}: this project needs Node 20 or newer`);

	if (!(await portFree(N8N_PORT))) {
		throw new Error(`port ${N8N_PORT} is in use (another n8n?). Stop it or run with N8N_PORT=<port> npm run dev`);
	}

	// 1. dependencies + build + pack
	if (!fs.existsSync(path.join(PROJECT_DIR, 'node_modules', 'typescript'))) {
		step('Installing the project dependencies (npm ci)');
		const r = spawnSync('npm', ['ci'], { cwd: PROJECT_DIR, stdio: 'inherit', env: npmEnv() });
		if (r.status !== 0) throw new Error('npm ci failed');
	}
	step('Building and packing n8n-nodes-loymaxsc');
	let t = Date.now();
	const tarball = await packProject();
	info(`${path.basename(tarball)} (${fmtSec(Date.now() - t)})`);

	// 2. sandbox
	step('Starting the Loymax SC sandbox');
	const { startSandboxProcess } = require('./sandbox-proc');
	const sbPort = (await portFree(SANDBOX_PORT)) ? SANDBOX_PORT : 0;
	const sb = await startSandboxProcess({ port: sbPort, echo: false });
	info(`${sb.url}  (user ${sb.username} / ${sb.password})${sbPort === 0 ? `  — port ${SANDBOX_PORT} was busy` : ''}`);

	let home;
	let server;
	let stopping = false;
	const shutdown = async (code = 0) => {
		if (stopping) return;
		stopping = true;
		process.stdout.write('\nStopping n8n and the sandbox ...\n');
		try {
			if (server) await server.stop();
			if (home) await home.cleanup();
		} finally {
			await sb.stop();
			fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
			process.exit(code);
		}
	};
	for (const signal of STOP_SIGNALS) process.on(signal, () => void shutdown(0));

	try {
		// 3. n8n
		step(`Installing ${TARGETS[TARGET] ? TARGETS[TARGET].label : TARGET} — only the first time, takes a few minutes`);
		t = Date.now();
		const inst = await ensureN8n(TARGET);
		info(`n8n ${inst.version} on Node ${inst.nodeVersion}: ${inst.cached ? 'already installed' : `installed in ${fmtSec(Date.now() - t)}`}`);

		// 4. user folder + package
		if (flag('reset')) fs.rmSync(DEV_DIR, { recursive: true, force: true });
		fs.mkdirSync(DEV_DIR, { recursive: true });
		const passEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^N8N_/.test(k) && !/^N8N_(E2E|DEV)_/.test(k)));
		home = await N8nHome.create(inst, { userFolder: DEV_DIR, keep: true, env: passEnv });
		step(`Installing the package as a community package into ${path.relative(PROJECT_DIR, home.nodesDir)}`);
		await home.installPackage(tarball);

		// 5. credential + examples
		step('Creating the credential and importing the examples');
		await home.importCredentials([{ ...CREDENTIAL, data: { baseUrl: sb.url, username: sb.username, password: sb.password } }]);
		info(`credential "${CREDENTIAL.name}" → ${sb.url}`);
		const files = fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).sort();
		const stateFile = path.join(DEV_DIR, 'dev-examples.json');
		const state = (fs.existsSync(stateFile) && JSON.parse(fs.readFileSync(stateFile, 'utf8'))) || {};
		const changed = [];
		const names = [];
		for (const f of files) {
			const text = fs.readFileSync(path.join(EXAMPLES_DIR, f), 'utf8');
			const hash = crypto.createHash('sha256').update(text).digest('hex');
			names.push(JSON.parse(text).name);
			if (state[f] !== hash) changed.push({ f, hash, wf: JSON.parse(text) });
		}
		if (changed.length) {
			await home.importWorkflows(changed.map((c) => c.wf));
			for (const c of changed) state[c.f] = c.hash;
			fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
		}
		info(`${changed.length ? `imported ${changed.map((c) => c.f).join(', ')}` : 'examples unchanged since the last run (kept your edits)'}`);

		// 6. n8n start + owner
		step(`Starting n8n on port ${N8N_PORT}`);
		t = Date.now();
		server = await home.start({ port: N8N_PORT, echo: !flag('quiet') });
		info(`n8n is up (${fmtSec(Date.now() - t)})`);
		const base = `http://127.0.0.1:${N8N_PORT}`;
		const settings = await httpJson('GET', `${base}/rest/settings`);
		const um = settings.body?.data?.userManagement || {};
		const ownerFile = path.join(DEV_DIR, 'dev-owner.json');
		let owner = OWNER;
		if (um.showSetupOnFirstLoad !== false) {
			const r = await httpJson('POST', `${base}/rest/owner/setup`, OWNER);
			if (r.status >= 400) throw new Error(`owner setup failed: ${r.status} ${r.text.slice(0, 300)}`);
			fs.writeFileSync(ownerFile, JSON.stringify({ email: OWNER.email, password: OWNER.password }, null, 2));
		} else if (fs.existsSync(ownerFile)) {
			owner = { ...OWNER, ...JSON.parse(fs.readFileSync(ownerFile, 'utf8')) };
		} else {
			owner = { email: '(set up earlier, not by this script)', password: '(unknown — run with --reset)' };
		}

		const url = `http://localhost:${N8N_PORT}`;
		const line = '─'.repeat(70);
		process.stdout.write(
			[
				'',
				line,
				`  n8n ${inst.version} with n8n-nodes-loymaxsc is running   (ready in ${fmtSec(Date.now() - started)})`,
				'',
				`  Editor:    ${url}`,
				`  Login:     ${owner.email}`,
				`  Password:  ${owner.password}`,
				'',
				`  Loymax SC sandbox: ${sb.url}  (${sb.username} / ${sb.password})`,
				`  Credential:        "${CREDENTIAL.name}"`,
				`  Workflows:         ${names.join('\n                     ')}`,
				`  Sign-up form:      publish the form workflow (Publish, top right), then open ${url}/form/loymax-signup`,
				'',
				'  Press Ctrl-C to stop n8n and the sandbox.',
				line,
				'',
			].join('\n'),
		);
		server.child.on('exit', (code, signal) => {
			if (!stopping) {
				process.stdout.write(`\nn8n exited (${code ?? signal}).\n`);
				void shutdown(code || 1);
			}
		});
	} catch (e) {
		process.stderr.write(`\n✖ ${e.stack || e.message}\n`);
		await shutdown(1);
	}
}

/** Sends a signal to every process of a group; false when none is left. */
function signalGroup(pgid, signal) {
	try {
		process.kill(-pgid, signal);
		return true;
	} catch {
		return false;
	}
}

/**
 * n8n starts a task runner of its own and the sandbox runs under ts-node: stopping only the direct
 * children can leave grandchildren holding their ports. So the parent re-runs this script as a
 * worker in a new process group; on SIGINT, SIGTERM or SIGHUP it sends SIGTERM to the whole group
 * (the worker then stops n8n and the sandbox in order), and once the worker has exited, or after a
 * grace period, it kills whatever is left in the group.
 */
function superviseGroup() {
	const worker = spawn(process.execPath, [__filename, ...process.argv.slice(2)], {
		stdio: 'inherit',
		detached: true,
		env: { ...process.env, [GROUP_ENV]: '1' },
	});
	let killTimer;
	const stop = () => {
		if (killTimer) return;
		signalGroup(worker.pid, 'SIGTERM');
		killTimer = setTimeout(() => signalGroup(worker.pid, 'SIGKILL'), STOP_GRACE_MS);
	};
	for (const signal of STOP_SIGNALS) process.on(signal, stop);
	// `npm run dev` runs this under `sh -c`: a SIGTERM to npm's PID stops npm and the shell but
	// never reaches this process, which is then handed to another parent. Stop on that too.
	const parent = process.ppid;
	const orphanCheck = setInterval(() => {
		if (process.ppid !== parent) stop();
	}, 500);
	worker.on('exit', (code, signal) => {
		clearInterval(orphanCheck);
		clearTimeout(killTimer);
		signalGroup(worker.pid, 'SIGKILL');
		process.exit(code ?? (signal ? 1 : 0));
	});
	worker.on('error', (e) => {
		process.stderr.write(`\n✖ ${e.stack || e.message}\n`);
		process.exit(1);
	});
}

if (process.env[GROUP_ENV] || process.platform === 'win32') {
	main().catch((e) => {
		process.stderr.write(`\n✖ ${e.stack || e.message}\n`);
		process.exit(1);
	});
} else {
	superviseGroup();
}
