'use strict';
/**
 * Starts the local fake Loymax SC server (sandbox/cli.ts) as a child process, for processes
 * that cannot use its programmatic API (dev.js, e2e.js driving real n8n), and talks to it.
 *
 *   const sb = await startSandboxProcess({ port: 0 });   // { url, username, password, stop() }
 *   const api = new SandboxClient(sb);
 *   await api.reset(); const log = await api.log();      // control endpoints (/__sandbox/...)
 *   const all = await api.getAll('/order');              // the API itself, with a token
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { PROJECT_DIR, httpJson, stopChild } = require('./n8n-run');

// Several orders per customer (25 customers by default), so that the orders example's summary per
// customer has something to add up. SANDBOX_ORDERS in the environment or in `env` wins.
const DEMO_SEED = { SANDBOX_ORDERS: '130' };

function tsNodeBin(projectDir) {
	try {
		return require.resolve('ts-node/dist/bin.js', { paths: [projectDir] });
	} catch {
		throw new Error('ts-node is not installed: run `npm ci` in the project first');
	}
}

/**
 * Runs `ts-node --transpile-only sandbox/cli.ts` (what `npx ts-node ...` runs, without the
 * npx wrapper so that stopping it stops the server). Resolves once the server wrote its info file.
 */
async function startSandboxProcess({ port = 0, projectDir = PROJECT_DIR, env = {}, echo = false, timeoutMs = 60_000 } = {}) {
	const infoFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loymaxsc-sandbox-')), 'info.json');
	const child = spawn(process.execPath, [tsNodeBin(projectDir), '--transpile-only', 'sandbox/cli.ts'], {
		cwd: projectDir,
		env: { ...DEMO_SEED, ...process.env, SANDBOX_PORT: String(port), SANDBOX_INFO_FILE: infoFile, ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	const onData = (d) => {
		output = (output + d).slice(-10000);
		if (echo) process.stdout.write(String(d).replace(/^(?=.)/gm, '  [sandbox] '));
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	let exited = null;
	child.on('exit', (code, signal) => (exited = { code, signal }));
	const t = Date.now();
	for (;;) {
		if (exited) throw new Error(`sandbox exited (${exited.code ?? exited.signal}) before it was ready:\n${output}`);
		if (fs.existsSync(infoFile)) {
			try {
				const info = JSON.parse(fs.readFileSync(infoFile, 'utf8'));
				if (info.url) {
					return {
						...info,
						child,
						output: () => output,
						stop: async () => {
							await stopChild(child, 5000);
							fs.rmSync(path.dirname(infoFile), { recursive: true, force: true });
						},
					};
				}
			} catch {
				/* partially written: retry */
			}
		}
		if (Date.now() - t > timeoutMs) {
			child.kill('SIGKILL');
			throw new Error(`sandbox not ready after ${timeoutMs} ms:\n${output}`);
		}
		await new Promise((r) => setTimeout(r, 200));
	}
}

class SandboxClient {
	constructor({ url, username, password }) {
		this.url = url.replace(/\/+$/, '');
		this.username = username;
		this.password = password;
		this.token = undefined;
	}

	async _control(method, p, body) {
		const r = await httpJson(method, `${this.url}/__sandbox/${p}`, body);
		if (r.status >= 400) throw new Error(`${method} /__sandbox/${p} -> ${r.status} ${r.text.slice(0, 300)}`);
		return r.body;
	}

	reset() {
		return this._control('POST', 'reset');
	}

	/** The request log (array of entries, see CONTRACT.md). */
	async log() {
		const body = await this._control('GET', 'log');
		return Array.isArray(body) ? body : body?.log ?? body?.entries ?? body?.data ?? [];
	}

	clearLog() {
		return this._control('DELETE', 'log');
	}

	setOptions(opts) {
		return this._control('PATCH', 'options', opts);
	}

	async _login() {
		const r = await httpJson('POST', `${this.url}/token`, { data: { attributes: { username: this.username, password: this.password } } });
		const tok = r.body?.data?.attributes?.access_token;
		if (r.status !== 200 || !tok) throw new Error(`sandbox /token -> ${r.status} ${r.text.slice(0, 300)}`);
		this.token = tok.replace(/^Bearer\s+/i, '');
	}

	/** GET/POST... on the API with a token; resolves { status, body }. */
	async api(method, p, body) {
		if (!this.token) await this._login();
		let r = await httpJson(method, `${this.url}${p}`, body, { authorization: `Bearer ${this.token}`, accept: 'application/vnd.api+json' });
		if (r.status === 401) {
			await this._login();
			r = await httpJson(method, `${this.url}${p}`, body, { authorization: `Bearer ${this.token}`, accept: 'application/vnd.api+json' });
		}
		return r;
	}

	/** All records of a collection (follows pages of 100). Returns [{ id, type, ...attributes }]. */
	async getAll(p) {
		const out = [];
		for (let page = 1; page < 10_000; page++) {
			const sep = p.includes('?') ? '&' : '?';
			const r = await this.api('GET', `${p}${sep}page%5Bnumber%5D=${page}&page%5Bsize%5D=100`);
			if (r.status !== 200) throw new Error(`GET ${p} page ${page} -> ${r.status} ${r.text.slice(0, 300)}`);
			for (const d of r.body.data) out.push({ id: d.id, type: d.type, ...d.attributes });
			if (!r.body.links?.next || !r.body.data.length) break;
		}
		return out;
	}

	/** One record ({ id, type, ...attributes }) or undefined on 404. */
	async getOne(p) {
		const r = await this.api('GET', p);
		if (r.status === 404) return undefined;
		if (r.status !== 200) throw new Error(`GET ${p} -> ${r.status} ${r.text.slice(0, 300)}`);
		const d = r.body.data;
		return { id: d.id, type: d.type, ...d.attributes };
	}
}

module.exports = { startSandboxProcess, SandboxClient };
