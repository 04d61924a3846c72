'use strict';

/**
 * Get Many paging: the Upvest node's account group Get Many with Return All over a seeded list
 * (10,000 account groups at 20 ms latency by default), in a real n8n. It pages with offset/limit,
 * 1,000 per page, until meta.total_count. Measured: the pages fetched (from the simulator's
 * records), the node's executionTime, and the n8n process's memory per listed item (RSS growth
 * while the node runs; the live heap after full GCs in a separate, untimed run). Baseline: a bare
 * script paging with the same signed requests, with a new connection per request as n8n's request
 * helper makes and with a kept-alive connection, run between the node runs.
 *
 * The timed node runs wait a few seconds before the Upvest node: `n8n execute` starts a fresh n8n
 * process, and in its first seconds n8n's own start-up (its task runner, code still compiling)
 * runs beside the node and would be counted as the node's time. After the pause the node runs as
 * in an n8n that is already up. One run without the pause shows that start-up cost.
 */

const { manualTrigger, pauseNode, upvestNode, workflow, chain } = require('../workflows');
const { measureBare } = require('./bare-client');
const { heapProbeArgs, liveHeapGrowth } = require('./heap');
const { executeMeasured } = require('./n8n-execution');
const { fmt, median, per } = require('./stats');

const NODE_NAME = 'Upvest';
const PAGE_SIZE = 1000;
const LATENCY_MS = 20;
const TARGET = 1.2;
const SETTLE_SECONDS = 6;
const HEAP_PROBE_MS = 250;
// A full GC of n8n's heap can take most of a second on a busy machine: the untimed live-heap run
// pages slowly enough for several samples to fall between its first and last page.
const HEAP_RUN_LATENCY_MS = 1000;
const VARIANTS = [
	{ id: 'new', newConnection: true, label: 'new connection per request, like n8n' },
	{ id: 'keepAlive', newConnection: false, label: 'connection kept alive' },
];

/** Start → Wait (settleSeconds, when given) → Upvest Get Many with Return All. */
function pagingWorkflow(id, credential, settleSeconds) {
	const list = upvestNode(
		NODE_NAME,
		[440, 0],
		{ resource: 'accountGroup', operation: 'getAll', ownedBy: 'all', returnAll: true, options: {} },
		{ id: credential.id, name: credential.name },
	);
	if (!settleSeconds)
		return workflow(id, `Bench ${id}`, [manualTrigger(), list], chain('Start', NODE_NAME));
	const pause = pauseNode('Pause', [220, 0], settleSeconds);
	return workflow(
		id,
		`Bench ${id}`,
		[manualTrigger(), pause, list],
		chain('Start', 'Pause', NODE_NAME),
	);
}

/**
 * One workflow per node run, each with its own credential, so every run fetches its token: the
 * timed runs, one without the pause, and the live-heap run.
 */
function plan(ctx) {
	const specs = Array.from({ length: ctx.options.pagingRounds }, (_, round) => ({
		label: `paging, node, run ${round + 1}`,
		timed: true,
	}));
	specs.push({ label: 'paging, node, without the pause (n8n still starting)', cold: true });
	specs.push({
		label: `paging, node, live heap (full GC every ${HEAP_PROBE_MS} ms or more)`,
		heap: true,
	});
	return specs.map((spec) => {
		const tag = ctx.tag();
		const credential = ctx.credential(tag, spec.label, 'ed25519');
		const settle = spec.cold ? 0 : SETTLE_SECONDS;
		const wf = ctx.workflow(pagingWorkflow(`UpvBenchWf00${tag}`, credential, settle));
		return { ...spec, workflowId: wf.id };
	});
}

const listRecords = (records) =>
	records.filter((r) => r.method === 'GET' && r.path === '/account_groups');

