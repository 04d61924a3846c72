'use strict';

/**
 * Where the n8n process spends its CPU while the Upvest node runs: one more create execution under
 * `node --cpu-prof`, run last so that it disturbs no timing. Shares of the sampled time inside the
 * node's window, by part (the package's signing, n8n's credential decryption, request helper and
 * parameter resolution, GC, idle) and the hottest functions by self time.
 */

const { freshDir, profileArgs, profiledRow } = require('./cpu-profile');
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
	const dir = freshDir(ctx.options.profile);
	const row = await runCreate(ctx, spec, { nodeArgs: profileArgs(dir) });
	const prof = profiledRow(
		ctx,
		{ dir, row, categories: CATEGORIES },
		'hottest functions of the n8n process while the Upvest node ran',
	);
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
