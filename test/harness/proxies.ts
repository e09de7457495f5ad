import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface RecordingProxy {
	url: string;
	/** The absolute URLs of the requests that passed through, in order. */
	passed: string[];
	close: () => Promise<void>;
}

const listen = async (server: http.Server | https.Server) =>
	await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

const closing = (server: http.Server | https.Server) => async () => {
	server.closeAllConnections();
	await new Promise<void>((resolve) => server.close(() => resolve()));
};

function forward(target: string, request: http.IncomingMessage, response: http.ServerResponse) {
	// Hop-by-hop headers stay with the proxy.
	const { connection: _connection, 'proxy-connection': _proxyConnection, ...headers } = request.headers;
	const upstream = http.request(target, { method: request.method, headers }, (answer) => {
		response.writeHead(answer.statusCode ?? 502, answer.headers);
		answer.pipe(response);
	});
	upstream.on('error', () => response.destroy());
	request.pipe(upstream);
}

/** A plain HTTP forward proxy (requests with absolute URLs) that records what passed through it. */
export async function startRecordingProxy(): Promise<RecordingProxy> {
	const passed: string[] = [];
	const server = http.createServer((request, response) => {
		passed.push(request.url ?? '');
		forward(request.url ?? '', request, response);
	});
	// n8n-core 2.8's proxy agent writes a request again on a socket it asked to close; answer only
	// the first instead of letting Node answer the garbled rest with a 400 before it.
	server.on('clientError', () => {});
	const port = await listen(server);
	// Never the reason a test run stays alive.
	server.unref();
	return { url: `http://127.0.0.1:${port}`, passed, close: closing(server) };
}

/** An HTTPS front for an HTTP server, with a self-signed certificate: only Ignore SSL Issues gets through. */
export async function startSelfSignedFront(targetUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
	const tls = join(__dirname, '..', 'fixtures', 'tls');
	const server = https.createServer(
		{ key: readFileSync(join(tls, 'key.pem')), cert: readFileSync(join(tls, 'cert.pem')) },
		(request, response) => forward(`${targetUrl}${request.url ?? ''}`, request, response),
	);
	const port = await listen(server);
	return { url: `https://127.0.0.1:${port}`, close: closing(server) };
}
