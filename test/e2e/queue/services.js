'use strict';
/**
 * PostgreSQL and Redis for n8n's queue mode, from Debian's packages, started privately for one run:
 *
 *   const pg = await startPostgres(procs, { dir });   // { host, port, database, user, password, version }
 *   const redis = await startRedis(procs, { dir });   // { host, port, version }
 *
 * Missing packages are installed with apt-get (`postgresql`, `redis-server`; CI runs as root on a
 * fresh machine; sudo -n is used when not root). No system service is started or touched: a
 * private PostgreSQL cluster (initdb + pg_ctl, trust auth, loopback only, fsync off) lives in
 * `dir`, and redis-server runs as a child without persistence. Both are registered in `procs`
 * (./processes.js) and stopped by PID.
 */

const fs = require('fs');
const net = require('net');
const path = require('path');
const { execFileSync } = require('child_process');
const { exec, freePort } = require('../../../scripts/n8n-run');
const { killPid, pidRunning, sleep } = require('./processes');

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const APT_TIMEOUT_MS = 10 * 60 * 1000;

function which(cmd) {
	for (const dir of (process.env.PATH || '').split(path.delimiter).concat(['/usr/sbin', '/usr/bin', '/sbin', '/bin'])) {
		const p = path.join(dir, cmd);
		try {
			fs.accessSync(p, fs.constants.X_OK);
			return p;
		} catch {
			/* next */
		}
	}
	return undefined;
}

/** Runs a command as root (directly, or through `sudo -n`). */
async function asRoot(cmd, args, opts = {}) {
	const [c, a] = isRoot ? [cmd, args] : ['sudo', ['-n', cmd, ...args]];
	return exec(c, a, { timeoutMs: APT_TIMEOUT_MS, ...opts });
}

