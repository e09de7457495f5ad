import type { IHttpRequestOptions } from 'n8n-workflow';

export type ProxySettings = NonNullable<IHttpRequestOptions['proxy']>;

const EXAMPLE = 'such as http://myproxy:3128';

/** A percent-encoded user name or password as written when it is not valid percent-encoding. */
function decoded(part: string): string {
	try {
		return decodeURIComponent(part);
	} catch {
		return part;
	}
}

/**
 * Reads n8n's Proxy option (`http://user:password@host:port`, the scheme optional). Problems never
 * quote the value: where it does not parse, nothing tells the password from the rest of it.
 */
export function parseProxy(value: string): { proxy: ProxySettings } | { problem: string } {
	let url: URL;
	try {
		url = new URL(/^[a-z][a-z\d+.-]*:\/\//i.test(value) ? value : `http://${value}`);
	} catch {
		return { problem: `not a proxy URL ${EXAMPLE} (the value is not shown, as it may hold a password)` };
	}
	if (!/^https?:$/.test(url.protocol) || url.hostname === '') {
		return { problem: `use an http:// or https:// address ${EXAMPLE}` };
	}
	// A `/`, `?` or `#` in a password ends the address early: the rest would pass for a path.
	if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
		return { problem: 'a proxy URL ends after the port; write a /, ? or # in the user name or password as %2F, %3F or %23' };
	}
	return {
		proxy: {
			protocol: url.protocol.slice(0, -1),
			host: url.hostname.replace(/^\[|\]$/g, ''),
			port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
			...(url.username || url.password ? { auth: { username: decoded(url.username), password: decoded(url.password) } } : {}),
		},
	};
}
