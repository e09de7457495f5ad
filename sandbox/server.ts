/**
 * The HTTP server: request pipeline (log → faults → rate limit → route → auth → content type →
 * handler), control endpoints, and the `Sandbox` handle.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mintToken, parseAuthorization, requireAuth, userId } from './auth';
import { checkFault, FaultQueue, faultResponse, rateLimited, rateLimitHeaders } from './faults';
import type { Attributes, HandlerResult } from './http';
import {
	ApiError,
	headerValue,
	invalidBody,
	isPlainObject,
	JSON_API,
	mediaType,
	notFound,
	queryObject,
	readBody,
	send,
} from './http';
import { unwrapBody, withNumericIds } from './jsonapi';
import { optionsToJson, patchOptions, resolveOptions } from './options';
import { RateLimiter } from './rateLimit';
import type { RequestContext, Route, SandboxCore } from './router';
import { createRouter } from './routes';
import { Store } from './store';
import type { Fault, IssueTokenOptions, RequestLogEntry, ResolvedSandboxOptions, SandboxOptions } from './types';

export interface Sandbox {
	/** `http://<host>:<port>` */
	readonly url: string;
	readonly port: number;
	/** Live options; tests may change fields at run time. */
	readonly options: ResolvedSandboxOptions;
	/** Every API request (including `/token` and faulted ones); control endpoints are not logged. */
	readonly log: RequestLogEntry[];
	clearLog(): void;
	/** Queue a fault (see CONTRACT.md). */
	inject(fault: Fault): void;
	clearFaults(): void;
	/** Mint a JWT (bare, without `Bearer `). Expired: `ttlSeconds < 0`; forged: another `secret`. */
	issueToken(username: string, opts?: IssueTokenOptions): string;
	/** The in-memory store, for assertions. */
	readonly store: Store;
	/** Re-seed the store (from `options.seed`), clear log, faults and rate-limit counters. */
	reset(): void;
	close(): Promise<void>;
}

const CONTROL_PREFIX = '/__sandbox';

function faultFromJson(body: unknown): Fault {
	if (!isPlainObject(body)) throw new TypeError('fault must be an object');
	const f: Attributes = { ...body };
	if (isPlainObject(f.match)) {
		const m: Attributes = { ...f.match };
		if (typeof m.pathRegex === 'string') {
			m.path = new RegExp(m.pathRegex);
			delete m.pathRegex;
		}
		f.match = m;
	}
	checkFault(f);
	return f;
}