/** Problems of a paging run: every page accepted, the whole list in order, nothing twice. */
function checkPaging(ids, listed, pages) {
	const bad = [];
	const expectedPages = Math.ceil(ids.length / PAGE_SIZE);
	const refused = pages.filter((r) => r.status !== 200 || r.signature?.valid !== true);
	if (refused.length > 0) bad.push(`${refused.length} page requests refused`);
	if (pages.length !== expectedPages) bad.push(`${pages.length} pages for ${expectedPages}`);
	if (listed.length !== ids.length) bad.push(`${listed.length} items for ${ids.length}`);
	const wrong = listed.findIndex((id, i) => id !== ids[i]);
	if (wrong !== -1) bad.push(`item ${wrong} is not the seeded group ${wrong} (order or paging)`);
	return bad;
}

/** Items listed by the time each page's answer left: for the live-heap slope. */
function pagingProgress(pages, total, latencyMs) {
	return pages
		.map((r) => {
			const query = new URLSearchParams(r.query ?? '');
			const items = Math.min(total, Number(query.get('offset')) + Number(query.get('limit')));
			return { t: Date.parse(r.receivedAt) + latencyMs, items };
		})
		.sort((a, b) => a.t - b.t);
}

/**
 * The run in two parts, from the simulator's clock: up to the first page request (credential,
 * token request) and from there to the end (the pages and the items built from them).
 */
function split(pages, startedAt, endedAt) {
	if (pages.length === 0) return {};
	const firstPage = Math.min(...pages.map((r) => Date.parse(r.receivedAt)));
	return { toFirstPageMs: firstPage - startedAt, pagingMs: endedAt - firstPage };
}

async function nodeRun(ctx, spec, ids) {
	ctx.log(`${spec.label}: n8n execute`);
	const latencyMs = spec.heap ? HEAP_RUN_LATENCY_MS : LATENCY_MS;
	await ctx.sim.setLatency(latencyMs);
	const execution = await executeMeasured(ctx, {
		label: spec.label,
		workflowId: spec.workflowId,
		nodeName: NODE_NAME,
		nodeArgs: spec.heap ? heapProbeArgs(ctx.workDir, HEAP_PROBE_MS) : [],
		n: ids.length,
		expectTokens: 1,
	});
	const { outcome, records } = execution;
	const pages = listRecords(records);
	const row = { kind: 'node', ...outcome, pages: pages.length };
	Object.assign(row, { timed: spec.timed, cold: spec.cold, heap: spec.heap });
	if (!execution.ok) return row;
	const bad = checkPaging(
		ids,
		execution.items.map((item) => item.json?.id),
		pages,
	);
	if (bad.length > 0) execution.fail(bad);
	row.latencyMs = latencyMs;
	row.itemsPerSecond = ids.length / (outcome.executionTimeMs / 1000);
	Object.assign(row, split(pages, outcome.nodeStartedAt, outcome.nodeFinishedAt));
	row.rssGrowthBytes = outcome.windowPeakRssBytes - outcome.rssBeforeNodeBytes;
	row.rssGrowthPerItem = per(row.rssGrowthBytes, ids.length);
	row.n8nCpuMsPerPage = per(outcome.n8nCpuMs, pages.length);
	if (spec.heap)
		row.liveHeap = liveHeapGrowth(
			execution.stderr,
			pagingProgress(pages, ids.length, latencyMs),
			outcome.nodeStartedAt,
			outcome.nodeFinishedAt,
		);
	ctx.log(
		`${spec.label}: ${fmt.int(row.executionTimeMs)} ms, ${row.pages} pages, RSS +${fmt.mb(row.rssGrowthBytes)}, other load ${fmt.n2(row.otherLoadCores)} cores` +
			(row.liveHeap ? `, live heap ${fmt.int(row.liveHeap.bytesPerItem)} bytes per item` : ''),
	);
	return row;
}

