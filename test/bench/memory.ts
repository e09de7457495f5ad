import { Worker } from 'node:worker_threads';

/**
 * Peak RSS sampler. It runs on its own thread so that it keeps sampling while the main thread is
 * busy (n8n's execution is synchronous for long stretches, a timer on the main thread would miss
 * exactly the peaks we are after). RSS is process-wide, so the thread sees the whole process.
 */
const SAMPLER_SOURCE = `
const { workerData } = require('node:worker_threads');
const state = new Float64Array(workerData.buffer, 0, 3); // [peak, samples, stop]
const sleeper = new Int32Array(workerData.buffer, 24, 1);
while (state[2] === 0) {
	const rss = process.memoryUsage.rss();
	if (rss > state[0]) state[0] = rss;
	state[1]++;
	Atomics.wait(sleeper, 0, 0, workerData.intervalMs);
}
`;

export interface MemorySample {
	peakRss: number;
	samples: number;
}

export class PeakRssSampler {
	private readonly buffer = new SharedArrayBuffer(32);
	private readonly state = new Float64Array(this.buffer, 0, 3);
	private readonly worker: Worker;

	private constructor(intervalMs: number) {
		this.worker = new Worker(SAMPLER_SOURCE, { eval: true, workerData: { buffer: this.buffer, intervalMs } });
	}

	/** Starts the thread and waits until it has taken its first sample. */
	static async start(intervalMs = 2): Promise<PeakRssSampler> {
		const sampler = new PeakRssSampler(intervalMs);
		while (sampler.state[1] === 0) await new Promise((resolve) => setTimeout(resolve, 5));
		return sampler;
	}

	/** Forgets the peak so far: the next peak is measured from `rss` on. */
	reset(rss: number): void {
		this.state[0] = rss;
		this.state[1] = 0;
	}

	read(): MemorySample {
		return { peakRss: Math.max(this.state[0], process.memoryUsage.rss()), samples: this.state[1] };
	}

	async stop(): Promise<MemorySample> {
		const sample = this.read();
		this.state[2] = 1;
		await this.worker.terminate();
		return sample;
	}
}

/** Full collection (needs `--expose-gc`), twice so that finalizers of the first one are collected too. */
export async function collectGarbage(): Promise<void> {
	const gc = (global as { gc?: () => void }).gc;
	if (!gc) throw new Error('run with node --expose-gc');
	gc();
	await new Promise((resolve) => setImmediate(resolve));
	gc();
}
