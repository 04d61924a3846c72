'use strict';

/**
 * Memory of the create workflow: peak RSS of the n8n process (polled from /proc) for a large and
 * a small number of items, with the Upvest node and with a No-Op in its place (the control that
 * separates the node from n8n's own per-item cost); the growth between the two sizes per item.
 * One more large run with a full GC every second gives the live heap per item: what the run keeps,
 * without the garbage V8 has not collected yet.
 */

const { heapProbeArgs, liveHeapGrowth } = require('./heap');
const { planCreate, runCreate } = require('./create-runs');
const { fmt } = require('./stats');

function plan(ctx) {
	const { memN, memSmallN } = ctx.options;
	const upvest = (n) => ({ n, label: `memory, Upvest, ${n} items` });
	const control = (n) => ({ n, upvest: false, label: `memory, No-Op control, ${n} items` });
	const heap = {
		n: memN,
		heapProbe: true,
		label: `memory, Upvest, ${memN} items, live heap (full GC every second or more)`,
	};
	return [upvest(memSmallN), upvest(memN), control(memSmallN), control(memN), heap].map((spec) =>
		planCreate(ctx, spec),
	);
}

/** Cumulative items created by time t, from the create requests' arrival times. */
function creationProgress(records) {
	return records
		.filter((r) => r.method === 'POST' && r.path === '/account_groups')
		.map((r) => Date.parse(r.receivedAt))
		.sort((a, b) => a - b)
		.map((t, i) => ({ t, items: i + 1 }));
}

function growth(rows, options, upvest) {
	const find = (n) => rows.find((r) => r.n === n && r.upvest === upvest && !r.heapProbe);
	const small = find(options.memSmallN);
	const large = find(options.memN);
	if (!small?.peakRssBytes || !large?.peakRssBytes) return undefined;
	const growthBytes = large.peakRssBytes - small.peakRssBytes;
	return { growthBytes, bytesPerItem: growthBytes / (options.memN - options.memSmallN) };
}

function tableRow(m) {
	if (!m.upvest)
		return `| Set → Split Out → No-Op (control) | ${fmt.int(m.n)} | ${fmt.mb(m.peakRssBytes)} | – | – |`;
	return `| Set → Split Out → Upvest${m.heapProbe ? ', full GC every second or more' : ''} | ${fmt.int(m.n)} | ${fmt.mb(m.peakRssBytes)} | ${fmt.mb(m.rssBeforeNodeBytes)} | ${fmt.mb(m.windowPeakRssBytes)} |`;
}

function notes(summary, options) {
	const lines = [];
	const { upvest, control, liveHeap } = summary;
	if (upvest)
		lines.push(
			`Growth ${fmt.int(options.memSmallN)} → ${fmt.int(options.memN)} items: Upvest workflow ${fmt.mb(upvest.growthBytes)} = **${fmt.int(upvest.bytesPerItem)} bytes per item**` +
				(control
					? `; control without the Upvest node ${fmt.mb(control.growthBytes)} = ${fmt.int(control.bytesPerItem)} bytes per item; attributable to the Upvest node and its output ≈ ${fmt.int(summary.attributableBytesPerItem)} bytes per item.`
					: '.') +
				' Peak includes n8n printing the run JSON at the end of `n8n execute`.',
			'',
		);
	if (liveHeap?.bytesPerItem !== undefined)
		lines.push(
			`What the run keeps: live heap after a full GC grew by **${fmt.int(liveHeap.bytesPerItem)} bytes per item** while the node ran ` +
				`(${fmt.mb(liveHeap.startBytes)} → ${fmt.mb(liveHeap.endBytes)}, ${liveHeap.samples} samples; first half ${fmt.int(liveHeap.firstHalfBytesPerItem)}, second half ${fmt.int(liveHeap.secondHalfBytesPerItem)} bytes per item). ` +
				'The difference to the peak RSS growth is garbage V8 had not collected yet.',
		);
	return lines;
}

async function run(ctx, specs) {
	const rows = [];
	for (const spec of specs) {
		const nodeArgs = spec.heapProbe ? heapProbeArgs(ctx.workDir) : [];
		const row = await runCreate(ctx, spec, {
			nodeArgs,
			extra: spec.heapProbe
				? ({ records, stderr }, r) => ({
						liveHeap: liveHeapGrowth(
							stderr,
							creationProgress(records),
							r.nodeStartedAt,
							r.nodeFinishedAt,
						),
					})
				: undefined,
		});
		rows.push(row);
		ctx.log(
			`${spec.label}: peak RSS ${fmt.mb(row.peakRssBytes)}${row.windowPeakRssBytes ? `, while the node runs ${fmt.mb(row.windowPeakRssBytes)}` : ''}` +
				(row.liveHeap ? `, live heap ${fmt.int(row.liveHeap.bytesPerItem)} bytes per item` : ''),
		);
	}
	const summary = {
		upvest: growth(rows, ctx.options, true),
		control: growth(rows, ctx.options, false),
		liveHeap: rows.find((r) => r.heapProbe)?.liveHeap,
	};
	if (summary.upvest && summary.control)
		summary.attributableBytesPerItem = summary.upvest.bytesPerItem - summary.control.bytesPerItem;
	const section = [
		'| Workflow | Items | Peak RSS (VmHWM) | RSS before the node | Peak RSS while the node runs |',
		'|---|---:|---:|---:|---:|',
		...rows.map(tableRow),
		'',
		...notes(summary, ctx.options),
	];
	const liveHeap = summary.liveHeap?.bytesPerItem;
	return {
		rows,
		figures: summary,
		summary: [
			{
				measure: `Peak RSS growth for ${fmt.int(ctx.options.memN)} items (create)`,
				node: `${fmt.kb(summary.upvest?.bytesPerItem)}/item; live heap after a full GC ${fmt.int(liveHeap)} bytes/item`,
				baseline: `No-Op control ${fmt.kb(summary.control?.bytesPerItem)}/item`,
				ratio: '',
				target: 'linear, small',
			},
		],
		section,
	};
}

module.exports = {
	id: 'memory',
	title: 'Memory of the create workflow (peak RSS of the n8n process)',
	needs: ['n8n'],
	plan,
	run,
};
