'use strict';

/**
 * Small HTTP servers on 127.0.0.1 for tests that need a host other than the simulator: one that
 * records every request it gets, one that redirects elsewhere.
 */

const http = require('node:http');

/**
 * Starts a server that records each request (method, URL, headers, body) and answers with
 * `respond(request)` (default: 200 `{}`).
 * @param {(request: {method: string, url: string, headers: object, body: string}) => {status?: number, headers?: object, body?: string}} [respond]
 * @returns {Promise<{url: string, requests: Array<{method: string, url: string, headers: object, body: string}>, close: () => Promise<void>}>}
 */
async function startRecordingServer(respond = () => ({})) {
	const requests = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const request = {
				method: req.method,
				url: req.url,
				headers: { ...req.headers },
				body: Buffer.concat(chunks).toString('utf8'),
			};
			requests.push(request);
			const answer = respond(request);
			res.writeHead(answer.status ?? 200, {
				'content-type': 'application/json',
				...(answer.headers ?? {}),
			});
			res.end(answer.body ?? '{}');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/** A server that answers every request with `status` and `Location: <target><path>`. */
async function startRedirectServer(target, status = 307) {
	return startRecordingServer((request) => ({
		status,
		headers: { location: `${target}${request.url}` },
		body: '',
	}));
}

module.exports = { startRecordingServer, startRedirectServer };
