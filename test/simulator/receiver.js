'use strict';

/**
 * A webhook receiver for the delivery tests: an HTTP server on 127.0.0.1 (port 0) that records
 * every request's raw bytes and answers the statuses it is told, in order, then `fallback`
 * ('hang' answers nothing).
 */

const http = require('node:http');

async function startReceiver({ answers = [], fallback = 200 } = {}) {
	const received = [];
	const waiters = [];
	const receiver = { received, answers: [...answers], fallback };

	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const status = receiver.answers.length > 0 ? receiver.answers.shift() : receiver.fallback;
			received.push({
				method: req.method,
				path: req.url,
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
				status,
				at: Date.now(),
			});
			if (status !== 'hang') {
				res.writeHead(status, { 'content-type': 'text/plain' });
				res.end(`answered ${status}`);
			}
			for (const waiter of [...waiters]) waiter();
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	receiver.url = `http://127.0.0.1:${server.address().port}`;

	/** Resolves once `count` requests have arrived; rejects after `timeoutMs`. */
	receiver.waitFor = (count, timeoutMs = 5000) =>
		new Promise((resolve, reject) => {
			const check = () => {
				if (received.length < count) return false;
				clearTimeout(timer);
				waiters.splice(waiters.indexOf(check), 1);
				resolve(received.slice(0, count));
				return true;
			};
			const timer = setTimeout(() => {
				waiters.splice(waiters.indexOf(check), 1);
				reject(new Error(`${received.length} of ${count} requests arrived in ${timeoutMs} ms`));
			}, timeoutMs);
			waiters.push(check);
			check();
		});
	receiver.close = () =>
		new Promise((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		});
	return receiver;
}

module.exports = { startReceiver };