/** The bare script: the same GET /account_groups?offset=…&limit=1000 requests, signed bare. */
async function bareRun(ctx, variant, ids) {
	const label = `paging, bare script, ${variant.label}`;
	await ctx.sim.setLatency(LATENCY_MS);
	const bare = await measureBare(ctx, 'ed25519', variant, async (c) => {
		const listed = [];
		for (let offset = 0; ; ) {
			const res = await c.get('/account_groups', `offset=${offset}&limit=${PAGE_SIZE}`);
			if (res.status !== 200) throw new Error(`page at offset ${offset} answered ${res.status}`);
			for (const group of res.data.data) listed.push(group.id);
			offset += res.data.data.length;
			if (res.data.data.length === 0 || offset >= res.data.meta.total_count) break;
		}
		return listed;
	});
	const { ms, usage } = bare;
	const pages = listRecords(bare.records);
	const bad = checkPaging(ids, bare.result, pages);
	if (bad.length > 0) ctx.broke(`${label}: ${bad.join('; ')}`);
	ctx.log(`${label}: ${fmt.int(ms)} ms, ${pages.length} pages`);
	return {
		kind: 'bare',
		variant: variant.id,
		label,
		ms,
		...split(pages, bare.startedAt, bare.startedAt + ms),
		pages: pages.length,
		selfCpuMs: usage.selfCpuMs,
		simulatorCpuMs: usage.simulatorCpuMs,
		otherLoadCores: usage.otherLoadCores,
	};
}

/** Medians of the timed node runs and of each bare variant, and their ratios. */
function figuresOf(rows, count) {
	const timed = rows.filter((r) => r.timed && r.executionTimeMs);
	const medians = (list) => ({
		ms: median(list.map((r) => r.executionTimeMs ?? r.ms)),
		toFirstPageMs: median(list.map((r) => r.toFirstPageMs)),
		pagingMs: median(list.map((r) => r.pagingMs)),
	});
	const node = medians(timed);
	const bare = {};
	for (const variant of VARIANTS)
		bare[variant.id] = medians(rows.filter((r) => r.kind === 'bare' && r.variant === variant.id));
	const ratio = per(node.ms, bare.new.ms);
	return {
		items: count,
		pages: median(timed.map((r) => r.pages)),
		node,
		bare,
		ratio,
		ratioKeepAlive: per(node.ms, bare.keepAlive.ms),
		pagingRatio: per(node.pagingMs, bare.new.pagingMs),
		met: ratio === undefined ? undefined : ratio <= TARGET,
		rssGrowthPerItem: median(timed.map((r) => r.rssGrowthPerItem)),
		cold: medians(rows.filter((r) => r.cold && r.executionTimeMs)),
		liveHeap: rows.find((r) => r.heap)?.liveHeap,
	};
}

function tableRow(r) {
	const times = `${fmt.int(r.executionTimeMs ?? r.ms)} | ${fmt.int(r.toFirstPageMs)} | ${fmt.int(r.pagingMs)} | ${r.pages}`;
	if (r.kind === 'bare')
		return `| bare script, ${VARIANTS.find((v) => v.id === r.variant).label} | ${times} | | | ${fmt.n2(r.otherLoadCores)} |`;
	const what = r.heap
		? `n8n, full GC every ${HEAP_PROBE_MS} ms or more, ${HEAP_RUN_LATENCY_MS} ms latency (not timed)`
		: r.cold
			? 'n8n, node started without the pause (not in the ratio)'
			: 'n8n';
	return `| ${what} | ${times} | ${fmt.mb(r.rssBeforeNodeBytes)} → ${fmt.mb(r.windowPeakRssBytes)} (${fmt.int(r.rssGrowthPerItem)} bytes/item) | ${fmt.mb(r.peakRssBytes)} | ${fmt.n2(r.otherLoadCores)} |`;
}

