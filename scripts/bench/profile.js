'use strict';

/**
 * Where the n8n process spends its CPU while the Upvest node runs: one more create execution under
 * `node --cpu-prof`, run last so that it disturbs no timing. Shares of the sampled time inside the
 * node's window, by part (the package's signing, n8n's credential decryption, request helper and
 * parameter resolution, GC, idle) and the hottest functions by self time.
 */

const fs = require('node:fs');
const path = require('node:path');

const { ROOT } = require('../n8n-runtime');
const { planCreate, runCreate } = require('./create-runs');
const { fmt } = require('./stats');

/** Inclusive categories: a sample counts once for each category found on its stack. */
const CATEGORIES = [
	[
		'The package: credential authenticate (signing incl. crypto.sign)',
		(f) => f.functionName === 'signUpvestRequest',
	],
	['  of which crypto.sign', (f) => f.functionName === 'signOneShot'],
	[
		'n8n: load and decrypt the credential for every request (getDecrypted)',
		(f) => f.functionName === 'getDecrypted',
	],
	[
		'n8n: HTTP helper (httpRequest → axios, new agent and TCP connection per request)',
		(f) => f.functionName === 'httpRequest' && f.url.includes('request-helper-functions'),
	],
	[
		'n8n: parameters and expressions (getNodeParameter, all items, before the first request)',
		(f) => f.functionName.endsWith('getNodeParameter'),
	],
];

function frameName(frame) {
	const where = frame.url
		.replace(/^file:\/\//, '')
		.replace(/^.*node_modules\//, '')
		.replace(`${ROOT}${path.sep}`, '');
	return `${frame.functionName || '(anonymous)'}${where ? ` ${where}:${frame.lineNumber + 1}` : ''}`;
}

/** Time per category, GC, idle and self time between fromUs and toUs (monotonic µs). */
function tally(profile, fromUs, toUs) {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parent.set(child, node.id);
	const packageDir = `${ROOT}${path.sep}dist${path.sep}`;
	const t = { total: 0, idle: 0, gc: 0, packageSelf: 0 };
	t.categories = new Map(CATEGORIES.map(([name]) => [name, 0]));
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
			for (const [category, test] of CATEGORIES) if (test(f)) hit.add(category);
		}
		for (const category of hit) t.categories.set(category, t.categories.get(category) + dt);
	});
	return t;
}

/** Reads the profile the process `pid` wrote into `dir` and tallies the window. */
function analyzeProfile(dir, pid, fromUs, toUs) {
	const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
	const file = files.find((f) => pid !== undefined && f.includes(`.${pid}.`)) ?? files[0];
	if (!file) return { error: 'no profile written' };
	const t = tally(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), fromUs, toUs);
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

function plan(ctx) {
	return planCreate(ctx, { n: ctx.options.n, label: 'profiled: node Ed25519 L=0 C=default' });
}

function section(prof, n) {
	if (!prof.categories) return [`No profile: ${prof.error ?? 'the execution failed'}.`];
	return [
		`One more execution (${prof.label}) under \`node --cpu-prof\`, after all timings; samples while the Upvest node ran (${fmt.int(prof.sampledMs)} ms, ${n} items). Inclusive shares of the sampled time:`,
		'',
		'| Part | Share |',
		'|---|---:|',
		...Object.entries(prof.categories).map(
			([name, value]) => `| ${name.replace(/^ {2}/, '↳ ')} | ${fmt.pct(value)} |`,
		),
		`| Self time in the package's own code (dist/) | ${fmt.pct(prof.packageSelfShare)} |`,
		`| Garbage collector | ${fmt.pct(prof.gcShare)} |`,
		`| Idle (waiting for the network or the simulator) | ${fmt.pct(prof.idleShare)} |`,
		'',
		`The hottest functions (self time) are printed by the bench and kept in test-artifacts/bench.json; the profile is ${prof.file}.`,
	];
}

async function run(ctx, spec) {
	const dir = ctx.options.profile;
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	const row = await runCreate(ctx, spec, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
	// V8 profile timestamps are CLOCK_MONOTONIC µs, like process.hrtime here; the window is epoch ms.
	const monoOffsetUs = Number(process.hrtime.bigint() / 1000n) - Date.now() * 1000;
	const prof = {
		...row,
		...(row.nodeStartedAt === undefined
			? {}
			: analyzeProfile(
					dir,
					row.pid,
					row.nodeStartedAt * 1000 + monoOffsetUs,
					row.nodeFinishedAt * 1000 + monoOffsetUs,
				)),
	};
	if (prof.topSelf) {
		ctx.log(`hottest functions of the n8n process while the Upvest node ran (${prof.file}):`);
		for (const line of prof.topSelf) process.stderr.write(`  ${line}\n`);
	}
	const share = (name) => fmt.pct(prof.categories?.[name]);
	return {
		rows: [prof],
		figures: { categories: prof.categories, gcShare: prof.gcShare, idleShare: prof.idleShare },
		summary: prof.categories
			? [
					{
						measure: `CPU profile of the n8n process during ${fmt.int(spec.n)} creates: the package's \`authenticate\` (of which \`crypto.sign\`)`,
						node: `${share(CATEGORIES[0][0])} (${share(CATEGORIES[1][0])})`,
						baseline: `n8n: parameters ${share(CATEGORIES[4][0])}, request helper ${share(CATEGORIES[3][0])}`,
						ratio: '',
						target: '',
					},
				]
			: [],
		section: section(prof, spec.n),
	};
}

module.exports = {
	id: 'profile',
	title: 'Where the n8n process spends its CPU while the node runs',
	needs: ['n8n'],
	plan,
	run,
};
