'use strict';
/**
 * Helpers to run a real n8n (installed by ./n8n-install.js) against this package, the way users
 * get it: the package is `npm pack`ed and installed into `$N8N_USER_FOLDER/.n8n/nodes`, where n8n
 * loads community packages from, so the node type is `n8n-nodes-loymaxsc.loymaxSc`.
 *
 *   const { packProject, N8nHome } = require('./n8n-run');
 *   const tarball = await packProject();                 // npm run build + npm pack
 *   const home = await N8nHome.create(inst);             // inst = await ensureN8n('n8n2')
 *   await home.installPackage(tarball);
 *   await home.importCredentials([{ id, name, type: 'loymaxScApi', data: { baseUrl, username, password } }]);
 *   await home.importWorkflow(workflowJson);             // object or file; needs an `id`
 *   const r = await home.execute(id);                    // { ok, run, nodeOutput(name), error, ... }
 *   const srv = await home.start({ port: 5678 });        // `n8n start`, resolves when it answers
 *   await home.cleanup();
 */

const fs = require('fs');
const os = require('os');
const net = require('net');
const path = require('path');
const http = require('http');
const { spawn } = require('child_process');

const PROJECT_DIR = path.resolve(__dirname, '..');
const PACKAGE_NAME = require(path.join(PROJECT_DIR, 'package.json')).name;
const ENCRYPTION_KEY = 'n8n-nodes-loymaxsc-e2e-fixed-encryption-key';

function log(msg) {
	process.stderr.write(`[n8n-run] ${msg}\n`);
}

function fmtSec(ms) {
	return `${(ms / 1000).toFixed(1)}s`;
}

/** Env for npm calls that must not inherit an enclosing `npm run`'s config (or the project's .npmrc). */
function npmEnv(extra = {}) {
	const env = { ...process.env };
	for (const k of Object.keys(env)) {
		if (/^npm_config_/i.test(k) && !/^npm_config_(cache|registry|userconfig)$/i.test(k)) delete env[k];
		if (/^npm_(package|lifecycle)_/i.test(k)) delete env[k];
	}
	delete env.INIT_CWD;
	return { ...env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...extra };
}

/**
 * Runs a command and collects its output. Never rejects on a non-zero exit: returns
 * { code, signal, stdout, stderr, took }. Rejects only when the command cannot start.
 */
/**
 * Runs a command. With `stdoutFile`, its standard output goes to that file instead of a pipe:
 * `n8n execute` exits right after printing, and a large run printed into a pipe is cut short.
 * `signal` (an AbortSignal) kills it early, reported like a timeout.
 */
function exec(cmd, args, { cwd, env, timeoutMs = 10 * 60 * 1000, input, echo = false, stdoutFile, signal } = {}) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const outFd = stdoutFile ? fs.openSync(stdoutFile, 'w') : undefined;
		const child = spawn(cmd, args, { cwd, env, stdio: [input === undefined ? 'ignore' : 'pipe', outFd ?? 'pipe', 'pipe'] });
		if (outFd !== undefined) fs.closeSync(outFd);
		let stdout = '';
		let stderr = '';
		child.stdout?.on('data', (d) => {
			stdout += d;
			if (echo) process.stderr.write(d);
		});
		child.stderr.on('data', (d) => {
			stderr += d;
			if (echo) process.stderr.write(d);
		});
		if (input !== undefined) child.stdin.end(input);
		let timedOut = false;
		const kill = () => {
			timedOut = true;
			child.kill('SIGKILL');
		};
		const timer = setTimeout(kill, timeoutMs);
		if (signal?.aborted) kill();
		signal?.addEventListener('abort', kill);
		const done = () => {
			clearTimeout(timer);
			signal?.removeEventListener('abort', kill);
		};
		child.on('error', (e) => {
			done();
			reject(e);
		});
		child.on('close', (code, exitSignal) => {
			done();
			if (stdoutFile) stdout = fs.readFileSync(stdoutFile, 'utf8');
			resolve({ code, signal: exitSignal, stdout, stderr, timedOut, took: Date.now() - started });
		});
	});
}

