'use strict';

/**
 * Sends one webhook delivery: a POST of exact bytes with exact headers to a subscription URL,
 * resolving to the receiver's status and body or to the error. Deliveries go to loopback hosts
 * only, so the simulator never reaches beyond this machine.
 */

const http = require('node:http');
const https = require('node:https');

const MAX_ANSWER_BYTES = 64 * 1024;

function isLoopback(hostname) {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return (
		host === 'localhost' ||
		host.endsWith('.localhost') ||
		host === '::1' ||
		/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
	);
}

/**
 * @param url the subscription URL
 * @param options {{ headers: object, body: Buffer, timeoutMs: number, track?: (req) => () => void }}
 *        `track` registers the request so reset() and close() can abort it; it returns an untrack
 * @returns {Promise<{ status: number, body: string } | { error: string }>}
 */
function sendDelivery(url, { headers, body, timeoutMs, track = () => () => {} }) {
	let target;
	try {
		target = new URL(url);
	} catch {
		return Promise.resolve({ error: 'invalid URL' });
	}
	if (!isLoopback(target.hostname)) {
		return Promise.resolve({ error: 'refused: the simulator delivers to loopback hosts only' });
	}
	const client = target.protocol === 'https:' ? https : http;
	return new Promise((resolve) => {
		let untrack = () => {};
		const finish = (result) => {
			untrack();
			resolve(result);
		};
		const req = client.request(target, { method: 'POST', headers, agent: false }, (res) => {
			const chunks = [];
			let size = 0;
			res.on('data', (chunk) => {
				size += chunk.length;
				if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
			});
			res.on('end', () =>
				finish({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }),
			);
			res.on('error', (err) => finish({ error: err.message }));
		});
		untrack = track(req);
		req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		req.on('error', (err) =>
			finish({ error: err.code ? `${err.code}: ${err.message}` : err.message }),
		);
		req.end(body);
	});
}

module.exports = { sendDelivery, isLoopback };
