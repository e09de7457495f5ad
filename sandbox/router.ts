/**
 * Route table plumbing: route definitions, request context, matching.
 */
import type { IncomingMessage } from 'node:http';
import type { Attributes, HandlerResult } from './http';
import { safeDecode } from './http';
import type { Store } from './store';
import type { IssueTokenOptions, ResolvedSandboxOptions } from './types';

/** What handlers may use of the running sandbox. */
export interface SandboxCore {
	readonly options: ResolvedSandboxOptions;
	readonly store: Store;
	issueToken(username: string, opts?: IssueTokenOptions): string;
}

/** How the request body of a route is unwrapped by `ctx.attrs()`. */
export type BodyMode =
	/** `options.envelope`: `{"data":{"attributes":{…}}}` or the attributes object itself. */
	| 'envelope'
	/** A list of records (`/communication/:type/events`): `{"data":[…]}`, or the bare list when `envelope` is flat; `attrs()` gives `{data: […]}`. */
	| 'list'
	/** The handler reads the request itself (`POST /token`, per `tokenForm`). */
	| 'own';

export interface RequestContext {
	readonly core: SandboxCore;
	readonly store: Store;
	readonly options: ResolvedSandboxOptions;
	readonly req: IncomingMessage;
	readonly method: string;
	/** Path as received (no query string). */
	readonly path: string;
	/** Decoded path parameters. */
	readonly params: Record<string, string>;
	readonly query: URLSearchParams;
	/** `http://<host>` the client used (for links). */
	readonly baseUrl: string;
	/** Parsed JSON body, undefined when the request had none. */
	readonly json: unknown;
	readonly hasBody: boolean;
	/** `device_id` request header. */
	readonly deviceId: string | null;
	/** The request body unwrapped according to the route's body mode (400 on a wrong shape). */
	attrs(): Attributes;
}

export type Handler = (ctx: RequestContext) => HandlerResult | Promise<HandlerResult>;

export interface RouteOptions {
	/** Default true. */
	auth?: boolean;
	/** Only `application/json` is accepted as request Content-Type. */
	jsonOnly?: boolean;
	/** Default 'envelope'. */
	body?: BodyMode;
	/** Required body fields, named when a body comes in the wrong envelope (default none). */
	required?: readonly string[];
}

export interface Route {
	method: string;
	/** Canonical spelling: single slashes, no trailing slash. */
	pattern: string;
	/** Other spellings the reference prints for this route (e.g. `//communication/sms/`). */
	documentedAs: string[];
	handler: Handler;
	auth: boolean;
	jsonOnly: boolean;
	body: BodyMode;
	required: readonly string[];
}

export function route(method: string, pattern: string, handler: Handler, opts: RouteOptions = {}): Route {
	return {
		method,
		pattern,
		documentedAs: [],
		handler,
		auth: opts.auth ?? true,
		jsonOnly: opts.jsonOnly ?? false,
		body: opts.body ?? 'envelope',
		required: opts.required ?? [],
	};
}

export interface RouteMatch {
	route: Route;
	params: Record<string, string>;
}

/** `/a//b/` → `['', 'a', '', 'b', '']`: empty segments are kept, so every slash counts. */
const segmentsOf = (path: string): string[] => path.split('/');

interface Spelling {
	route: Route;
	segments: string[];
}

/**
 * Routes indexed by method and segment count; first matching route in table order wins. A path
 * matches a spelling exactly: no slashes are collapsed or dropped, and a parameter is never empty.
 */
export class Router {
	private readonly index = new Map<string, Spelling[]>();

	constructor(readonly routes: Route[]) {
		for (const r of routes) {
			for (const pattern of [r.pattern, ...r.documentedAs]) {
				const segments = segmentsOf(pattern);
				const key = `${r.method} ${segments.length}`;
				const list = this.index.get(key) ?? [];
				list.push({ route: r, segments });
				this.index.set(key, list);
			}
		}
	}

	match(method: string, path: string): RouteMatch | undefined {
		const raw = segmentsOf(path);
		const candidates = this.index.get(`${method} ${raw.length}`);
		if (!candidates) return undefined;
		const segs: string[] = [];
		for (const s of raw) {
			const d = safeDecode(s);
			if (d === undefined) return undefined;
			segs.push(d);
		}
		outer: for (const { route: r, segments } of candidates) {
			const params: Record<string, string> = {};
			for (let i = 0; i < segs.length; i++) {
				const p = segments[i];
				if (p.startsWith(':')) {
					if (segs[i] === '') continue outer;
					params[p.slice(1)] = segs[i];
				} else if (p !== segs[i]) continue outer;
			}
			return { route: r, params };
		}
		return undefined;
	}
}