async function execOk(cmd, args, opts, what) {
	const r = await exec(cmd, args, opts);
	if (r.code !== 0) {
		throw new Error(
			`${what || [cmd, ...args].join(' ')} failed (exit ${r.code}${r.signal ? ` ${r.signal}` : ''}${r.timedOut ? ', timed out' : ''}):\n` +
				`${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`,
		);
	}
	return r;
}

/** Builds the project and packs it. Returns the absolute path of the tarball. */
async function packProject({ projectDir = PROJECT_DIR, outDir, build = true } = {}) {
	outDir = outDir || fs.mkdtempSync(path.join(os.tmpdir(), 'loymaxsc-pack-'));
	fs.mkdirSync(outDir, { recursive: true });
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	if (build) {
		const t = Date.now();
		await execOk(npm, ['run', 'build'], { cwd: projectDir, env: npmEnv() }, 'npm run build');
		log(`build done in ${fmtSec(Date.now() - t)}`);
	}
	const r = await execOk(npm, ['pack', '--json', '--pack-destination', outDir], { cwd: projectDir, env: npmEnv() }, 'npm pack');
	let file;
	try {
		const info = JSON.parse(r.stdout.slice(r.stdout.indexOf('[')));
		file = info[0].filename;
		const files = info[0].files.map((f) => f.path);
		log(`packed ${file}: ${files.length} files (${files.filter((f) => !f.startsWith('dist/')).join(', ')} + dist/)`);
	} catch {
		file = r.stdout.trim().split('\n').pop();
	}
	const tarball = path.join(outDir, path.basename(file));
	if (!fs.existsSync(tarball)) throw new Error(`npm pack did not produce ${tarball}`);
	return tarball;
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/**
 * Finds the run data JSON that `n8n execute --rawOutput` prints among log lines.
 * Pretty-printed JSON starts with a `{` line and ends with a `}` line at column 0; single-line
 * JSON is tried as well. Returns the last candidate that parses to an object, preferring one
 * that looks like run data (`data.resultData` / `resultData`).
 */
function parseExecutionOutput(text) {
	const lines = text.split(/\r?\n/);
	const found = [];
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i];
		if (!line.startsWith('{')) continue;
		try {
			const v = JSON.parse(line);
			if (v && typeof v === 'object') {
				found.push({ v, end: i });
				continue;
			}
		} catch {
			/* multi-line */
		}
		for (let j = i + 1; j < lines.length; j++) {
			if (!/^}\s*$/.test(lines[j])) continue;
			try {
				const v = JSON.parse(lines.slice(i, j + 1).join('\n'));
				found.push({ v, end: j });
				i = j;
				break;
			} catch {
				/* keep looking for the closing line */
			}
		}
	}
	const looksLikeRun = (v) => v && (v.data?.resultData || v.resultData);
	const runs = found.filter((f) => looksLikeRun(f.v));
	const pick = (runs.length ? runs : found).pop();
	return pick ? pick.v : undefined;
}

/** Normalises what `n8n execute` prints (IRun in 1.x/2.x) to { resultData, ... }. */
function runDataOf(parsed) {
	if (!parsed) return undefined;
	if (parsed.data?.resultData) return parsed.data;
	if (parsed.resultData) return parsed;
	return undefined;
}

class N8nHome {
	/**
	 * @param inst result of ensureN8n()
	 * @param opts.userFolder  N8N_USER_FOLDER (default: new temp dir, removed by cleanup())
	 * @param opts.env         extra env for every n8n call
	 * @param opts.keep        do not delete the folder in cleanup()
	 */
	static async create(inst, opts = {}) {
		const home = new N8nHome(inst, opts);
		home.brokerPort = opts.brokerPort || (await freePort());
		return home;
	}

	constructor(inst, { userFolder, env = {}, keep = false } = {}) {
		this.inst = inst;
		this.ownsFolder = !userFolder;
		this.keep = keep;
		this.userFolder = userFolder || fs.mkdtempSync(path.join(os.tmpdir(), `n8n-e2e-${inst.version}-`));
		this.n8nDir = path.join(this.userFolder, '.n8n');
		this.nodesDir = path.join(this.n8nDir, 'nodes');
		fs.mkdirSync(this.nodesDir, { recursive: true });
		this.extraEnv = env;
		this.children = new Set();
	}

