'use strict';
/**
 * The sign-up example with its REAL Form Trigger: `n8n start`, owner setup, activate the imported
 * example (unchanged, as users get it), submit the production form over HTTP like a browser does
 * (multipart, fields `field-<n>`), then check the execution and the sandbox.
 *
 * liveFormCheck({ home, api, workflow, expect, note }) — home: N8nHome with the package, the
 * credential and `workflow` (examples/form-signup.json) imported.
 */

const http = require('http');
const crypto = require('crypto');
const { freePort, httpJson } = require('../../scripts/n8n-run');

const BROWSER_ID = 'loymaxsc-e2e-browser';
const OWNER = { email: 'owner@loymaxsc.local', firstName: 'E2E', lastName: 'Owner', password: 'LoymaxSc-e2e1' };

function postMultipart(url, fields) {
	const boundary = `----loymaxsc${crypto.randomBytes(8).toString('hex')}`;
	const body = Buffer.from(
		Object.entries(fields)
			.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
			.join('') + `--${boundary}--\r\n`,
	);
	const u = new URL(url);
	return new Promise((resolve, reject) => {
		const req = http.request(
			{ method: 'POST', hostname: u.hostname, port: u.port, path: u.pathname, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length } },
			(res) => {
				let text = '';
				res.on('data', (c) => (text += c));
				res.on('end', () => resolve({ status: res.statusCode, text }));
			},
		);
		req.on('error', reject);
		req.setTimeout(60_000, () => req.destroy(new Error('form POST timeout')));
		req.end(body);
	});
}

async function liveFormCheck({ home, api, workflow, expect, note }) {
	const port = await freePort();
	const server = await home.start({ port, echo: !!process.env.N8N_E2E_VERBOSE });
	const base = `http://127.0.0.1:${port}`;
	try {
		note(`n8n start ready in ${(server.took / 1000).toFixed(1)}s`);
		const setup = await httpJson('POST', `${base}/rest/owner/setup`, OWNER, { 'browser-id': BROWSER_ID });
		expect(setup.status === 200, `POST /rest/owner/setup -> ${setup.status} ${setup.text.slice(0, 200)}`);
		const cookie = []
			.concat(setup.headers['set-cookie'] || [])
			.map((c) => c.split(';')[0])
			.join('; ');
		const auth = { cookie, 'browser-id': BROWSER_ID };
		const login = await httpJson('POST', `${base}/rest/login`, { emailOrLdapLoginId: OWNER.email, password: OWNER.password }, { 'browser-id': BROWSER_ID });
		expect(login.status === 200, `owner can log in (POST /rest/login -> ${login.status})`);

		const types = await httpJson('GET', `${base}/types/nodes.json`, undefined, auth);
		const loaded = Array.isArray(types.body) && types.body.some((t) => t.name === 'n8n-nodes-loymaxsc.loymaxSc');
		expect(loaded, 'the editor lists node type n8n-nodes-loymaxsc.loymaxSc');

		const wf = await httpJson('GET', `${base}/rest/workflows/${workflow.id}`, undefined, auth);
		const versionId = wf.body?.data?.versionId;
		expect(!!versionId, `GET /rest/workflows/${workflow.id} -> ${wf.status}`);
		// A moment after start-up n8n may still answer "n8n is starting up. Please wait": try again then.
		let act;
		for (const t0 = Date.now(); Date.now() - t0 < 30_000; await new Promise((r) => setTimeout(r, 500))) {
			act = await httpJson('POST', `${base}/rest/workflows/${workflow.id}/activate`, { versionId }, auth);
			if (!/starting up/i.test(act.text)) break;
		}
		expect(act.status === 200 && act.body?.data?.active === true, `activate the form workflow -> ${act.status} ${act.text.slice(0, 300)}`);
		if (act.status !== 200) return;

		const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.formTrigger');
		const formPath = trigger.parameters.options.path;
		// Registering the production form can finish a moment after the activate call returns.
		let page;
		const tw = Date.now();
		while (Date.now() - tw < 30_000) {
			page = await httpJson('GET', `${base}/form/${formPath}`);
			if (page.status === 200) break;
			await new Promise((r) => setTimeout(r, 500));
		}
		expect(page.status === 200 && /<form/i.test(page.text), `GET /form/${formPath} serves the form (${page.status} after ${Date.now() - tw} ms)`);
		if (page.status !== 200) return;
		note(`production form served ${Date.now() - tw} ms after activation`);

		const person = { 'First name': 'Nina', 'Last name': 'Belova', Email: ' Nina.Belova@Example.com ', Phone: '79990001122', City: 'Tver', 'Send me news and offers by email': 'Yes' };
		const fields = {};
		trigger.parameters.formFields.values.forEach((f, i) => {
			fields[`field-${i}`] = person[f.fieldLabel] ?? '';
		});
		await api.clearLog();
		const sent = await postMultipart(`${base}/form/${formPath}`, fields);
		expect(sent.status === 200, `form submission -> ${sent.status} ${sent.text.slice(0, 200)}`);

		// The form answers on receipt; wait for the workflow to reach the sandbox.
		const id = person.Email.trim().toLowerCase();
		let log = [];
		for (let i = 0; i < 60; i++) {
			log = await api.log();
			if (log.some((e) => e.method === 'PATCH' && /\/subscribe$/.test(e.path))) break;
			await new Promise((r) => setTimeout(r, 500));
		}
		const post = log.find((e) => e.method === 'POST' && /^\/customer\/?$/.test(e.path));
		expect(post && post.status === 201, `sandbox got POST /customer from the live form (${post ? post.status : 'none'})`);
		const patch = log.find((e) => e.method === 'PATCH' && /\/subscribe$/.test(e.path));
		expect(patch && patch.status === 200, `sandbox got PATCH .../subscribe from the live form (${patch ? patch.status : 'none'})`);
		const c = await api.getOne(`/customer/${encodeURIComponent(id)}`);
		expect(c && c.first_name === 'Nina' && c.city === 'Tver' && c.email === id, `stored live-form customer: ${JSON.stringify(c && [c.first_name, c.city, c.email])}`);
		const subs = await api.getAll(`/customer/${encodeURIComponent(id)}/subscribe`);
		expect(subs.some((s) => s.code === 'news' && s.status_email === 'Y'), 'live-form customer subscribed to news by email');

		let exec;
		for (let i = 0; i < 20; i++) {
			const ex = await httpJson('GET', `${base}/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: workflow.id }))}`, undefined, auth);
			exec = (ex.body?.data?.results || [])[0];
			if (exec && exec.status !== 'running' && exec.status !== 'new') break;
			await new Promise((r) => setTimeout(r, 500));
		}
		expect(exec && exec.mode === 'webhook' && exec.status === 'success', `n8n recorded the form execution: ${JSON.stringify(exec && { mode: exec.mode, status: exec.status })}`);
	} finally {
		await server.stop();
	}
}

module.exports = { liveFormCheck };