function report(f, rows, count) {
	const heap = f.liveHeap;
	const section = [
		`Return All over ${fmt.int(count)} seeded account groups at ${LATENCY_MS} ms latency, Ed25519 key, ${fmt.int(PAGE_SIZE)} per page; each node run with a fresh credential, so its token request counts, as the bare script's does.`,
		'',
		'| Run | Time (ms) | To the first page (ms) | First page to the end (ms) | Pages | RSS before → peak while the node runs | Peak RSS (VmHWM) | Other load (cores) |',
		'|---|---:|---:|---:|---:|---:|---:|---:|',
		...rows.map(tableRow),
		'',
		`Node: median \`executionTime\` ${fmt.int(f.node.ms)} ms; bare script median ${fmt.int(f.bare.new.ms)} ms with a new connection per request (**${fmt.n2(f.ratio)} ×**, target ≤ ${TARGET}: ${fmt.verdict(f.met)}) and ${fmt.int(f.bare.keepAlive.ms)} ms with the connection kept alive (${fmt.n2(f.ratioKeepAlive)} ×). ` +
			`To the first page request: node ${fmt.int(f.node.toFirstPageMs)} ms, bare ${fmt.int(f.bare.new.toFirstPageMs)} ms; from there to the end: node ${fmt.int(f.node.pagingMs)} ms, bare ${fmt.int(f.bare.new.pagingMs)} ms (${fmt.n2(f.pagingRatio)} ×). ` +
			`Without the pause the node took ${fmt.int(f.cold.ms)} ms (${fmt.int(f.cold.toFirstPageMs)} ms to the first page request). ` +
			`RSS growth while the node runs: ${fmt.int(f.rssGrowthPerItem)} bytes per listed item (median of the timed runs)` +
			(heap?.bytesPerItem !== undefined
				? `; live heap after a full GC: ${fmt.int(heap.bytesPerItem)} bytes per listed item (${fmt.mb(heap.startBytes)} → ${fmt.mb(heap.endBytes)}, ${heap.samples} samples).`
				: '; live heap: too few samples while the node ran.'),
	];
	const summary = [
		{
			measure: `Get Many, Return All over ${fmt.int(count)} account groups, ${LATENCY_MS} ms latency (n8n \`executionTime\` vs a bare script paging with the same signed requests, a new connection per request as n8n makes; medians)`,
			node: `${fmt.int(f.node.ms)} ms, ${fmt.int(f.pages)} pages`,
			baseline: `${fmt.int(f.bare.new.ms)} ms`,
			ratio: `${fmt.n2(f.ratio)} ×`,
			target: `≤ ${TARGET} ${fmt.verdict(f.met)}`,
		},
		{
			measure: 'the same from the first page request to the end (without credential and token)',
			node: `${fmt.int(f.node.pagingMs)} ms`,
			baseline: `${fmt.int(f.bare.new.pagingMs)} ms`,
			ratio: `${fmt.n2(f.pagingRatio)} ×`,
			target: '',
		},
		{
			measure: 'the same with the node started at once, while n8n is still starting up',
			node: `${fmt.int(f.cold.ms)} ms`,
			baseline: `${fmt.int(f.bare.new.ms)} ms`,
			ratio: `${fmt.n2(per(f.cold.ms, f.bare.new.ms))} ×`,
			target: '',
		},
		{
			measure: 'the same against a bare script that keeps its connection alive',
			node: '',
			baseline: `${fmt.int(f.bare.keepAlive.ms)} ms`,
			ratio: `${fmt.n2(f.ratioKeepAlive)} ×`,
			target: '',
		},
		{
			measure: `Get Many memory per listed item (RSS growth of the n8n process while the node runs; live heap after a full GC)`,
			node: `${fmt.int(f.rssGrowthPerItem)} bytes; live heap ${fmt.int(heap?.bytesPerItem)} bytes`,
			baseline: '',
			ratio: '',
			target: '',
		},
	];
	return { section, summary };
}

async function run(ctx, runs) {
	const count = ctx.options.pagingN;
	// A list of exactly the seeded groups: earlier measurements created others.
	await ctx.sim.reset();
	ctx.log(`paging: seeding ${fmt.int(count)} account groups`);
	const { accountGroups: ids } = await ctx.sim.seed({ accountGroups: { count } });
	const rows = [];
	const bares = async () => {
		for (const variant of VARIANTS) rows.push(await bareRun(ctx, variant, ids));
	};
	// Each node run sits between bare runs, so drift in the machine's load hits both sides.
	for (const spec of runs) {
		if (!spec.heap) await bares();
		rows.push(await nodeRun(ctx, spec, ids));
	}
	await bares();
	const figures = figuresOf(rows, count);
	return { rows, figures, ...report(figures, rows, count) };
}

module.exports = { id: 'paging', title: 'Get Many paging', needs: ['n8n'], plan, run };
