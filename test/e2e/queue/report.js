'use strict';
/** The printed tables of a queue-mode run (e2e and bench). */

const sec = (ms) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
const x = (v) => `${v.toFixed(2)}×`;

function table(header, rows) {
	const cells = [header, ...rows].map((r) => r.map(String));
	const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
	const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
	return [line(cells[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

/** Setup line + one row per variant: the figures the issue asks for. */
function resultTable(result) {
	const { rows, limit, windowSeconds } = result.setup;
	const head = [
		`${result.setup.n8n || 'n8n'}, EXECUTIONS_MODE=queue, main + ${result.setup.workers} workers (concurrency 1), ` +
			`PostgreSQL ${result.setup.postgres}, Redis ${result.setup.redis}`,
		`2 executions at once × ${rows} customers upserted; sandbox limit ${limit} per ${windowSeconds} s; credential Max Requests per Minute ` +
			`${Math.round((limit * 60) / windowSeconds)} with headers, half of it without (each worker's share), Rate Window and ` +
			`Pause After Rate Limit ${windowSeconds} s; ideal = rows / limit × window`,
	];
	for (const v of result.variants) head.push(`${v.name}: sandbox ${v.asked}`);
	const body = result.variants.map((v) => {
		const f = v.figures;
		return [
			v.name,
			`${f.stored}/${f.rows}`,
			f.duplicates,
			f.errorItems,
			f.rejected429,
			f.logins,
			sec(f.wallMs),
			sec(f.idealMs),
			x(f.wallMs / f.idealMs),
			sec(f.apiSpanMs),
			`${sec(f.startupMs)} / ${sec(f.tailMs)}`,
			x(f.acceptedRateOfLimit),
			x(f.peakRateOfLimit),
		];
	});
	const t = table(
		['variant', 'rows stored', 'duplicates', 'error items', '429s', 'logins', 'time', 'ideal', 'time/ideal', 'API span', 'before / after API', 'accepted rate/limit', 'peak send rate/limit'],
		body,
	);
	const per = result.variants.flatMap((v) =>
		v.figures.perExecution.map((e) => [
			v.name,
			e.prefix,
			`HTTP ${e.status}`,
			sec(e.ms),
			e.requests,
			e.rejected429,
			`${sec(e.firstRequestMs)} → ${sec(e.lastRequestMs)}`,
			e.firstError ? e.firstError.slice(0, 80) : '-',
		]),
	);
	const t2 = table(['variant', 'execution', 'webhook', 'took', 'upserts sent', '429s', 'first → last upsert (from first request)', 'first error'], per);
	const notes = result.variants.map(
		(v) => `${v.name}: executions ${v.workers.map((w) => `${w.execution} on ${w.worker}`).join(', ') || 'not seen in worker logs'}; probe: ${v.probe.text}`,
	);
	const events = Object.entries(result.logEvents || {}).map(([k, n]) => (typeof n === 'number' ? `${k} × ${n}` : `${k} ${n}`));
	if (events.length) notes.push(`n8n log: ${events.join('; ')}`);
	return [...head, '', t, '', t2, '', ...notes].join('\n');
}

module.exports = { resultTable, table, sec };
