'use strict';

/** A minimal HTTP client for 127.0.0.1, one connection per request (no agent, no keep-alive). */

const http = require('node:http');

/**
 * Sends `body` (string or Buffer) with exactly the `headers` given.
 * Resolves { status, headers, text, json } (json undefined when the body is not JSON);
 * rejects on socket errors, and on `timeoutMs` of inactivity when one is given.
 */
function sendRequest(url, { method = 'GET', headers = {}, body, timeoutMs } = {}) {
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method, headers, agent: false, timeout: timeoutMs }, (res) => {
			const chunks = [];
			res.on('data', (chunk) => chunks.push(chunk));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let json;
				try {
					json = text ? JSON.parse(text) : undefined;
				} catch {
					json = undefined;
				}
				resolve({ status: res.statusCode, headers: res.headers, text, json });
			});
			res.on('error', reject);
		});
		if (timeoutMs !== undefined) {
			req.on('timeout', () =>
				req.destroy(new Error(`timeout after ${timeoutMs} ms: ${method} ${url}`)),
			);
		}
		req.on('error', reject);
		req.end(body);
	});
}

/** JSON in and out: `body` is serialized, accept and content-type are set unless `headers` say otherwise. */
function httpJson(url, { method = 'GET', body, headers = {}, timeoutMs = 15000 } = {}) {
	const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
	return sendRequest(url, {
		method,
		timeoutMs,
		body: payload,
		headers: {
			accept: 'application/json',
			...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
			...headers,
		},
	});
}

module.exports = { sendRequest, httpJson };
