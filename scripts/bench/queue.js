'use strict';

/**
 * Queue-mode throughput: the onboarding workflow (webhook → one account group per customer) in
 * n8n's queue mode (scripts/queue/cluster.js: Postgres, Redis, a main, workers with concurrency
 * 10) at 20 ms simulator latency, with one worker and with two. Each run posts its executions to
 * the production webhook at once and ends when the last one has stopped; it counts the token
 * requests (each run starts with a new credential and freshly started workers, so with no token
 * anywhere) and the CPU time of the workers, the main and the simulator, because on a machine
 * with few cores the CPU, not the latency, bounds what a second worker adds.
 */

const os = require('node:os');

const { startQueueCluster } = require('../queue/cluster');
const { onboardingWorkflow } = require('../queue/workflows');
const rt = require('../n8n-runtime');
const { startMonitor, summarizeSamples } = require('./monitor');
const { fmt, per, uuidFor } = require('./stats');

const LATENCY_MS = 20;
const CONCURRENCY = 10;
const FINISHED = ['success', 'error', 'crashed', 'canceled'];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function runSpecs(ctx) {
	const executions = ctx.options.quick ? 6 : 20;
	const items = ctx.options.quick ? 25 : 100;
	return [1, 2].map((workers) => {
		const tag = ctx.tag();
		const credential = rt.credentialFor(ctx.sim.url, 'ed25519', {
			id: `UpvBenchQueue${tag}`,
			name: `Bench ${tag} queue mode, ${workers} worker(s)`,
		});
		const workflow = onboardingWorkflow({
			id: `UpvBenchQueueWf${tag}`,
			name: `Bench ${tag}: queue mode, ${workers} worker(s)`,
			path: `bench-queue-${tag}`,
			webhookId: uuidFor(`bench-queue-webhook-${tag}`, 0),
			credential: { id: credential.id, name: credential.name },
		});
		return { workers, executions, items, credential, workflow, dataset: `queue-${tag}` };
	});
}

/** Posts the run's executions at once and waits until every one has stopped. */
async function measureRun(ctx, cluster, spec) {
	const label = `${spec.workers} worker${spec.workers > 1 ? 's' : ''}`;
	const active = cluster.workers.filter((worker) => worker.running);
	await cluster.activate(spec.workflow.id);
	await ctx.sim.reset();
	await ctx.sim.setLatency(LATENCY_MS);
	await ctx.sim.takeRecords();
	const monitors = [cluster.main.pid, ...active.map((worker) => worker.pid)].map((pid) =>
		startMonitor({ pid, simulatorPid: ctx.sim.pid }),
	);
	ctx.log(`queue mode, ${label}: ${spec.executions} executions of ${spec.items} items`);
	const postedAt = Date.now();
	const answers = await Promise.all(
		Array.from({ length: spec.executions }, (_, e) =>
			cluster.postWebhook(spec.workflow.nodes[0].parameters.path, {
				customers: Array.from({ length: spec.items }, (__, i) => ({
					userId: uuidFor(spec.dataset, e * spec.items + i),
				})),
			}),
		),
	);
	let executions = [];
	const deadline = Date.now() + 600000;
	while (Date.now() < deadline) {
		executions = await cluster.executions(spec.workflow.id);
		const done = executions.filter((execution) => FINISHED.includes(execution.status));
		if (executions.length >= spec.executions && done.length === executions.length) break;
		await sleep(200);
	}
	const stoppedAt = Math.max(...executions.map((execution) => Date.parse(execution.stoppedAt)));
	const [mainSamples, ...workerSamples] = monitors.map((monitor) => monitor.stop().samples);
	const records = await ctx.sim.takeRecords();

	const n = spec.executions * spec.items;
	const seconds = (stoppedAt - postedAt) / 1000;
	const main = summarizeSamples(mainSamples, postedAt, stoppedAt);
	const workers = workerSamples.map((samples) => summarizeSamples(samples, postedAt, stoppedAt));
	const workerCpuMs = workers.reduce((sum, w) => sum + (w.n8nCpuMs ?? 0), 0);
	const creates = records.filter((r) => r.method === 'POST' && r.path === '/account_groups');
	const created = creates.filter((r) => r.status === 200 && r.signature?.valid === true);
	const tokenRequests = records.filter((r) => r.tokenRequest).length;
	const row = {
		label,
		workers: spec.workers,
		executions: spec.executions,
		items: n,
		latencyMs: LATENCY_MS,
		seconds,
		itemsPerSecond: n / seconds,
		tokenRequests,
		tokenRequestsPer1000Items: per(tokenRequests * 1000, n),
		executionsPerWorker: Object.fromEntries(
			active.map((worker) => [
				worker.name,
				executions.filter((execution) => cluster.workerOf(execution.id) === worker).length,
			]),
		),
		workerCpuMsPerItem: per(workerCpuMs, n),
		mainCpuMsPerItem: per(main.n8nCpuMs, n),
		simulatorCpuMsPerItem: per(main.simulatorCpuMs, n),
		// main + simulator + this process + everything else on the machine, in cores
		machineBusyCores:
			(main.otherLoadCores ?? 0) +
			(main.n8nCpuShare ?? 0) +
			(main.simulatorCpuShare ?? 0) +
			(main.selfCpuShare ?? 0),
	};
	const problems = [];
	if (answers.some((answer) => answer.status !== 200)) problems.push('a webhook call was refused');
	const failed = executions.filter((execution) => execution.status !== 'success');
	if (executions.length !== spec.executions || failed.length > 0)
		problems.push(`${failed.length} of ${executions.length} executions did not succeed`);
	if (created.length !== n || new Set(created.map((r) => r.idempotencyKey)).size !== n)
		problems.push(`${created.length} account groups created for ${n} items`);
	if (tokenRequests > spec.workers) problems.push(`${tokenRequests} token requests`);
	if (problems.length > 0) ctx.broke(`queue mode, ${label}: ${problems.join('; ')}`);
	return row;
}

