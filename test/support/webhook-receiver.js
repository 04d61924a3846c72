'use strict';

/**
 * An HTTP server on 127.0.0.1 (free port) that stands in for n8n's webhook endpoint in the
 * in-process trigger tests: it reads the raw body as n8n's rawBodyReader does and hands the
 * handler an express-like request (method, url, headers, rawBody, readRawBody, body) and response
 * (status, json, send, setHeader, headersSent).
 */

const http = require('node:http');

function expressLikeResponse(res) {
	const response = {
		statusCode: 200,
		get headersSent() {
			return res.headersSent;
		},
		status(code) {
			response.statusCode = code;
			return response;
		},
		setHeader(name, value) {
			res.setHeader(name, value);
			return response;
		},
		json(value) {
			res.writeHead(response.statusCode, { 'content-type': 'application/json' });
			res.end(JSON.stringify(value));
			return response;
		},
		send(text) {
			res.writeHead(response.statusCode);
			res.end(text);
			return response;
		},
		end() {
			if (!res.headersSent) res.writeHead(response.statusCode);
			res.end();
			return response;
		},
	};
	return response;
}

function parsedBody(rawBody, contentType) {
	if (!rawBody.length || !String(contentType ?? '').startsWith('application/json')) return {};
	try {
		return JSON.parse(rawBody.toString('utf8'));
	} catch {
		return {};
	}
}

/**
 * Starts the receiver. `handler(request, response)` must answer through `response`; a handler
 * that throws or answers nothing gets a 500, as n8n would give.
 */
function startWebhookReceiver(handler) {
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const rawBody = Buffer.concat(chunks);
			const request = {
				method: req.method,
				url: req.url,
				path: new URL(req.url, 'http://127.0.0.1').pathname,
				headers: req.headers,
				rawBody,
				readRawBody: async () => {},
				body: parsedBody(rawBody, req.headers['content-type']),
				query: Object.fromEntries(new URL(req.url, 'http://127.0.0.1').searchParams),
			};
			const response = expressLikeResponse(res);
			Promise.resolve()
				.then(() => handler(request, response))
				.catch((error) => {
					if (!res.headersSent) response.status(500).json({ message: String(error?.message) });
				})
				.finally(() => {
					if (!res.headersSent) response.status(500).json({ message: 'no answer' });
				});
		});
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			resolve({
				url: `http://127.0.0.1:${port}`,
				port,
				close: () =>
					new Promise((done) => {
						server.closeAllConnections?.();
						server.close(() => done());
					}),
			});
		});
	});
}

module.exports = { startWebhookReceiver };