function faultToJson(f: Fault): unknown {
	const p = f.match?.path;
	return p instanceof RegExp ? { ...f, match: { ...f.match, path: undefined, pathRegex: p.source } } : f;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
	const options = resolveOptions(opts);
	const store = new Store(options.seed);
	const log: RequestLogEntry[] = [];
	const faults = new FaultQueue();
	const limiter = new RateLimiter();
	const router = createRouter();
	const timers = new Set<NodeJS.Timeout>();
	let url = '';
	let closed = false;

	function issueToken(username: string, o: IssueTokenOptions = {}): string {
		const user = options.users.find((u) => u.username === username);
		return mintToken({
			issuer: `${url}/token`,
			subject: user ? userId(options.users, user) : 0,
			ttlSeconds: o.ttlSeconds ?? options.tokenTtlSeconds,
			secret: o.secret ?? options.jwtSecret,
		});
	}

	const core: SandboxCore = { options, store, issueToken };

	function reset(): void {
		store.reset(options.seed);
		log.length = 0;
		faults.clear();
		limiter.reset();
	}

	function pushLog(entry: RequestLogEntry): void {
		log.push(entry);
		const limit = Math.max(1, options.logLimit);
		if (log.length > limit + Math.max(1, Math.floor(limit / 10))) log.splice(0, log.length - limit);
	}

	function sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const t = setTimeout(() => {
				timers.delete(t);
				resolve();
			}, ms);
			timers.add(t);
		});
	}

	function control(method: string, path: string, text: string | undefined, res: http.ServerResponse): void {
		const reply = (status: number, body?: unknown): void => send(res, { status, body }, 'application/json');
		let body: unknown;
		if (text !== undefined) {
			try {
				body = JSON.parse(text);
			} catch {
				return reply(400, { error: 'Invalid JSON' });
			}
		}
		switch (`${method} ${path.slice(CONTROL_PREFIX.length)}`) {
			case 'GET /log':
				return reply(200, log);
			case 'DELETE /log':
				log.length = 0;
				return reply(204);
			case 'GET /faults':
				return reply(200, faults.pending.map(faultToJson));
			case 'POST /faults':
				try {
					faults.inject(faultFromJson(body));
				} catch (e) {
					return reply(400, { error: (e as Error).message });
				}
				return reply(201, { status: 'queued', pending: faults.pending.length });
			case 'DELETE /faults':
				faults.clear();
				return reply(204);
			case 'GET /options':
				return reply(200, optionsToJson(options));
			case 'PATCH /options': {
				const problems = patchOptions(options, body);
				if (problems.length) return reply(400, { errors: problems, options: optionsToJson(options) });
				return reply(200, optionsToJson(options));
			}
			case 'POST /reset':
				reset();
				return reply(200, { status: 'reset' });
			default:
				return reply(404, { error: 'unknown control endpoint' });
		}
	}

	function bodyAttributes(r: Route, text: string | undefined, parsed: unknown): Attributes {
		if (r.body === 'own') throw new Error(`${r.method} ${r.pattern} reads its request itself`);
		if (text === undefined) throw invalidBody(options.envelope === 'wrapped' ? '{"data":{"attributes":{...}}}' : 'a JSON object');
		return unwrapBody(parsed, options.envelope, r.body === 'list', r.required);
	}

	/** `emptyWriteAck`: what a successful write answers instead of its JSON document. */
	function writeAck(method: string, path: string, result: HandlerResult): HandlerResult {
		const ack = options.emptyWriteAck;
		if (ack === 'json' || method === 'GET' || path === '/token' || result.status < 200 || result.status > 299) return result;
		if (ack === '204') return { ...result, status: 204, body: undefined };
		if (ack === 'empty200') return { ...result, status: 200, body: undefined };
		return { ...result, status: 200, body: 'OK', headers: { ...(result.headers ?? {}), 'Content-Type': 'text/plain; charset=utf-8' } };
	}

	async function dispatch(
		req: http.IncomingMessage,
		method: string,
		path: string,
		query: URLSearchParams,
		text: string | undefined,
		parsed: unknown,
		jsonOk: boolean,
		jwt: string | null,
	): Promise<HandlerResult> {
		const m = router.match(method, path);
		if (!m) throw notFound();
		if (m.route.auth) requireAuth(jwt, options);
		if (text !== undefined) {
			const mt = mediaType(req.headers['content-type']);
			const ok = m.route.jsonOnly ? mt === 'application/json' : mt === 'application/json' || mt === JSON_API;
			if (!ok) throw new ApiError(415, 'Unsupported Media Type');
			if (!jsonOk) throw new ApiError(400, 'Invalid JSON');
		}
		const ctx: RequestContext = {
			core,
			store,
			options,
			req,
			method,
			path,
			params: m.params,
			query,
			baseUrl: req.headers.host ? `http://${req.headers.host}` : url,
			json: parsed,
			hasBody: text !== undefined,
			deviceId: headerValue(req, 'device_id'),
			attrs: () => bodyAttributes(m.route, text, parsed),
		};
		return writeAck(method, path, await m.route.handler(ctx));
	}

	async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const time = Date.now();
		const rawUrl = req.url ?? '/';
		const q = rawUrl.indexOf('?');
		const rawPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
		const rawQuery = q >= 0 ? rawUrl.slice(q + 1) : '';
		// Matched as received: the router decides which slashes are documented.
		const path = rawPath;
		const method = (req.method ?? 'GET').toUpperCase();
		let buf: Buffer;
		try {
			buf = await readBody(req);
		} catch (e) {
			if (e instanceof ApiError) send(res, { status: e.status, body: e.body() });
			return;
		}
		const text = buf.length > 0 ? buf.toString('utf8') : undefined;
		if (path === CONTROL_PREFIX || path.startsWith(CONTROL_PREFIX + '/')) return control(method, path, text, res);

		const query = new URLSearchParams(rawQuery);
		let parsed: unknown;
		let jsonOk = true;
		if (text !== undefined) {
			try {
				parsed = JSON.parse(text);
			} catch {
				parsed = text;
				jsonOk = false;
			}
		}
		const auth = parseAuthorization(headerValue(req, 'authorization'));
		const entry: RequestLogEntry = {
			method,
			path: rawPath,
			query: queryObject(query),
			rawQuery,
			body: parsed,
			headers: { contentType: headerValue(req, 'content-type'), deviceId: headerValue(req, 'device_id') },
			token: auth.logged,
			status: 0,
			time,
		};
		pushLog(entry);
		const finish = (result: HandlerResult): void => {
			entry.status = result.status;
			send(res, result);
		};

		const fault = faults.take(method, path, entry.query);
		if (fault) {
			entry.fault = fault.name ?? fault.kind;
			if (fault.kind === 'drop') {
				req.socket.destroy();
				return;
			}
			if (fault.kind !== 'delay') return finish(faultResponse(fault, options));
			await sleep(fault.ms);
			if (closed || res.destroyed) return;
		}

		const verdict = limiter.hit(req.socket.remoteAddress ?? 'unknown', {
			mode: options.rateLimitMode,
			limit: options.rateLimitPerMinute,
			windowMs: options.rateLimitWindowSeconds * 1000,
		});
		if (!verdict.allowed) return finish(rateLimited(options, verdict));
		const limitHeaders = rateLimitHeaders(options, verdict);
		const finishWithLimits = (result: HandlerResult): void => finish({ ...result, headers: { ...limitHeaders, ...(result.headers ?? {}) } });

		try {
			const result = await dispatch(req, method, path, query, text, parsed, jsonOk, auth.jwt);
			finishWithLimits(options.numericIds ? withNumericIds(result) : result);
		} catch (e) {
			if (e instanceof ApiError) {
				finishWithLimits({ status: e.status, body: e.body(), headers: e.headers, statusMessage: e.statusMessage });
			} else {
				console.error('[loymax-sandbox] handler error', e);
				finishWithLimits({ status: 500, body: { errors: [{ status: 500, title: 'Internal Server Error' }] } });
			}
		}
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((e) => {
			console.error('[loymax-sandbox] request failed', e);
			if (!res.headersSent) send(res, { status: 500, body: { errors: [{ status: 500, title: 'Internal Server Error' }] } });
		});
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port, options.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;

	return {
		url,
		port,
		options,
		log,
		clearLog: () => {
			log.length = 0;
		},
		inject: (f) => faults.inject(f),
		clearFaults: () => faults.clear(),
		issueToken,
		store,
		reset,
		close: () =>
			new Promise<void>((resolve, reject) => {
				if (closed) return resolve();
				closed = true;
				for (const t of timers) clearTimeout(t);
				timers.clear();
				server.close((err) => (err ? reject(err) : resolve()));
				server.closeAllConnections();
			}),
	};
}