	env(extra = {}) {
		const base = { ...process.env };
		for (const k of Object.keys(base)) if (/^(npm_|N8N_)/i.test(k) && !/^N8N_E2E_/.test(k)) delete base[k];
		return {
			...base,
			...this.inst.env,
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_SECURE_COOKIE: 'false',
			// `n8n execute` prints its result through the logger at level info (2.x): keep info.
			N8N_LOG_LEVEL: 'info',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			...this.extraEnv,
			...extra,
		};
	}

	/** Runs `n8n <args>`; returns the exec() result. */
	n8n(args, opts = {}) {
		return exec(this.inst.nodeBin, [this.inst.n8nBin, ...args], {
			cwd: this.userFolder,
			env: this.env(opts.env),
			timeoutMs: opts.timeoutMs || 5 * 60 * 1000,
			echo: !!process.env.N8N_E2E_VERBOSE,
			stdoutFile: opts.stdoutFile,
			signal: opts.signal,
		});
	}

	async n8nOk(args, opts) {
		const r = await this.n8n(args, opts);
		if (r.code !== 0) throw new Error(`n8n ${args.join(' ')} failed (exit ${r.code}):\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
		return r;
	}

	/**
	 * Installs the packed package exactly like n8n 2.x's community-package installer
	 * (CommunityPackagesService.downloadPackage): the tarball is unpacked into
	 * `<user folder>/.n8n/nodes/node_modules/<name>`, devDependencies / peerDependencies /
	 * optionalDependencies are dropped from its package.json, `npm install` runs inside it with
	 * n8n's flags (no scripts, no lockfile, shallow), and `<user folder>/.n8n/nodes/package.json`
	 * lists it as a dependency. n8n then loads it as `n8n-nodes-loymaxsc.<node>`.
	 */
	async installPackage(tarball) {
		const t = Date.now();
		const pkgDir = path.join(this.nodesDir, 'node_modules', PACKAGE_NAME);
		fs.rmSync(pkgDir, { recursive: true, force: true });
		fs.mkdirSync(pkgDir, { recursive: true });
		await execOk('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1'], {}, `tar -xzf ${tarball}`);
		const pkgJsonPath = path.join(pkgDir, 'package.json');
		const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(fs.readFileSync(pkgJsonPath, 'utf8'));
		fs.writeFileSync(pkgJsonPath, JSON.stringify(pkg, null, 2));
		await execOk(
			this.inst.nodeBin,
			[
				require('./n8n-install').npmCli(),
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
			],
			{ cwd: pkgDir, env: npmEnv({ PATH: this.inst.env.PATH }) },
			`npm install (inside ${pkgDir})`,
		);
		const listPath = path.join(this.nodesDir, 'package.json');
		const list = (fs.existsSync(listPath) && JSON.parse(fs.readFileSync(listPath, 'utf8'))) || { name: 'installed-nodes', private: true };
		list.dependencies = { ...(list.dependencies || {}), [PACKAGE_NAME]: pkg.version };
		fs.writeFileSync(listPath, JSON.stringify(list, null, 2));
		const files = [];
		const walk = (d) => {
			for (const e of fs.readdirSync(d, { withFileTypes: true })) {
				if (e.isDirectory()) walk(path.join(d, e.name));
				else files.push(path.relative(pkgDir, path.join(d, e.name)));
			}
		};
		walk(pkgDir);
		const extra = fs.existsSync(path.join(pkgDir, 'node_modules')) ? fs.readdirSync(path.join(pkgDir, 'node_modules')) : [];
		log(
			`installed ${PACKAGE_NAME}@${pkg.version} into ${path.relative(this.userFolder, pkgDir)} in ${fmtSec(Date.now() - t)} ` +
				`(${files.length} files; runtime dependencies: ${extra.length ? extra.join(', ') : 'none'})`,
		);
		return pkgDir;
	}

	_tempPath(name) {
		return path.join(this.userFolder, name);
	}

	_writeTemp(name, value) {
		const file = path.join(this.userFolder, name);
		fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
		return file;
	}

	/** creds: [{ id, name, type, data }] (plain data; n8n encrypts it with N8N_ENCRYPTION_KEY). */
	async importCredentials(creds) {
		const file = this._writeTemp(`credentials-${Date.now()}.json`, Array.isArray(creds) ? creds : [creds]);
		await this.n8nOk(['import:credentials', `--input=${file}`]);
	}

	/** wf: workflow object (must have `id`) or path to a JSON file. Returns the workflow id. */
	async importWorkflow(wf) {
		const obj = typeof wf === 'string' ? JSON.parse(fs.readFileSync(wf, 'utf8')) : wf;
		if (!obj.id) throw new Error(`workflow "${obj.name}" has no id`);
		const file = this._writeTemp(`workflow-${obj.id}.json`, obj);
		await this.n8nOk(['import:workflow', `--input=${file}`]);
		return obj.id;
	}

	/** Imports several workflows with one n8n start (each needs an `id`). Returns the ids. */
	async importWorkflows(list) {
		const objs = list.map((wf) => (typeof wf === 'string' ? JSON.parse(fs.readFileSync(wf, 'utf8')) : wf));
		for (const o of objs) if (!o.id) throw new Error(`workflow "${o.name}" has no id`);
		const file = this._writeTemp(`workflows-${Date.now()}.json`, objs);
		await this.n8nOk(['import:workflow', `--input=${file}`]);
		return objs.map((o) => o.id);
	}

	/**
	 * `n8n execute --id <id> --rawOutput`. Returns
	 * { ok, code, took, run, resultData, error, lastNodeExecuted, nodeOutput(name), stdout, stderr }.
	 * `ok` = exit 0 and no error in the run data. `signal` (an AbortSignal) kills n8n early.
	 */
	async execute(id, { timeoutMs = 5 * 60 * 1000, signal } = {}) {
		const r = await this.n8n(['execute', `--id=${id}`, '--rawOutput'], { timeoutMs, signal, stdoutFile: this._tempPath(`execute-${id}-${Date.now()}.out`) });
		const parsed = parseExecutionOutput(r.stdout) || parseExecutionOutput(`${r.stdout}\n${r.stderr}`);
		const run = runDataOf(parsed);
		const resultData = run?.resultData;
		const error = resultData?.error;
		const out = {
			ok: r.code === 0 && !!resultData && !error,
			code: r.code,
			took: r.took,
			timedOut: r.timedOut,
			raw: parsed,
			run,
			resultData,
			error,
			lastNodeExecuted: resultData?.lastNodeExecuted,
			stdout: r.stdout,
			stderr: r.stderr,
			/** JSON items of a node's first run, main output `index` (default 0). */
			nodeOutput(name, index = 0) {
				const runs = resultData?.runData?.[name];
				if (!runs || !runs.length) return undefined;
				const main = runs[runs.length - 1].data?.main?.[index] || [];
				return main.map((i) => i.json);
			},
			nodeError(name) {
				const runs = resultData?.runData?.[name];
				return runs?.[runs.length - 1]?.error;
			},
			describeFailure() {
				const parts = [`exit ${r.code}${r.timedOut ? ' (timed out)' : ''}`];
				if (error) parts.push(`error: ${error.message}${error.description ? ` — ${error.description}` : ''}${error.node?.name ? ` [node ${error.node.name}]` : ''}`);
				if (!resultData) parts.push('no run data found in output');
				parts.push(`stdout tail:\n${r.stdout.slice(-2500)}`, `stderr tail:\n${r.stderr.slice(-2500)}`);
				return parts.join('\n');
			},
		};
		return out;
	}

	/**
	 * Starts `n8n start` and resolves when GET /healthz answers 200.
	 * Returns { child, url, stop() }.
	 */
	async start({ port = 5678, env = {}, echo = true, timeoutMs = 5 * 60 * 1000, onLine } = {}) {
		const child = spawn(this.inst.nodeBin, [this.inst.n8nBin, 'start'], {
			cwd: this.userFolder,
			env: this.env({ N8N_PORT: String(port), N8N_LOG_LEVEL: 'info', ...env }),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.children.add(child);
		let output = '';
		const onData = (d) => {
			output = (output + d).slice(-20000);
			if (echo) process.stdout.write(String(d).replace(/^/gm, '  [n8n] '));
			if (onLine) onLine(String(d));
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		let exited = null;
		child.on('exit', (code, signal) => {
			exited = { code, signal };
			this.children.delete(child);
		});
		const url = `http://localhost:${port}`;
		const t = Date.now();
		while (Date.now() - t < timeoutMs) {
			if (exited) throw new Error(`n8n start exited (${exited.code ?? exited.signal}) before it was ready:\n${output.slice(-4000)}`);
			const status = await httpStatus(`http://127.0.0.1:${port}/healthz`).catch(() => 0);
			if (status === 200) {
				// /healthz answers before the REST API is mounted, and a placeholder page ("n8n is starting
				// up") answers 200 meanwhile: wait until /rest/settings returns its JSON.
				const settings = await httpJson('GET', `http://127.0.0.1:${port}/rest/settings`).catch(() => undefined);
				if (settings && settings.status === 200 && settings.body && typeof settings.body === 'object' && settings.body.data) break;
			}
			await new Promise((r) => setTimeout(r, 500));
		}
		if (Date.now() - t >= timeoutMs) {
			child.kill('SIGKILL');
			throw new Error(`n8n start not ready after ${fmtSec(timeoutMs)}:\n${output.slice(-4000)}`);
		}
		const stop = () => stopChild(child);
		return { child, url, port, took: Date.now() - t, stop, output: () => output };
	}

	async cleanup() {
		await Promise.all([...this.children].map((c) => stopChild(c)));
		if (this.ownsFolder && !this.keep) fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}

function stopChild(child, graceMs = 10_000) {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) return resolve();
		const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
		child.once('exit', () => {
			clearTimeout(t);
			resolve();
		});
		child.kill('SIGTERM');
	});
}

