'use strict';

/**
 * CPU profiles of `n8n execute` (`node --cpu-prof`), read for the measured node's window: shares
 * of the sampled time by category (inclusive: a sample counts once for each category found on its
 * stack), GC, idle, the package's own self time and the hottest functions by self time. Used by
 * the profile and create-user measurements.
 */

const fs = require('node:fs');
const path = require('node:path');

const { ROOT } = require('../n8n-runtime');

function frameName(frame) {
	const where = frame.url
		.replace(/^file:\/\//, '')
		.replace(/^.*node_modules\//, '')
		.replace(`${ROOT}${path.sep}`, '');
	return `${frame.functionName || '(anonymous)'}${where ? ` ${where}:${frame.lineNumber + 1}` : ''}`;
}

/** Time per category, GC, idle and self time between fromUs and toUs (monotonic µs). */
function tally(profile, fromUs, toUs, categories) {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parent.set(child, node.id);
	const packageDir = `${ROOT}${path.sep}dist${path.sep}`;
	const t = { total: 0, idle: 0, gc: 0, packageSelf: 0 };
	t.categories = new Map(categories.map(([name]) => [name, 0]));
	t.self = new Map();
	let time = profile.startTime;
	profile.samples.forEach((id, i) => {
		time += profile.timeDeltas[i];
		if (time < fromUs || time > toUs) return;
		const dt = profile.timeDeltas[i + 1] ?? 0;
		t.total += dt;
		const frame = byId.get(id).callFrame;
		if (frame.functionName === '(idle)') t.idle += dt;
		if (frame.functionName === '(garbage collector)') t.gc += dt;
		if (frame.url.includes(packageDir)) t.packageSelf += dt;
		const name = frameName(frame);
		t.self.set(name, (t.self.get(name) ?? 0) + dt);
		const hit = new Set();
		for (let node = id; node !== undefined; node = parent.get(node)) {
			const f = byId.get(node).callFrame;
			for (const [category, test] of categories) if (test(f)) hit.add(category);
		}
		for (const category of hit) t.categories.set(category, t.categories.get(category) + dt);
	});
	return t;
}

/** Reads the profile the process `pid` wrote into `dir` and tallies the window. */
function analyzeProfile(dir, pid, fromUs, toUs, categories) {
	const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
	const file = files.find((f) => pid !== undefined && f.includes(`.${pid}.`)) ?? files[0];
	if (!file) return { error: 'no profile written' };
	const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
	const t = tally(profile, fromUs, toUs, categories);
	if (t.total === 0) return { file, error: 'no samples in the window' };
	const share = (us) => us / t.total;
	return {
		file: path.join(path.relative(ROOT, dir), file),
		windowMs: (toUs - fromUs) / 1000,
		sampledMs: t.total / 1000,
		idleShare: share(t.idle),
		gcShare: share(t.gc),
		packageSelfShare: share(t.packageSelf),
		categories: Object.fromEntries([...t.categories].map(([name, us]) => [name, share(us)])),
		topSelf: [...t.self]
			.sort((a, b) => b[1] - a[1])
			.slice(0, 25)
			.map(
				([name, us]) =>
					`${(us / 1000).toFixed(0).padStart(6)} ms ${(100 * share(us)).toFixed(1).padStart(5)} %  ${name}`,
			),
	};
}

/** `node` flags that make an `n8n execute` write its CPU profile into `dir`. */
const profileArgs = (dir) => ['--cpu-prof', `--cpu-prof-dir=${dir}`];

/** An empty folder for the profiles. */
function freshDir(dir) {
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}

/**
 * `row` (an executeMeasured outcome) with the analysis of its node's window in the profile its
 * process wrote into `dir`, by `categories` ([name, (callFrame) => boolean]); prints the hottest
 * functions under `heading`.
 */
function profiledRow(ctx, { dir, row, categories }, heading) {
	if (row.nodeStartedAt === undefined) return row;
	// V8 profile timestamps are CLOCK_MONOTONIC µs, like process.hrtime here; the window is epoch ms.
	const monoOffsetUs = Number(process.hrtime.bigint() / 1000n) - Date.now() * 1000;
	const fromUs = row.nodeStartedAt * 1000 + monoOffsetUs;
	const toUs = row.nodeFinishedAt * 1000 + monoOffsetUs;
	const prof = { ...row, ...analyzeProfile(dir, row.pid, fromUs, toUs, categories) };
	if (prof.topSelf) {
		ctx.log(`${heading} (${prof.file}):`);
		for (const line of prof.topSelf) process.stderr.write(`  ${line}\n`);
	}
	return prof;
}

module.exports = { freshDir, profileArgs, profiledRow };
