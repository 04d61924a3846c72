'use strict';

/**
 * The live heap of the n8n process: a probe preloaded into n8n forces a full GC at a fixed
 * interval and prints the heap in use. What is still in use after a full GC is what the run really
 * keeps; the peak RSS also holds garbage V8 had no reason to collect yet. Forced GCs cost time,
 * so runs with the probe are never the timed ones.
 */

const fs = require('node:fs');
const path = require('node:path');

const { slope } = require('./stats');

/**
 * Writes the probe into `dir` and returns the node flags that load it. A full GC every
 * `intervalMs`, spaced further apart when it takes long, so forced GCs never take more than a
 * fifth of the process's time.
 */
function heapProbeArgs(dir, intervalMs = 1000) {
	const file = path.join(dir, `heap-probe-${intervalMs}.js`);
	fs.writeFileSync(
		file,
		`'use strict';
const tick = () => {
	const started = Date.now();
	global.gc();
	const took = Date.now() - started;
	const { heapUsed, external } = process.memoryUsage();
	process.stderr.write('BENCH_HEAP ' + Date.now() + ' ' + heapUsed + ' ' + external + '\\n');
	setTimeout(tick, Math.max(${intervalMs}, 4 * took)).unref();
};
setTimeout(tick, ${intervalMs}).unref();
`,
	);
	return ['--expose-gc', '--require', file];
}

/**
 * How many items the node had handled at time t, from a list of [{t, items}] (cumulative, in time
 * order): the last entry at or before t.
 */
function itemsAt(progress, t) {
	let lo = 0;
	let hi = progress.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (progress[mid].t <= t) lo = mid + 1;
		else hi = mid;
	}
	return lo === 0 ? 0 : progress[lo - 1].items;
}

/**
 * Live heap (after a full GC) against the items handled so far, while the node ran [from, to]:
 * least-squares slope in bytes per item, and the slopes of the first and second half (close
 * when the growth is linear).
 */
function liveHeapGrowth(stderr, progress, from, to) {
	const points = [...stderr.matchAll(/^BENCH_HEAP (\d+) (\d+) (\d+)$/gm)]
		.map((m) => ({ t: Number(m[1]), heap: Number(m[2]) + Number(m[3]) }))
		.filter((p) => p.t >= from && p.t <= to)
		.map((p) => ({ x: itemsAt(progress, p.t), y: p.heap }));
	const half = points.length >> 1;
	return {
		samples: points.length,
		startBytes: points[0]?.y,
		endBytes: points[points.length - 1]?.y,
		bytesPerItem: slope(points),
		firstHalfBytesPerItem: slope(points.slice(0, half + 1)),
		secondHalfBytesPerItem: slope(points.slice(half)),
	};
}

module.exports = { heapProbeArgs, liveHeapGrowth };
