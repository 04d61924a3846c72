'use strict';

/** Free ports on 127.0.0.1, where every server of this project listens. */

const net = require('node:net');

/** Resolves true when nothing listens on 127.0.0.1:<port> (and we may bind it). */
function isPortFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.unref();
		server.once('error', () => resolve(false));
		server.listen({ port, host: '127.0.0.1', exclusive: true }, () =>
			server.close(() => resolve(true)),
		);
	});
}

/** A free port on 127.0.0.1: `preferred` when it is free, otherwise one the OS picks. */
async function findFreePort(preferred) {
	if (preferred && (await isPortFree(preferred))) return preferred;
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.once('error', reject);
		server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** `count` different free ports (an n8n server needs one for HTTP and one for its task broker). */
async function findFreePorts(count) {
	const ports = new Set();
	while (ports.size < count) ports.add(await findFreePort());
	return [...ports];
}

module.exports = { isPortFree, findFreePort, findFreePorts };
