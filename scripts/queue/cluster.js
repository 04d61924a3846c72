'use strict';

/**
 * n8n in queue mode on this machine, as production runs it: Postgres and Redis (scripts/services/),
 * one main (`n8n start`: editor, REST API, production webhooks, puts executions on the queue) and
 * N workers (`n8n worker`: take executions from the queue and run them), all with this package
 * linked as a community package, one encryption key and one database. Every process listens on
 * 127.0.0.1 on free ports and is stopped by its PID in close().
 *
 *   const cluster = await startQueueCluster({ name: 'e2e', workers: 2,
 *     prepare: async (main) => { await main.importCredentials([...]); await main.importWorkflow([...]); } });
 *   await cluster.activate(workflowId);
 *   await cluster.postWebhook('my-path', { customers: [...] });
 *   ... cluster.executions(workflowId), cluster.workerOf(executionId), cluster.workers[0].kill() ...
 *   await cluster.close();
 */

const crypto = require('node:crypto');

const { httpJson } = require('../http-client');
const { restClient } = require('../n8n-rest');
const { createInstance } = require('../n8n/instance');
const { findFreePorts } = require('../n8n/ports');
const { LOCAL_OWNER } = require('../n8n/credentials');
const { logger } = require('../n8n/project');
const { startPostgres } = require('../services/postgres');
const { startRedis } = require('../services/redis');
const { workerControl } = require('./worker');

/** The variables every process of the cluster shares; see docs/queue-mode.md. */
function queueEnv({ postgres, redis, mainUrl }) {
	return {
		...postgres.env,
		...redis.env,
		EXECUTIONS_MODE: 'queue',
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		WEBHOOK_URL: `${mainUrl}/`,
		QUEUE_HEALTH_CHECK_ACTIVE: 'false', // workers switch it on, each on its own port
	};
}

/**
 * @param {object} options
 * @param {string} options.name names the user folders (.local/instances/queue-<name>-*)
 * @param {number} [options.workers=2]
 * @param {number} [options.concurrency=10] jobs per worker (n8n's default)
 * @param {(main: ReturnType<typeof createInstance>) => Promise<void>} [options.prepare] imports,
 *   before the main starts
 * @param {Record<string, string>} [options.env] more n8n variables for every process
 * @param {string} [options.version] the n8n version (installed with ensureN8n first)
 * @param {string} [options.packageDir] the built package to link
 * @param {(message: string) => void} [options.log]
 */
async function startQueueCluster(options) {
	const { name, workers: workerCount = 2, concurrency = 10, prepare } = options;
	const log = options.log ?? logger(`queue ${name}`);
	const stack = []; // what close() stops, in reverse order
	const started = []; // the n8n processes so far, for the error when starting fails
	const close = async () => {
		while (stack.length > 0) {
			try {
				await stack.pop()();
			} catch (error) {
				log(`stopping: ${error.message}`);
			}
		}
	};
	try {
		const [postgres, redis] = await Promise.all([startPostgres({ log }), startRedis({ log })]);
		stack.push(
			() => postgres.stop(),
			() => redis.stop(),
		);
		const [port, brokerPort] = await findFreePorts(2);
		const mainUrl = `http://127.0.0.1:${port}`;
		const env = { ...queueEnv({ postgres, redis, mainUrl }), ...(options.env ?? {}) };
		const encryptionKey = crypto.randomBytes(24).toString('base64url');
		const common = {
			version: options.version,
			temporary: true,
			encryptionKey,
			env,
			packageDir: options.packageDir,
			log,
		};
		const main = createInstance({ ...common, name: `queue-${name}-main`, port, brokerPort });
		stack.push(() => main.remove());
		started.push(main);
		if (prepare) await prepare(main);
		log(`starting the main on ${mainUrl}`);
		await main.start();
		const { cookie } = await main.setupOwner(LOCAL_OWNER);

		const workers = [];
		for (let index = 1; index <= workerCount; index++) {
			const instance = createInstance({ ...common, name: `queue-${name}-worker${index}` });
			stack.push(() => instance.remove());
			const worker = workerControl({ instance, name: `worker-${index}`, concurrency, log });
			stack.push(() => worker.stop());
			workers.push(worker);
			started.push({ logs: () => `---- ${worker.name} ----\n${worker.output()}` });
		}
		await Promise.all(workers.map((worker) => worker.start()));
		return clusterApi({ main, workers, cookie, postgres, redis, close, log });
	} catch (error) {
		const logs = started.map((proc) => proc.logs().slice(-3000)).join('\n');
		await close();
		if (logs !== '') error.message += `\n${logs}`;
		throw error;
	}
}

function clusterApi({ main, workers, cookie, postgres, redis, close, log }) {
	const rest = restClient({ url: main.url, installDir: main.install.dir, cookie });
	return {
		main,
		workers,
		postgres,
		redis,
		log,
		close,
		url: main.url,
		rest,

		/** Activates the workflow's current version (its production webhooks go live on the main). */
		activate: (workflowId) => rest.activate(workflowId),

		/** POST <main>/webhook/<path> with a JSON body; resolves { status, json, text }. */
		postWebhook: (webhookPath, body) =>
			httpJson(`${main.url}/webhook/${webhookPath}`, { method: 'POST', body, timeoutMs: 60000 }),

		/** The workflow's executions (the 100 latest), oldest first: { id, status, mode, startedAt, ... }. */
		executions: (workflowId) => rest.executions(workflowId),

		/** The execution's run data (`resultData.runData`), as the worker stored it in the database. */
		async runData(executionId) {
			const { run } = await rest.execution(executionId);
			return run?.data?.resultData?.runData ?? {};
		},

		/** The worker whose log says it started execution `id` (the last one, if it ran twice). */
		workerOf(executionId) {
			const id = String(executionId);
			return [...workers].reverse().find((worker) => worker.startedExecutions().includes(id));
		},

		/** Every process's output, for a failed test's artifacts. */
		logs() {
			return [
				main.logs(),
				...workers.map((worker) => `---- ${worker.name} ----\n${worker.output()}`),
				`---- postgres ----\n${postgres.logTail()}`,
				`---- redis ----\n${redis.logTail()}`,
			].join('\n');
		},
	};
}

module.exports = { startQueueCluster, queueEnv };
