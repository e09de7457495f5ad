#!/usr/bin/env node
'use strict';
/**
 * e2e "queue mode": real n8n 2.41.1 in queue mode (main + two `n8n worker`s, PostgreSQL, Redis),
 * the package installed as a community package in every process, the credential stored once in
 * PostgreSQL. Two executions fired at the same time each upsert ROWS customers against the sandbox
 * with a scaled-down limit (LIMIT per WINDOW s, fixed window), once with the sandbox's rate-limit
 * headers and once without. Checked for each: every row stored exactly once with the data sent,
 * 0 error items, both executions answered, one on each worker, at most one login per worker (the
 * token is shared through the database), every started process stopped. Printed: rows stored,
 * duplicates, error items, 429s, logins, time against the ideal (rows / limit × window).
 *
 * Run by scripts/e2e.js (target n8n2) unless N8N_E2E_QUEUE=0; alone:
 *   node test/e2e/queue-mode.js [--no-build] [--keep] [--rows=400] [--variants=headers,noheaders]
 * Env: N8N_E2E_QUEUE_ROWS, N8N_E2E_QUEUE_LIMIT (300), N8N_E2E_QUEUE_WINDOW (20 s).
 * PostgreSQL and Redis come from Debian's packages (apt-get install when missing; see
 * test/e2e/queue/services.js); nothing is left running.
 */

const fs = require('fs');
const path = require('path');
const { runQueueMode } = require('./queue/run');
const { resultTable } = require('./queue/report');

const NAME = 'queue mode: 2 workers, one API limit';
const KEY = 'queue-mode';

function settings(opt = () => undefined) {
	const num = (name, env, fallback) => Number(opt(name) || process.env[env] || fallback);
	return {
		rows: num('rows', 'N8N_E2E_QUEUE_ROWS', 400),
		limit: num('limit', 'N8N_E2E_QUEUE_LIMIT', 300),
		windowSeconds: num('window', 'N8N_E2E_QUEUE_WINDOW', 20),
		variants: opt('variants') ? opt('variants').split(',') : undefined,
	};
}

/** Whether scripts/e2e.js runs it: target n8n2 selected, not switched off, not excluded by --only. */
function enabled({ targetNames, onlyScenarios }) {
	if (process.env.N8N_E2E_QUEUE === '0') return false;
	if (!targetNames.includes('n8n2')) return false;
	return !onlyScenarios || onlyScenarios.includes(KEY);
}

/** Checks of one finished run (`expect(cond, message)`, `note(message)`). */
function check(result, { expect, note }) {
	const { rows } = result.setup;
	for (const v of result.variants) {
		const f = v.figures;
		const tag = `[${v.name}]`;
		for (const a of v.answers) expect(a.status === 200, `${tag} execution ${a.prefix}: webhook answered ${a.status} ${a.text.slice(0, 300)}`);
		for (const e of f.perExecution) {
			expect(e.items === rows, `${tag} execution ${e.prefix}: ${e.items} items out of the node, expected ${rows}`);
			expect(e.okItems === e.items - e.errorItems, `${tag} execution ${e.prefix}: ${e.items - e.errorItems - e.okItems} items neither an error nor a stored customer`);
		}
		expect(f.errorItems === 0, `${tag} ${f.errorItems} error items (first: ${f.perExecution.map((e) => e.firstError).find(Boolean)})`);
		expect(f.stored === f.rows, `${tag} ${f.stored} of ${f.rows} rows stored; missing e.g. ${f.missing.slice(0, 5).join(', ')}`);
		expect(f.duplicates === 0, `${tag} ${f.duplicates} duplicate records`);
		expect(!f.wrong.length, `${tag} ${f.wrong.length} rows stored with other data than sent, e.g. ${f.wrong.slice(0, 3).join('; ')}`);
		const workers = new Set(v.workers.map((w) => w.worker));
		expect(
			v.workers.length === v.answers.length && workers.size === v.answers.length,
			`${tag} expected the ${v.answers.length} executions on ${v.answers.length} different workers, saw ${JSON.stringify(v.workers)}`,
		);
		expect(!v.stillRunning.length, `${tag} executions ${v.stillRunning.join(', ')} still running on a worker long after main answered`);
		expect(f.logins >= 1 && f.logins <= result.setup.workers, `${tag} ${f.logins} logins, expected 1..${result.setup.workers} (the token is shared through the database)`);
		note(
			`${tag} ${f.stored}/${f.rows} stored, ${f.duplicates} duplicates, ${f.rewrites} rows written twice, ${f.errorItems} error items, ` +
				`${f.rejected429} × 429, ${f.unauthorized401} × 401, ${f.logins} login(s); ${(f.wallMs / 1000).toFixed(1)} s vs ideal ${(f.idealMs / 1000).toFixed(1)} s`,
		);
	}
	const events = Object.entries(result.logEvents || {});
	if (events.length) note(`n8n log: ${events.map(([k, n]) => `${k} ${typeof n === 'number' ? `× ${n}` : n}`).join('; ')}`);
	expect(result.variants.length > 0, 'no variant ran');
	expect(!result.stillRunning.length, `processes still running after the stop: ${JSON.stringify(result.stillRunning)}`);
	note(`${result.started.length} processes started and stopped by PID: ${result.started.map((p) => `${p.name} ${p.pid}`).join(', ')}`);
}

/**
 * For scripts/e2e.js: runs it as one check through e2e's `runCheck(report, name, body)` and
 * returns a report shaped like e2e's per-target reports.
 */
async function runReport({ tarball, runCheck, say = (s) => process.stdout.write(`${s}\n`) }) {
	const report = { target: 'n8n2-queue', label: 'n8n 2.41.1 queue mode', results: [], times: {} };
	const started = Date.now();
	say(`\n=== ${report.label} ===`);
	await runCheck(report, NAME, async (c) => {
		const result = await runQueueMode({ tarball, ...settings(), log: (m) => say(`  ${m}`) });
		report.times.install = { seconds: (result.times.n8nInstallMs || 0) / 1000, cached: true };
		say(resultTable(result).replace(/^/gm, '  '));
		check(result, c);
	});
	report.times.total = (Date.now() - started) / 1000;
	report.times.afterInstall = report.times.total - (report.times.install ? report.times.install.seconds : 0);
	return report;
}

module.exports = { NAME, KEY, enabled, runReport, check, settings };

if (require.main === module) {
	const { packProject, cliArgs, fmtSec } = require('../../scripts/n8n-run');
	const { flag, opt } = cliArgs();
	(async () => {
		const started = Date.now();
		const tarball = await packProject({ build: !flag('no-build') });
		let result;
		try {
			result = await runQueueMode({ tarball, ...settings(opt), keep: flag('keep'), log: (m) => console.log(`  ${m}`) });
		} finally {
			fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
		}
		console.log(`\n${resultTable(result)}\n`);
		const failures = [];
		check(result, { expect: (cond, msg) => cond || failures.push(msg), note: (m) => console.log(`  ${m}`) });
		for (const f of failures) console.log(`  FAIL ${f}`);
		console.log(`${failures.length ? 'FAIL' : 'PASS'} ${NAME} — ${fmtSec(Date.now() - started)} in all`);
		process.exitCode = failures.length ? 1 : 0;
	})().catch((e) => {
		console.log(`FAIL ${NAME}: ${e.stack || e.message}`);
		process.exit(1);
	});
}