/** apt-get install of Debian packages; one `apt-get update` and a second try when the first fails. */
async function aptInstall(packages, log) {
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const install = () => asRoot('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '-q', '--no-install-recommends', ...packages], { env });
	const t = Date.now();
	log(`installing ${packages.join(', ')} with apt-get`);
	let r = await install();
	if (r.code !== 0) {
		log(`apt-get install failed (exit ${r.code}); running apt-get update and trying again`);
		await asRoot('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'update', '-q'], { env });
		r = await install();
	}
	if (r.code !== 0) throw new Error(`apt-get install ${packages.join(' ')} failed (exit ${r.code}):\n${(r.stdout + r.stderr).slice(-3000)}`);
	log(`apt-get install ${packages.join(', ')}: ${((Date.now() - t) / 1000).toFixed(1)}s`);
	return Date.now() - t;
}

/** The newest PostgreSQL server's bin folder (Debian layout /usr/lib/postgresql/<major>/bin). */
function postgresBinDir() {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return undefined;
	const majors = fs
		.readdirSync(root)
		.filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')) && fs.existsSync(path.join(root, v, 'bin', 'pg_ctl')))
		.sort((a, b) => Number(b) - Number(a));
	return majors.length ? path.join(root, majors[0], 'bin') : undefined;
}

/** Whether TCP host:port accepts a connection. */
function tcpOpen(port, host = '127.0.0.1') {
	return new Promise((resolve) => {
		const s = net.connect({ port, host });
		s.setTimeout(1000);
		s.once('connect', () => {
			s.destroy();
			resolve(true);
		});
		s.once('error', () => resolve(false));
		s.once('timeout', () => {
			s.destroy();
			resolve(false);
		});
	});
}

/**
 * Starts a private PostgreSQL cluster in `dir` (created) on a free loopback port and creates the
 * database `n8n`. initdb and pg_ctl refuse to run as root: as root they run as the `postgres`
 * user (created by Debian's package) through runuser.
 */
async function startPostgres(procs, { dir, log = () => {} }) {
	const times = {};
	let bin = postgresBinDir();
	if (!bin) {
		times.aptMs = await aptInstall(['postgresql'], log);
		bin = postgresBinDir();
		if (!bin) throw new Error('postgresql installed but no /usr/lib/postgresql/<major>/bin/initdb found');
	}
	const version = path.basename(path.dirname(bin));
	const t = Date.now();
	fs.mkdirSync(dir, { recursive: true });
	// The postgres user must be able to enter the run folder (mkdtemp makes 0700 folders).
	if (isRoot) fs.chmodSync(path.dirname(dir), 0o711);
	const dataDir = path.join(dir, 'data');
	const sockDir = path.join(dir, 'sock');
	const logFile = path.join(dir, 'postgres.log');
	fs.mkdirSync(dataDir, { mode: 0o700 });
	fs.mkdirSync(sockDir);
	fs.writeFileSync(logFile, '');
	let runAs = (cmd, args) => [cmd, args];
	if (isRoot) {
		const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
		const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
		for (const p of [dir, dataDir, sockDir, logFile]) fs.chownSync(p, uid, gid);
		runAs = (cmd, args) => [which('runuser') || 'runuser', ['-u', 'postgres', '--', cmd, ...args]];
	}
	const run = async (what, cmd, args, timeoutMs = 120_000) => {
		const [c, a] = runAs(path.join(bin, cmd), args);
		const r = await exec(c, a, { timeoutMs, cwd: dir });
		if (r.code !== 0) {
			let pgLog = '';
			try {
				pgLog = fs.readFileSync(logFile, 'utf8').slice(-3000);
			} catch {
				/* none */
			}
			throw new Error(`${what} failed (exit ${r.code}${r.timedOut ? ', timed out' : ''}):\n${(r.stdout + r.stderr).slice(-3000)}\n${pgLog}`);
		}
		return r;
	};
	await run('initdb', 'initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale', '--no-sync']);
	const port = await freePort();
	const serverOpts = `-p ${port} -k ${sockDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
	const stop = async () => {
		const pid = postmasterPid(dataDir);
		await run('pg_ctl stop', 'pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '30'], 60_000).catch((e) => log(e.message.split('\n')[0]));
		// The postmaster is a daemon (re-parented to PID 1): make sure that PID is gone.
		if (pid) await killPid(pid, { signal: 'SIGQUIT', graceMs: 10_000 });
	};
	// Registered before the start: a start that half-succeeds is still stopped.
	// SIGQUIT = PostgreSQL's immediate shutdown (for the exit-time last resort).
	const entry = procs.track({ name: `postgres ${version}`, pid: undefined, stop, exitSignal: 'SIGQUIT' });
	await run('pg_ctl start', 'pg_ctl', ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOpts], 90_000);
	entry.pid = postmasterPid(dataDir);
	procs.started[procs.started.length - 1].pid = entry.pid;
	const psql = path.join(bin, 'psql');
	const sql = (q) => exec(psql, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-qAtc', q], { timeoutMs: 60_000 });
	const r = await sql('CREATE DATABASE n8n');
	if (r.code !== 0) throw new Error(`CREATE DATABASE failed:\n${r.stdout}${r.stderr}`);
	times.startMs = Date.now() - t;
	log(`PostgreSQL ${version}: private cluster on 127.0.0.1:${port}, postmaster pid ${entry.pid} (${(times.startMs / 1000).toFixed(1)}s)`);
	return {
		host: '127.0.0.1',
		port,
		database: 'n8n',
		user: 'postgres',
		password: 'unused-trust-auth',
		version,
		pid: entry.pid,
		times,
		/** Runs one SQL statement in the n8n database; resolves its unaligned rows ('|' separated). */
		query: async (q) => {
			const x = await exec(psql, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'n8n', '-v', 'ON_ERROR_STOP=1', '-qAtc', q], { timeoutMs: 60_000 });
			if (x.code !== 0) throw new Error(`psql failed: ${x.stderr.slice(-1000)}`);
			return x.stdout.split('\n').filter(Boolean);
		},
	};
}

function postmasterPid(dataDir) {
	try {
		const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
		return Number.isInteger(pid) && pid > 0 ? pid : undefined;
	} catch {
		return undefined;
	}
}

/** Sends one inline Redis command and resolves the first reply line. */
function redisCommand(port, command) {
	return new Promise((resolve, reject) => {
		const s = net.connect({ port, host: '127.0.0.1' });
		let buf = '';
		s.setTimeout(2000);
		s.once('connect', () => s.write(`${command}\r\n`));
		s.on('data', (d) => {
			buf += d;
			if (buf.includes('\r\n')) {
				s.destroy();
				resolve(buf.split('\r\n')[0]);
			}
		});
		s.once('error', reject);
		s.once('timeout', () => {
			s.destroy();
			reject(new Error('redis timeout'));
		});
	});
}

/** Starts redis-server as a child on a free loopback port, without persistence. */
async function startRedis(procs, { dir, log = () => {} }) {
	const times = {};
	let bin = which('redis-server');
	if (!bin) {
		times.aptMs = await aptInstall(['redis-server'], log);
		bin = which('redis-server');
		if (!bin) throw new Error('redis-server installed but not found on PATH');
	}
	const t = Date.now();
	fs.mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const h = procs.spawn('redis-server', bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
		cwd: dir,
		logFile: path.join(dir, 'redis.log'),
	});
	for (;;) {
		if (h.exited()) throw new Error(`redis-server exited (${JSON.stringify(h.exited())}):\n${h.output()}`);
		const pong = await redisCommand(port, 'PING').catch(() => undefined);
		if (pong === '+PONG') break;
		if (Date.now() - t > 30_000) throw new Error(`redis-server not answering PING after 30 s:\n${h.output()}`);
		await sleep(100);
	}
	const version = (/v=(\d+\.\d+\.\d+)/.exec(execFileSync(bin, ['--version'], { encoding: 'utf8' })) || [])[1] || 'unknown';
	times.startMs = Date.now() - t;
	log(`Redis ${version}: 127.0.0.1:${port}, pid ${h.pid} (${(times.startMs / 1000).toFixed(1)}s)`);
	return { host: '127.0.0.1', port, version, pid: h.pid, times };
}

module.exports = { startPostgres, startRedis, tcpOpen, pidRunning, aptInstall };