async function run(ctx) {
	rt.ensureN8n({ log: ctx.log });
	const [one, two] = runSpecs(ctx);
	const cluster = await startQueueCluster({
		name: 'bench',
		workers: 2,
		concurrency: CONCURRENCY,
		log: ctx.log,
		prepare: async (main) => {
			await main.importCredentials([one.credential, two.credential]);
			await main.importWorkflow([one.workflow, two.workflow]);
		},
	});
	const rows = [];
	try {
		await cluster.workers[1].stop();
		rows.push(await measureRun(ctx, cluster, one));
		// A fresh start for the second run: no worker holds a token of its own yet.
		await cluster.workers[0].stop();
		await Promise.all(cluster.workers.map((worker) => worker.start()));
		rows.push(await measureRun(ctx, cluster, two));
	} finally {
		await cluster.close();
	}
	const [single, double] = rows;
	const gain = per(double.itemsPerSecond, single.itemsPerSecond);
	const cpuPerItem = (row) =>
		row.workerCpuMsPerItem + row.mainCpuMsPerItem + row.simulatorCpuMsPerItem;
	return {
		rows,
		figures: { gain, cpuBoundItemsPerSecond: per(os.cpus().length * 1000, cpuPerItem(double)) },
		summary: [
			{
				measure: `Queue mode, ${fmt.int(single.items)} items in ${single.executions} executions at ${LATENCY_MS} ms: items/s with 2 workers (1 worker)`,
				node: `${fmt.n1(double.itemsPerSecond)} (${fmt.n1(single.itemsPerSecond)})`,
				baseline: '',
				ratio: `${fmt.n2(gain)} ×`,
				target: '',
			},
			{
				measure: 'Queue mode: token requests per 1,000 items (1 worker; 2 workers)',
				node: `${fmt.n2(single.tokenRequestsPer1000Items)}; ${fmt.n2(double.tokenRequestsPer1000Items)}`,
				baseline: '',
				ratio: '',
				target: `at most one per worker ${fmt.verdict(rows.every((r) => r.tokenRequests <= r.workers))}`,
			},
		],
		section: [
			'| Workers | Executions × items | Seconds | Items/s | Token requests (per 1,000 items) | Executions per worker | Worker CPU ms/item | Main CPU ms/item | Simulator CPU ms/item | Machine busy (cores) |',
			'|---:|---|---:|---:|---|---|---:|---:|---:|---:|',
			...rows.map(
				(r) =>
					`| ${r.workers} | ${r.executions} × ${r.items / r.executions} | ${fmt.n1(r.seconds)} | ${fmt.n1(r.itemsPerSecond)} | ${r.tokenRequests} (${fmt.n2(r.tokenRequestsPer1000Items)}) | ${Object.values(r.executionsPerWorker).join(' / ')} | ${fmt.n2(r.workerCpuMsPerItem)} | ${fmt.n2(r.mainCpuMsPerItem)} | ${fmt.n2(r.simulatorCpuMsPerItem)} | ${fmt.n2(r.machineBusyCores)} |`,
			),
			'',
			`Two workers ran ${fmt.n2(gain)} times as many items per second as one. At ${LATENCY_MS} ms latency one execution could send 4 / ${LATENCY_MS} ms = 200 items/s and a worker runs ${CONCURRENCY} at once, so the latency is not the limit: the CPU is. The workers, the main and the simulator together spent ${fmt.n2(cpuPerItem(double))} ms of CPU per item (Postgres and Redis come on top), so ${os.cpus().length} cores allow at most about ${fmt.int(per(os.cpus().length * 1000, cpuPerItem(double)))} items/s whatever the number of workers, less when other processes use them (the machine was ${fmt.n2(double.machineBusyCores)} cores busy during the two-worker run); a second worker on the same cores only uses what the first leaves idle.`,
		],
	};
}

module.exports = { id: 'queue', title: 'Queue mode throughput', needs: ['simulator'], run };