function npmCliPath() {
	const c = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
	if (fs.existsSync(c)) return path.resolve(c);
	return require('./n8n-install').npmCli();
}

/** Minimal HTTP helper: resolves the status code. */
function httpStatus(url) {
	return new Promise((resolve, reject) => {
		const req = http.get(url, (res) => {
			res.resume();
			resolve(res.statusCode);
		});
		req.on('error', reject);
		req.setTimeout(3000, () => req.destroy(new Error('timeout')));
	});
}

/** JSON HTTP request: resolves { status, headers, body (parsed when JSON), text }. */
function httpJson(method, url, body, headers = {}) {
	return new Promise((resolve, reject) => {
		const u = new URL(url);
		const data = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
		const req = http.request(
			{
				method,
				hostname: u.hostname,
				port: u.port,
				path: u.pathname + u.search,
				headers: { accept: 'application/json', ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}), ...headers },
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (c) => (text += c));
				res.on('end', () => {
					let parsed;
					try {
						parsed = text ? JSON.parse(text) : undefined;
					} catch {
						parsed = undefined;
					}
					resolve({ status: res.statusCode, headers: res.headers, body: parsed, text });
				});
			},
		);
		req.on('error', reject);
		req.setTimeout(30_000, () => req.destroy(new Error(`timeout ${method} ${url}`)));
		if (data) req.write(data);
		req.end();
	});
}

/** `--name` flags and `--name=value` options of this process's command line. */
function cliArgs(argv = process.argv.slice(2)) {
	return {
		flag: (name) => argv.includes(`--${name}`),
		opt: (name) => {
			const a = argv.find((x) => x.startsWith(`--${name}=`));
			return a ? a.slice(name.length + 3) : undefined;
		},
	};
}

module.exports = {
	cliArgs,
	PROJECT_DIR,
	PACKAGE_NAME,
	ENCRYPTION_KEY,
	N8nHome,
	packProject,
	parseExecutionOutput,
	freePort,
	exec,
	execOk,
	npmEnv,
	httpJson,
	httpStatus,
	stopChild,
	fmtSec,
};
