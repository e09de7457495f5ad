#!/usr/bin/env node
'use strict';
/**
 * Queue-mode benchmark: real n8n 2.41.1 in queue mode (main + 2 workers, PostgreSQL, Redis; see
 * test/e2e/queue/), two executions at once upserting customers against the sandbox with a
 * scaled-down limit, with and without the sandbox's rate-limit headers. Figures, not assertions:
 *
 *   aggregate rate / limit   how fast the two workers together sent, as a multiple of the limit
 *                            (peak over a quarter window, any answer), and the accepted rate over
 *                            the whole run
 *   429s                     answers 429 (each one a request the API refused)
 *   time vs ideal            wall time of the two executions against rows / limit × window
 *
 *   node test/bench/queue.js [--no-build] [--keep]
 * Env: BENCH_QUEUE_ROWS (600 per execution), BENCH_QUEUE_LIMIT (300), BENCH_QUEUE_WINDOW (20 s).
 * Writes queue-results.md and queue-results.json beside this file. Exit code non-zero only when
 * the run could not be measured.
 */

const fs = require('fs');
const path = require('path');
const { runQueueMode } = require('../e2e/queue/run');
const { resultTable, table, sec } = require('../e2e/queue/report');
const { packProject, cliArgs, fmtSec } = require('../../scripts/n8n-run');

const envInt = (name, fallback) => {
	const v = Number(process.env[name]);
	return Number.isInteger(v) && v > 0 ? v : fallback;
};

/** The benchmark table: one row per variant. */
function benchTable(result) {
	return table(
		['queue mode, 2 workers', 'peak send rate / limit', 'accepted rate / limit', '429s', 'time', 'ideal', 'time / ideal', 'stored', 'error items', 'logins'],
		result.variants.map((v) => {
			const f = v.figures;
			return [
				v.name,
				`${f.peakRateOfLimit.toFixed(2)}×`,
				`${f.acceptedRateOfLimit.toFixed(2)}×`,
				f.rejected429,
				sec(f.wallMs),
				sec(f.idealMs),
				`${(f.wallMs / f.idealMs).toFixed(2)}×`,
				`${f.stored}/${f.rows}`,
				f.errorItems,
				f.logins,
			];
		}),
	);
}

async function main() {
	const { flag } = cliArgs();
	const started = Date.now();
	const opts = { rows: envInt('BENCH_QUEUE_ROWS', 600), limit: envInt('BENCH_QUEUE_LIMIT', 300), windowSeconds: envInt('BENCH_QUEUE_WINDOW', 20) };
	const tarball = await packProject({ build: !flag('no-build') });
	let result;
	try {
		result = await runQueueMode({ tarball, ...opts, keep: flag('keep'), log: (m) => process.stderr.write(`  ${m}\n`) });
	} finally {
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	}
	const bench = benchTable(result);
	const text = [
		`Queue mode (${new Date().toISOString()}, ${fmtSec(result.times.totalMs)} for the run)`,
		'',
		bench,
		'',
		resultTable(result),
	].join('\n');
	console.log(`\n${text}\n`);
	fs.writeFileSync(path.join(__dirname, 'queue-results.md'), `# Queue-mode benchmark\n\n\`\`\`\n${text}\n\`\`\`\n`);
	const { runDir, ...setup } = result.setup;
	const json = {
		date: new Date().toISOString(),
		setup,
		variants: result.variants.map(({ name, asked, probe, figures, workers }) => ({ name, asked, probe: probe.text, workers, figures })),
		times: result.times,
	};
	fs.writeFileSync(path.join(__dirname, 'queue-results.json'), `${JSON.stringify(json, null, 2)}\n`);
	console.log(`queue bench: ${fmtSec(Date.now() - started)} in all`);
}

module.exports = { benchTable };

if (require.main === module) {
	main().catch((e) => {
		console.error(`queue bench could not be measured: ${e.stack || e.message}`);
		process.exit(1);
	});
}
