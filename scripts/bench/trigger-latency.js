'use strict';

/**
 * Webhook delivery to workflow start, in a real n8n: an n8n of its own (`n8n start` on free ports;
 * the bench's shared instance only runs `n8n execute`) with a workflow whose Upvest Trigger is
 * active, as in test/e2e/trigger.test.ts. One event at a time is emitted in the simulator, which
 * signs and sends it; measured per delivery: from the simulator starting to send it (its delivery
 * record's startedAt) to n8n's execution startedAt, and to n8n's 200 answer. The first delivery
 * fetches the verify keys and is reported apart from the others.
 */

const rt = require('../n8n-runtime');
const { httpJson } = require('../http-client');
const { signedInClient } = require('../n8n-rest');
const { TRIGGER_NAME, triggerWorkflow } = require('../trigger-workflows');
const { fmt, median } = require('./stats');

const WORKFLOW = {
	id: 'UpvBenchTrigger01',
	name: 'Bench: Upvest Trigger latency',
	webhookId: '5e2d7c41-9b3a-4f6e-8d1c-2a4b6c8e0f13',
};
const CREDENTIAL = { id: 'UpvBenchTrgCred01', name: 'Bench trigger latency' };
const SCOPES = 'accounts:admin roles:admin webhooks:admin webhooks:read';
const WAIT_MS = 60000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function admin(sim, what, body) {
	const res = await httpJson(`${sim.url}/__simulator/${what}`, {
		method: body === undefined ? 'GET' : 'POST',
		body,
		timeoutMs: 30000,
	});
	if (res.status !== 200) throw new Error(`simulator ${what} answered ${res.status}: ${res.text}`);
	return res.json;
}

async function waitFor(what, probe) {
	const deadline = Date.now() + WAIT_MS;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(50);
	}
}

/**
 * Emits one event and resolves the delivery that carried it and the execution it started (both
 * newer than `last`).
 */
async function sample(sim, rest, index, last) {
	const objectId = `bench-latency-${index}`;
	const { event } = await admin(sim, 'events', {
		type: 'ACCOUNT_GROUP.CREATED',
		object: { id: objectId, type: 'PERSONAL', status: 'PENDING_APPROVAL', users: [] },
	});
	const delivery = await waitFor(`the delivery of ${objectId}`, async () => {
		const deliveries = await admin(sim, `deliveries?since=${last.deliverySeq}`);
		return deliveries.find((d) => d.status === 200 && d.eventIds.includes(event.id));
	});
	const execution = await waitFor(`the execution of ${objectId}`, async () => {
		for (const summary of await rest.executions(WORKFLOW.id)) {
			if (Number(summary.id) <= last.executionId || !summary.stoppedAt) continue;
			const found = await rest.execution(summary.id);
			const items = rt.nodeOutput(found.run, TRIGGER_NAME) ?? [];
			if (items.some((item) => item.json.id === event.id)) return found;
		}
		return undefined;
	});
	const sent = Date.parse(delivery.startedAt);
	return {
		index,
		deliverySeq: delivery.seq,
		attempt: delivery.attempt,
		executionId: Number(execution.id),
		status: execution.status,
		toStartMs: Date.parse(execution.startedAt) - sent,
		toAnswerMs: Date.parse(delivery.finishedAt) - sent,
	};
}

async function startN8n(ctx) {
	const log = ctx.log;
	rt.ensureN8n({ log });
	const [port, brokerPort] = await rt.findFreePorts(2);
	const n8n = rt.createInstance({ name: 'bench-trigger', temporary: true, port, brokerPort, log });
	const credential = rt.credentialFor(ctx.sim.url, 'ecdsa', { ...CREDENTIAL, scopes: SCOPES });
	await n8n.importCredentials([credential]);
	await n8n.importWorkflow(
		triggerWorkflow({ ...WORKFLOW, credential: CREDENTIAL, categories: ['ACCOUNT_GROUP'] }),
	);
	await n8n.start();
	return n8n;
}

async function run(ctx) {
	const count = ctx.options.quick ? 5 : 25;
	const n8n = await startN8n(ctx);
	try {
		const rest = await signedInClient(n8n);
		await admin(ctx.sim, 'config', { webhookBatchDelayMs: 10, webhookRetryScale: 0.01 });
		await rest.activate(WORKFLOW.id);
		// n8n's own start-up work settles before the timed deliveries.
		await sleep(3000);
		const rows = [];
		let last = { deliverySeq: 0, executionId: 0 };
		for (let index = 0; index <= count; index++) {
			const row = await sample(ctx.sim, rest, index, last);
			last = row;
			if (row.status !== 'success')
				ctx.broke(`trigger latency: execution ${row.executionId} ${row.status}`);
			rows.push({ ...row, coldKeyCache: index === 0 });
		}
		await rest.deactivate(WORKFLOW.id);
		const warm = rows.filter((row) => !row.coldKeyCache);
		const retried = warm.filter((row) => row.attempt > 1).length;
		const figures = {
			samples: warm.length,
			toStartMedianMs: median(warm.map((row) => row.toStartMs)),
			toStartMaxMs: Math.max(...warm.map((row) => row.toStartMs)),
			toAnswerMedianMs: median(warm.map((row) => row.toAnswerMs)),
			firstToStartMs: rows[0].toStartMs,
			firstToAnswerMs: rows[0].toAnswerMs,
			retried,
		};
		ctx.log(
			`trigger latency: to start median ${figures.toStartMedianMs} ms, max ${figures.toStartMaxMs} ms; 200 after median ${figures.toAnswerMedianMs} ms`,
		);
		const section = [
			'| Deliveries | To the 200 answer, median | To the execution start, median | max | First delivery (fetches the keys): answer / start |',
			'|---:|---:|---:|---:|---:|',
			`| ${figures.samples} | ${fmt.int(figures.toAnswerMedianMs)} ms | ${fmt.int(figures.toStartMedianMs)} ms | ${fmt.int(figures.toStartMaxMs)} ms | ${fmt.int(figures.firstToAnswerMs)} / ${fmt.int(figures.firstToStartMs)} ms |`,
			'',
			`n8n ${n8n.version} run with \`n8n start\`, its Upvest Trigger active on ACCOUNT_GROUP; one event of one delivery at a time. ` +
				"From the simulator starting to send a signed delivery (its delivery record) to n8n's answer and to the execution's `startedAt` (n8n's REST API); one clock, millisecond resolution. " +
				`${retried} of the timed deliveries needed a retry.`,
		];
		return {
			rows,
			figures,
			summary: [
				{
					measure: `Webhook delivery to workflow start (simulator sends → n8n execution \`startedAt\`, trigger active, ${figures.samples} deliveries of 1 event)`,
					node: `median ${fmt.int(figures.toStartMedianMs)} ms, max ${fmt.int(figures.toStartMaxMs)} ms`,
					baseline: `answered 200 after median ${fmt.int(figures.toAnswerMedianMs)} ms`,
					ratio: '',
					target: '',
				},
			],
			section,
		};
	} finally {
		await n8n.remove({ keep: ctx.options.keep });
	}
}

module.exports = {
	id: 'trigger-latency',
	title: 'Webhook delivery to workflow start (Upvest Trigger)',
	needs: ['simulator'],
	run,
};
