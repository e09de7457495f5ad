#!/usr/bin/env node
'use strict';
/**
 * `npm test`: the jest suite, then the end-to-end suite against real n8n (scripts/e2e.js), the same
 * checks as `jest && node scripts/e2e.js`. The n8n installs that the e2e suite needs
 * (scripts/n8n-install.js, side by side) start first, in the background, so a cold run installs
 * while jest runs; their output is held back until jest has finished. A jest failure ends the run
 * and the installs. At the end, a table of what each phase took.
 *
 *   node scripts/test.js [e2e options]     e.g. --target=n8n2 --only=trigger (see scripts/e2e.js)
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { DEFAULT_TARGETS, TARGETS } = require('./n8n-install');
const { cliArgs } = require('./n8n-run');

const e2eArgs = process.argv.slice(2);
const targets = (cliArgs(e2eArgs).opt('target') || process.env.N8N_E2E_TARGETS || DEFAULT_TARGETS.join(','))
	.split(',')
	.map((s) => s.trim())
	.filter((name) => TARGETS[name]);

const started = Date.now();
const rows = []; // { phase, start, seconds, result }
const say = (s = '') => process.stdout.write(`${s}\n`);
const clock = (seconds) => {
	const whole = Math.round(seconds);
	return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
};
const since = (t) => (Date.now() - t) / 1000;

let current; // the jest or e2e process

/** Runs `node args` with the terminal's output; resolves to the exit code. */
function runNode(args, env = process.env) {
	return new Promise((resolve) => {
		current = spawn(process.execPath, args, { stdio: 'inherit', env });
		current.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
	});
}

/**
 * The installs, in their own process group (so they can be stopped with their npm children).
 * Lines are held while `held` is true and printed afterwards.
 */
function startInstalls() {
	const child = spawn(process.execPath, [path.join(__dirname, 'n8n-install.js'), ...targets], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	const state = { child, held: true, lines: [], ready: {}, done: null };
	const show = (line) => (state.held ? state.lines.push(line) : say(`  [install] ${line}`));
	const lines = (stream, each) => {
		let rest = '';
		stream.on('data', (chunk) => {
			const parts = (rest + chunk).split('\n');
			rest = parts.pop();
			parts.forEach(each);
		});
	};
	lines(child.stderr, (line) => show(line.replace(/^\[n8n-install\] /, '')));
	lines(child.stdout, (line) => {
		try {
			const r = JSON.parse(line);
			state.ready[r.target] = r;
			show(`${r.label}: ${r.cached ? 'cached' : 'installed'}, ready after ${clock(r.readyAfterSeconds)}`);
		} catch {
			show(line);
		}
	});
	state.done = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
	state.release = () => {
		state.held = false;
		for (const line of state.lines.splice(0)) say(`  [install] ${line}`);
	};
	state.stop = () => {
		try {
			process.kill(-child.pid, 'SIGTERM');
		} catch {
			/* already gone */
		}
	};
	return state;
}

function printTable(total) {
	say('\n=== Timings (wall clock; the installs run while jest runs) ===');
	const width = Math.max(...rows.map((r) => r.phase.length), 5);
	say(`${'phase'.padEnd(width)}  start   took  result`);
	for (const r of rows) {
		const start = r.start === undefined ? '' : clock(r.start);
		say(`${r.phase.padEnd(width)}  ${start.padStart(5)}  ${clock(r.seconds).padStart(5)}  ${r.result || ''}`);
	}
	say(`${'total'.padEnd(width)}  ${''.padStart(5)}  ${clock(total).padStart(5)}`);
}

async function main() {
	const installs = targets.length ? startInstalls() : undefined;
	const stopAll = () => {
		if (installs) installs.stop();
		if (current) current.kill('SIGTERM');
	};
	for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => (stopAll(), process.exit(130)));

	let t = Date.now();
	const jest = await runNode([require.resolve('jest/bin/jest', { paths: [path.join(__dirname, '..')] })]);
	rows.push({ phase: 'jest', start: 0, seconds: since(t), result: jest === 0 ? 'passed' : `failed (exit ${jest})` });
	if (jest !== 0) {
		if (installs) installs.stop();
		printTable(since(started));
		process.exit(jest);
	}

	if (installs) {
		t = Date.now();
		if (installs.child.exitCode === null) say(`\nWaiting for the n8n installs (${targets.join(', ')}):`);
		installs.release();
		const code = await installs.done;
		for (const name of [...targets].reverse()) {
			const r = installs.ready[name];
			rows.unshift({
				phase: `install ${TARGETS[name].label}`,
				start: 0,
				seconds: r ? r.readyAfterSeconds : since(started),
				result: r ? (r.cached ? 'cached' : 'installed') : `failed (exit ${code}): e2e retries and reports it`,
			});
		}
		if (since(t) >= 1) rows.push({ phase: 'waiting for the installs after jest', start: (t - started) / 1000, seconds: since(t) });
	}

	// The e2e suite: its installs are now ready (or it retries and reports a failed one).
	const timingsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loymaxsc-test-')), 'e2e-timings.json');
	t = Date.now();
	const e2e = await runNode([path.join(__dirname, 'e2e.js'), ...e2eArgs], { ...process.env, N8N_E2E_TIMINGS_FILE: timingsFile });
	const e2eStart = (t - started) / 1000;
	rows.push({ phase: 'e2e', start: e2eStart, seconds: since(t), result: e2e === 0 ? 'passed' : `failed (exit ${e2e})` });
	try {
		const { phases } = JSON.parse(fs.readFileSync(timingsFile, 'utf8'));
		for (const p of phases) rows.push({ phase: `  ${p.name}`, seconds: p.seconds, result: p.passed === undefined ? '' : p.passed ? 'passed' : 'FAILED' });
	} catch {
		/* e2e ended before writing its timings: its own output says why */
	}
	fs.rmSync(path.dirname(timingsFile), { recursive: true, force: true });
	printTable(since(started));
	process.exit(e2e);
}

main().catch((e) => {
	say(`npm test aborted: ${e.stack || e.message}`);
	process.exit(1);
});
