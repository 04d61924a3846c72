'use strict';

/**
 * A throw-away Redis for n8n's queue: 127.0.0.1 only, a free port, a random password, nothing
 * persisted (no RDB snapshots, no AOF), its folder in .local/services/redis-XXXXXX. The settings go
 * in a config file (mode 0600), so the password never shows in the process list.
 *
 *   const redis = await startRedis();   // { host, port, password, pid, env, stop() }
 *   await redis.stop();                 // SIGTERM by PID, then the folder is removed
 */

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const { findFreePort } = require('../n8n/ports');
const { ensureServicePackages } = require('./packages');
const { makeDataDir, newPassword, startServer, waitReady } = require('./process');

/** AUTH then PING over RESP; resolves true on +OK and +PONG. */
function ping(port, password) {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let answer = '';
		const done = (ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(2000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('data', (chunk) => {
			answer += chunk.toString('utf8');
			if (answer.includes('\r\n+PONG\r\n') || answer.startsWith('-'))
				done(answer.startsWith('+OK\r\n+PONG'));
		});
		socket.on('connect', () => {
			const command = (...parts) =>
				`*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join('')}`;
			socket.write(command('AUTH', password) + command('PING'));
		});
	});
}

/** @param {{ log?: (message: string) => void }} [options] */
async function startRedis({ log = () => {} } = {}) {
	const { redis } = ensureServicePackages({ log });
	const dir = makeDataDir('redis');
	const password = newPassword();
	const port = await findFreePort();
	const configFile = path.join(dir, 'redis.conf');
	fs.writeFileSync(
		configFile,
		[
			'bind 127.0.0.1',
			`port ${port}`,
			'protected-mode yes',
			`requirepass ${password}`,
			`dir ${dir}`,
			'save ""',
			'appendonly no',
			'daemonize no',
			'loglevel warning',
			'',
		].join('\n'),
		{ mode: 0o600 },
	);
	log(`starting Redis on 127.0.0.1:${port}`);
	const server = startServer({
		command: redis,
		args: [configFile],
		logFile: path.join(dir, 'redis.log'),
		cwd: dir,
		dataDir: dir,
		stopSignal: 'SIGTERM',
	});
	await waitReady(server, 'Redis', () => ping(port, password));
	return {
		host: '127.0.0.1',
		port,
		password,
		pid: server.pid,
		dir,
		/** The n8n variables that point an n8n process at this Redis. */
		env: {
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(port),
			QUEUE_BULL_REDIS_PASSWORD: password,
		},
		logTail: server.tail,
		/** SIGTERM by PID, then its folder is removed. */
		stop: () => server.stop(),
	};
}

module.exports = { startRedis };
