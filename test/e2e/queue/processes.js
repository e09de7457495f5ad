'use strict';
/**
 * Every process the queue-mode run starts is registered here by PID and stopped by PID: in
 * `stopAll()` (called from `finally`) and on SIGINT/SIGTERM/SIGHUP. Nothing is stopped by name.
 *
 *   const procs = new Processes();
 *   procs.track({ name, pid, stop })    // stop: async () => void, must end that PID
 *   await procs.stopAll();
 */

const fs = require('fs');
const { spawn } = require('child_process');
const { stopChild } = require('../../../scripts/n8n-run');
const { pidAlive } = require('../../../scripts/n8n-install');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));


/** A zombie (exited, not yet reaped by PID 1) still answers kill -0: ask /proc for its state. */
function pidRunning(pid) {
	if (!pidAlive(pid)) return false;
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
	} catch {
		return pidAlive(pid);
	}
}

/** Sends `signal` to `pid`, waits up to `graceMs` for it to end, then SIGKILLs it. */
async function killPid(pid, { signal = 'SIGTERM', graceMs = 15_000 } = {}) {
	if (!pidRunning(pid)) return;
	try {
		process.kill(pid, signal);
	} catch {
		return;
	}
	const t = Date.now();
	while (pidRunning(pid) && Date.now() - t < graceMs) await sleep(100);
	if (pidRunning(pid)) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			/* gone */
		}
		const k = Date.now();
		while (pidRunning(pid) && Date.now() - k < 5000) await sleep(100);
	}
}

class Processes {
	constructor(log = () => {}) {
		this.log = log;
		this.entries = [];
		this.started = []; // every { name, pid } ever tracked, for the final check
		this.stopping = undefined;
		this._onSignal = (signal) => {
			this.log(`${signal}: stopping ${this.entries.length} process(es) started by this run`);
			this.stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
		};
		// Last resort when another handler calls process.exit() first: only synchronous calls work
		// here, so every process still running gets its stop signal without waiting.
		this._onExit = () => {
			for (const e of this.entries) {
				if (!e.pid || !pidRunning(e.pid)) continue;
				try {
					process.kill(e.pid, e.exitSignal || 'SIGTERM');
				} catch {
					/* gone */
				}
			}
		};
		for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(s, this._onSignal);
		process.on('exit', this._onExit);
	}

	/** Registers a started process; `stop` must end it. Returns the entry. */
	track(entry) {
		this.entries.push(entry);
		this.started.push({ name: entry.name, pid: entry.pid });
		return entry;
	}

	/**
	 * Spawns a long-running child, logs its output to `logFile`, and tracks it. Returns
	 * { child, pid, name, output(), exited() }.
	 */
	spawn(name, cmd, args, { env, cwd, logFile } = {}) {
		const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
		const out = logFile ? fs.createWriteStream(logFile) : undefined;
		let tail = '';
		let partial = '';
		const lines = [];
		// The log file gets a time on every line (n8n's own text format has none).
		const onData = (d) => {
			tail = (tail + d).slice(-30_000);
			const parts = (partial + d).split('\n');
			partial = parts.pop();
			const stamp = new Date().toISOString().slice(11, 23);
			for (const l of parts) {
				if (out) out.write(`${stamp} ${l}\n`);
				if (l) lines.push(l);
			}
			if (lines.length > 20_000) lines.splice(0, lines.length - 20_000);
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		let exit = null;
		child.on('exit', (code, sig) => {
			exit = { code, signal: sig };
			if (out) out.end();
		});
		child.on('error', (e) => {
			exit = { code: null, signal: null, error: e.message };
		});
		const handle = {
			name,
			child,
			pid: child.pid,
			output: () => tail,
			lines,
			exited: () => exit,
			stop: () => stopChild(child, 15_000),
		};
		this.track(handle);
		return handle;
	}

	/** Stops everything tracked, newest first (n8n before the services it uses). */
	stopAll() {
		if (!this.stopping) {
			this.stopping = (async () => {
				for (const e of [...this.entries].reverse()) {
					try {
						await e.stop();
					} catch (err) {
						this.log(`stopping ${e.name} (pid ${e.pid}) failed: ${err.message}; SIGKILL`);
						if (e.pid) await killPid(e.pid, { signal: 'SIGKILL', graceMs: 0 });
					}
				}
				this.entries = [];
				for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.removeListener(s, this._onSignal);
				process.removeListener('exit', this._onExit);
			})();
		}
		return this.stopping;
	}

	/** Processes ever tracked that still run (for the final "everything stopped" check). */
	stillRunning() {
		return this.started.filter((e) => e.pid && pidRunning(e.pid));
	}
}

module.exports = { Processes, killPid, pidRunning, sleep };
