'use strict';
/**
 * Preloaded into n8n's main and workers (NODE_OPTIONS=--require) by the queue-mode run: reports
 * every stretch of 2 s or more in which the event loop did not run, with the CPU time the process
 * used meanwhile (CPU ≈ stretch: the process itself was busy; CPU ≪ stretch: the machine was). A
 * worker whose loop stops for a minute cannot renew its job lock, and main then fails the
 * execution as stalled.
 */
const TICK_MS = 250;
const REPORT_MS = 2000;
let last = Date.now();
let lastCpu = process.cpuUsage();
const timer = setInterval(() => {
	const now = Date.now();
	const cpu = process.cpuUsage();
	const lag = now - last - TICK_MS;
	if (lag >= REPORT_MS) {
		const cpuMs = Math.round((cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000);
		process.stderr.write(`[loymaxsc-lag] event loop stalled ${lag} ms (process CPU ${cpuMs} ms) pid ${process.pid}\n`);
	}
	last = now;
	lastCpu = cpu;
}, TICK_MS);
timer.unref();
