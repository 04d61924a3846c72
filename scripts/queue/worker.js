'use strict';

/**
 * One `n8n worker` process of a queue-mode cluster, run with the environment of its own n8n user
 * folder (an instance of scripts/n8n/instance.js): started detached, ready when its health server
 * answers /healthz/readiness (database and Redis connected), stopped by its PID (SIGTERM: it
 * finishes its running jobs first) or killed by its PID (SIGKILL, as a crash would). Its log tells
 * which executions it ran: n8n logs `Worker started execution <id>` for each one it takes.
 */

const fs = require('node:fs');
const path = require('node:path');

const { httpJson } = require('../http-client');
const { findFreePorts } = require('../n8n/ports');
const { startServer, waitReady } = require('../services/process');

const STARTED = /Worker started execution (\d+)/g;

/**
 * @param {object} options
 * @param {ReturnType<import('../n8n/instance').createInstance>} options.instance the worker's user folder
 * @param {string} options.name e.g. worker-1, in messages
 * @param {number} options.concurrency jobs this worker runs at the same time (`--concurrency`)
 * @param {(message: string) => void} options.log
 */
function workerControl({ instance, name, concurrency, log }) {
	let server; // the running process (scripts/services/process.js)
	const logFile = path.join(instance.dir, 'n8n-worker.log'); // appended to by every start

	async function start({ timeoutMs = 120000 } = {}) {
		if (server) return;
		const [healthPort, brokerPort] = await findFreePorts(2);
		server = startServer({
			command: instance.install.node,
			args: [instance.install.bin, 'worker', `--concurrency=${concurrency}`],
			logFile,
			cwd: path.join(instance.dir, 'work'),
			env: instance.env({
				N8N_RUNNERS_BROKER_PORT: String(brokerPort),
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			}),
			stopSignal: 'SIGTERM',
		});
		log(`${name}: pid ${server.pid}, health on 127.0.0.1:${healthPort}`);
		const readiness = `http://127.0.0.1:${healthPort}/healthz/readiness`;
		try {
			await waitReady(
				server,
				name,
				async () => (await httpJson(readiness, { timeoutMs: 2000 })).status === 200,
				timeoutMs,
			);
		} catch (error) {
			server = undefined;
			throw error;
		}
	}

	/** SIGTERM to its PID (n8n lets running jobs finish), its process group killed after `graceMs`. */
	async function stop({ graceMs = 30000 } = {}) {
		const current = server;
		server = undefined;
		await current?.stop({ graceMs });
	}

	/** SIGKILL to its PID, as a crash or an OOM kill would end it; then its task runner. */
	async function kill() {
		const current = server;
		server = undefined;
		return await current?.kill();
	}

	const output = () => {
		try {
			return fs.readFileSync(logFile, 'utf8');
		} catch {
			return '';
		}
	};

	return {
		name,
		instance,
		start,
		stop,
		kill,
		get pid() {
			return server?.pid;
		},
		get running() {
			return server !== undefined;
		},
		/** Ids of the executions this worker started (in this user folder, every start), in order. */
		startedExecutions: () => [...output().matchAll(STARTED)].map((match) => match[1]),
		output,
	};
}

module.exports = { workerControl };
