'use strict';
/**
 * Figures of one variant from the sandbox's request log, the records read back and the webhook
 * answers: rows stored (once, with the sent data), duplicates, error items, 429s, logins, times.
 */

const { expectedCustomer } = require('./workflow');

const isLogin = (e) => e.method === 'POST' && /^\/+token\/?$/.test(e.path);
const isWrite = (e) => e.method === 'POST' && /^\/+customer\/?$/.test(e.path);
const ok = (e) => e.status >= 200 && e.status < 300;

function localIdOf(entry) {
	const b = entry.body;
	if (!b || typeof b !== 'object') return undefined;
	return (b.data && b.data.attributes && b.data.attributes.local_id) || b.local_id;
}

/** Most requests in any interval of `spanMs` (sliding over the request times). */
function peakCount(times, spanMs) {
	let best = 0;
	for (let i = 0, j = 0; j < times.length; j++) {
		while (times[j] - times[i] >= spanMs) i++;
		best = Math.max(best, j - i + 1);
	}
	return best;
}

/**
 * @param log       sandbox request log entries of the variant (from just before the webhooks fired)
 * @param records   customers read back from the sandbox ({ local_id, first_name, ... })
 * @param answers   [{ prefix, status, body, ms, firedAt }] webhook answers (body = the node's items)
 * @param rows      rows per execution
 */
function measure({ log, records, answers, rows, limit, windowSeconds, wallMs, firedAt }) {
	const entries = [...log].sort((a, b) => a.time - b.time);
	const windowMs = windowSeconds * 1000;
	const totalRows = rows * answers.length;
	const first = entries.length ? entries[0].time : 0;
	const last = entries.length ? entries[entries.length - 1].time : 0;
	const apiSpanMs = last - first;
	const accepted = entries.filter(ok).length;
	const times = entries.map((e) => e.time);
	const peakSpanMs = windowMs / 4;

	const perExecution = answers.map(({ prefix, status, body, ms }) => {
		const writes = entries.filter((e) => isWrite(e) && String(localIdOf(e) || '').startsWith(`${prefix}-`));
		// The webhook answers with every item the node put out (an array).
		const items = Array.isArray(body) ? body : [];
		const failed = items.filter((i) => i && i.error !== undefined);
		return {
			prefix,
			status,
			ms,
			items: items.length,
			errorItems: failed.length,
			okItems: items.filter((i) => i && i.error === undefined && typeof i.local_id === 'string').length,
			firstError: failed.length ? String(failed[0].error).slice(0, 500) : undefined,
			requests: writes.length,
			rejected429: writes.filter((e) => e.status === 429).length,
			firstRequestMs: writes.length ? writes[0].time - first : undefined,
			lastRequestMs: writes.length ? writes[writes.length - 1].time - first : undefined,
		};
	});

	// Stored exactly once, with what was sent.
	const byId = new Map();
	for (const r of records) byId.set(r.local_id, (byId.get(r.local_id) || 0) + 1);
	let stored = 0;
	let duplicates = 0;
	const missing = [];
	const wrong = [];
	for (const { prefix } of answers) {
		for (let n = 1; n <= rows; n++) {
			const want = expectedCustomer(prefix, n);
			const count = byId.get(want.local_id) || 0;
			if (!count) {
				missing.push(want.local_id);
				continue;
			}
			stored++;
			if (count > 1) duplicates += count - 1;
			const got = records.find((r) => r.local_id === want.local_id);
			const diff = ['first_name', 'last_name', 'email', 'city'].filter((k) => got[k] !== want[k]);
			if (diff.length) wrong.push(`${want.local_id}: ${diff.map((k) => `${k}=${JSON.stringify(got[k])} (sent ${JSON.stringify(want[k])})`).join(', ')}`);
		}
	}
	const acceptedWrites = new Map();
	for (const e of entries) if (isWrite(e) && ok(e)) acceptedWrites.set(localIdOf(e), (acceptedWrites.get(localIdOf(e)) || 0) + 1);
	const rewrites = [...acceptedWrites.values()].reduce((s, c) => s + Math.max(0, c - 1), 0);

	const idealMs = (totalRows / limit) * windowMs;
	const perWindow = (count, ms) => (ms > 0 ? (count / ms) * windowMs : 0);
	return {
		rows: totalRows,
		stored,
		duplicates,
		rewrites,
		missing,
		wrong,
		errorItems: perExecution.reduce((s, x) => s + x.errorItems, 0),
		// From the webhook calls to the first API request, and from the last one to the answers.
		startupMs: entries.length && firedAt ? first - firedAt : undefined,
		tailMs: entries.length && firedAt ? firedAt + wallMs - last : undefined,
		requests: entries.length,
		accepted,
		rejected429: entries.filter((e) => e.status === 429).length,
		unauthorized401: entries.filter((e) => e.status === 401).length,
		logins: entries.filter(isLogin).length,
		wallMs,
		apiSpanMs,
		idealMs,
		// Accepted requests per window over the whole run, and the fastest sending (any status) over
		// a quarter window, both as a multiple of the limit.
		acceptedRateOfLimit: perWindow(accepted, apiSpanMs) / limit,
		peakRateOfLimit: (peakCount(times, peakSpanMs) * (windowMs / peakSpanMs)) / limit,
		perExecution,
	};
}

module.exports = { measure, isLogin, isWrite };
