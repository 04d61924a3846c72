'use strict';

/**
 * Executions of the create workflow in n8n, shared by the throughput, memory, token and profile
 * measurements: Start → Set (raw JSON with the items) → Split Out → Upvest (an account group per
 * item, its user from the item), no Code node. With `upvest: false` the last node is a No-Op:
 * the control that separates the Upvest node from n8n's own per-item cost. Every run gets its own
 * credential (so it starts without a token) and its own data set, and every item is checked.
 */

const {
	itemsWorkflow,
	personalGroupsFromItems,
	upvestNode,
	workflowNode,
} = require('../workflows');
const { per, uuidFor } = require('./stats');
const { executeMeasured } = require('./n8n-execution');

const NODE_NAME = 'Upvest';

function createWorkflow({ id, n, dataset, concurrency, credential, upvest }) {
	const items = Array.from({ length: n }, (_, i) => ({ userId: uuidFor(dataset, i) }));
	// The node's default key is derived from the request, so the same input is answered by replays.
	// Runs that execute a workflow again (the stored-token run) must create new account groups
	// like the first run, so every execution sends fresh keys.
	const options = { newIdempotencyKeyEachRun: true };
	if (concurrency !== undefined) options.concurrency = concurrency;
	const last = upvest
		? upvestNode(NODE_NAME, [660, 0], personalGroupsFromItems(options), {
				id: credential.id,
				name: credential.name,
			})
		: workflowNode(NODE_NAME, 'n8n-nodes-base.noOp', 1, [660, 0], {});
	return itemsWorkflow(id, `Bench ${id}`, items, last);
}

/**
 * Registers a create run for import: its credential and workflow. Returns the spec to pass to
 * runCreate. `spec`: { label, n, keyName?, concurrency?, latencyMs?, upvest? }.
 */
function planCreate(ctx, spec) {
	const upvest = spec.upvest !== false;
	const keyName = spec.keyName ?? 'ed25519';
	const tag = ctx.tag();
	const credential = upvest ? ctx.credential(tag, spec.label, keyName) : undefined;
	const dataset = `ds${tag}`;
	const workflow = ctx.workflow(
		createWorkflow({ ...spec, id: `UpvBenchWf00${tag}`, dataset, credential, upvest }),
	);
	return { latencyMs: 0, ...spec, keyName, upvest, dataset, workflowId: workflow.id };
}

/** The problems of a create execution: every item created once, for its own user, in order. */
function checkCreated(spec, items, records) {
	const bad = [];
	if (items.length !== spec.n) bad.push(`${items.length} output items for ${spec.n} inputs`);
	for (let i = 0; i < items.length && bad.length <= 5; i++) {
		const item = items[i];
		const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
		if (item.json?.error !== undefined) bad.push(`item ${i}: ${item.json.error}`);
		else if (typeof item.json?.id !== 'string') bad.push(`item ${i}: no account group id`);
		else if (item.json.user_id !== uuidFor(spec.dataset, i))
			bad.push(`item ${i}: answer for another user (order or pairing lost)`);
		else if (paired?.item !== i)
			bad.push(`item ${i}: pairedItem ${JSON.stringify(item.pairedItem)}`);
	}
	const creates = records.filter((r) => r.method === 'POST' && r.path === '/account_groups');
	const ok = creates.filter((r) => r.status === 200 && r.signature?.valid === true && !r.replayed);
	const keys = new Set(ok.map((r) => r.idempotencyKey));
	if (ok.length !== spec.n) bad.push(`${ok.length} accepted signed requests for ${spec.n} items`);
	if (keys.size !== ok.length) bad.push(`${ok.length - keys.size} idempotency keys reused`);
	const refused = creates.filter((r) => r.status !== 200);
	if (refused.length > 0)
		bad.push(
			`refused: ${refused
				.slice(0, 3)
				.map((r) => `${r.status} ${r.signature?.error ?? ''}`.trim())
				.join(', ')}`,
		);
	return bad;
}

/**
 * Executes a planned create run at its latency and checks it. Resolves the row: the spec, the
 * execution's figures, items per second and CPU per item; `extra(execution)` adds its own figures.
 */
async function runCreate(ctx, spec, { nodeArgs, repeat = false, label = spec.label, extra } = {}) {
	await ctx.sim.setLatency(spec.latencyMs);
	ctx.log(`${label}: n8n execute`);
	const execution = await executeMeasured(ctx, {
		label,
		workflowId: spec.workflowId,
		nodeName: NODE_NAME,
		nodeArgs,
		n: spec.n,
		expectTokens: spec.upvest ? (repeat ? 0 : 1) : undefined,
	});
	const { outcome } = execution;
	const row = { ...spec, ...outcome, repeat };
	if (execution.ok && spec.upvest) {
		const bad = checkCreated(spec, execution.items, execution.records);
		if (bad.length > 0) execution.fail(bad);
		row.itemsPerSecond = spec.n / (outcome.executionTimeMs / 1000);
		row.n8nCpuMsPerItem = per(outcome.n8nCpuMs, spec.n);
		row.simulatorCpuMsPerItem = per(outcome.simulatorCpuMs, spec.n);
	}
	if (execution.ok && extra) Object.assign(row, extra(execution, row));
	return row;
}

module.exports = { NODE_NAME, planCreate, runCreate };
