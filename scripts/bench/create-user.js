'use strict';

/**
 * Create User: N customers through the Upvest node (User → Create, Your Own Licence (BYOL), every
 * field mapped from the input item, default concurrency and options) against n8n's HTTP Request
 * node sending the same signed requests (Predefined Credential Type → Upvest API, so the package's
 * credential signs; POST {base}/users with the same JSON body built by expression from the same
 * items, an `idempotency-key` header from an input field); see create-user-workflows.js. 0 ms
 * latency, Ed25519. Rounds alternate which node runs first (A B, B A, …), so drift in the
 * machine's load hits both; each side's figure is the median of its runs' `executionTime`, and the
 * ratio Upvest ÷ HTTP Request has a target of at most 0.5. Before every run the simulator is
 * reset, so both nodes meet the same empty simulator; after it, the simulator's state must hold
 * exactly the N users, and its records N accepted, validly signed POST /users whose bodies are
 * byte for byte the bodies expected for the items (so the same for both nodes). With --profile,
 * one more run of each node under the CPU profiler, after all timings, says where the n8n
 * process spends its CPU per item.
 */

const path = require('node:path');

const { freshDir, profileArgs, profiledRow } = require('./cpu-profile');
const {
	NODE_NAME,
	createUserWorkflow,
	customer,
	expectedBody,
} = require('./create-user-workflows');
const { executeMeasured } = require('./n8n-execution');
const { fmt, median, per } = require('./stats');

const TARGET = 0.5;
/** The Upvest client's scope for POST /users. */
const SCOPES = 'users:admin';
const SIDES = { upvest: 'Upvest node', http: 'HTTP Request node' };

/** A run of `side`: its own credential (so it fetches its own token) and workflow. */
function planRun(ctx, people, side, label) {
	const tag = ctx.tag();
	const credential = ctx.credential(tag, label, 'ed25519', SCOPES);
	const wf = ctx.workflow(
		createUserWorkflow(`UpvBenchWf00${tag}`, side, people, credential, ctx.sim.url),
	);
	return { side, label, workflowId: wf.id };
}

/** Rounds of one run per node, the order alternating; then the profiled runs (with --profile). */
function plan(ctx) {
	const n = ctx.options.n;
	const people = Array.from({ length: n }, (_, i) => customer(i));
	const runs = [];
	for (let round = 1; round <= ctx.options.createUserRounds; round++) {
		const order = round % 2 === 1 ? ['upvest', 'http'] : ['http', 'upvest'];
		for (const side of order)
			runs.push({
				...planRun(ctx, people, side, `create user, ${SIDES[side]}, round ${round}`),
				round,
			});
	}
	const profiled = ctx.options.profile
		? Object.keys(SIDES).map((side) =>
				planRun(ctx, people, side, `create user, ${SIDES[side]}, profiled`),
			)
		: [];
	return { n, people, runs, profiled };
}

/** The problems of one run: output items, the simulator's records and its users. */
function checkRun(side, people, items, posts, users) {
	const n = people.length;
	const bad = [];
	const expected = people.map((person) => JSON.stringify(expectedBody(person)));
	if (items.length !== n) bad.push(`${items.length} output items for ${n} inputs`);
	for (let i = 0; i < items.length && bad.length <= 5; i++) {
		const { json, pairedItem } = items[i];
		const paired = Array.isArray(pairedItem) ? pairedItem[0] : pairedItem;
		if (json?.error !== undefined) bad.push(`item ${i}: ${json.error}`);
		else if (typeof json?.id !== 'string') bad.push(`item ${i}: no user id`);
		else if (json.email !== people[i].email) bad.push(`item ${i}: another customer's user`);
		else if (paired?.item !== i) bad.push(`item ${i}: pairedItem ${JSON.stringify(pairedItem)}`);
	}
	const ok = posts.filter((r) => r.status === 200 && r.signature?.valid === true && !r.replayed);
	if (ok.length !== n || posts.length !== n)
		bad.push(`${ok.length} accepted signed POST /users of ${posts.length} for ${n} items`);
	const keys = new Set(ok.map((r) => r.idempotencyKey));
	if (keys.size !== ok.length) bad.push(`${ok.length - keys.size} idempotency keys reused`);
	if (side === 'http') {
		const byKey = new Map(people.map((person, i) => [person.onboardingId, expected[i]]));
		const off = ok.filter((r) => byKey.get(r.idempotencyKey) !== r.body);
		if (off.length > 0) bad.push(`${off.length} bodies differ from their item's (by key)`);
	}
	const sent = ok.map((r) => r.body).sort();
	const bodiesEqual = JSON.stringify(sent) === JSON.stringify([...expected].sort());
	if (!bodiesEqual) bad.push('the bodies sent are not the expected bodies of the items');
	const emails = new Set(users.map((user) => user.email));
	if (users.length !== n || !people.every((person) => emails.has(person.email)))
		bad.push(`the simulator holds ${users.length} users (${emails.size} e-mails) for ${n} items`);
	return { bad, bodiesEqual, usersCreated: users.length };
}

/** One execution on a reset simulator, checked; `nodeArgs` for the profiler. */
async function measureRun(ctx, spec, people, nodeArgs) {
	await ctx.sim.reset();
	ctx.log(`${spec.label}: n8n execute`);
	const execution = await executeMeasured(ctx, {
		label: spec.label,
		workflowId: spec.workflowId,
		nodeName: NODE_NAME,
		nodeArgs,
		n: people.length,
		expectTokens: spec.side === 'upvest' ? 1 : undefined,
	});
	const { outcome, records } = execution;
	const row = { side: spec.side, round: spec.round, profiled: nodeArgs !== undefined, ...outcome };
	if (!execution.ok) return row;
	const posts = records.filter((r) => r.method === 'POST' && r.path === '/users');
	const { users } = await ctx.sim.state();
	const check = checkRun(spec.side, people, execution.items, posts, users);
	if (check.bad.length > 0) execution.fail(check.bad);
	row.checked = check.bad.length === 0;
	row.bodiesEqual = check.bodiesEqual;
	row.usersCreated = check.usersCreated;
	row.itemsPerSecond = people.length / (outcome.executionTimeMs / 1000);
	row.n8nCpuMsPerItem = per(outcome.n8nCpuMs, people.length);
	row.simulatorCpuMsPerItem = per(outcome.simulatorCpuMs, people.length);
	// Split at the first POST /users the simulator received (one clock): before it the Upvest
	// node reads and checks every item and fetches the token; the HTTP Request node sends as it goes.
	if (posts.length > 0) {
		const firstPost = Math.min(...posts.map((r) => Date.parse(r.receivedAt)));
		row.toFirstPostMs = firstPost - outcome.nodeStartedAt;
		row.fromFirstPostMs = outcome.nodeFinishedAt - firstPost;
	}
	ctx.log(
		`${spec.label}: ${fmt.int(row.executionTimeMs)} ms (first POST after ${fmt.int(row.toFirstPostMs)} ms), n8n CPU ${fmt.n2(row.n8nCpuMsPerItem)} ms/item, ${row.tokenRequests} token request(s), other load ${fmt.n2(row.otherLoadCores)} cores`,
	);
	return row;
}

/** Inclusive categories of the profiled runs, for both nodes. */
const CATEGORIES = [
	[
		'n8n: parameters and expressions (getNodeParameter)',
		(f) => f.functionName.endsWith('getNodeParameter'),
	],
	[
		'  of which a new data proxy per expression (getDataProxy, with $now in the time zone)',
		(f) => f.functionName === 'getDataProxy',
	],
	[
		"  of which the expression sandbox's globals per expression (initializeGlobalContext)",
		(f) => f.functionName === 'initializeGlobalContext',
	],
	[
		"The package: the Upvest node's prepare, every item before the first request (getNodeParameter included)",
		(f) => f.functionName === 'prepare' && f.url.includes(`dist${path.sep}nodes`),
	],
	[
		'  of which the birth date checked against today (todayIn)',
		(f) => f.functionName === 'todayIn' && f.url.includes(`dist${path.sep}nodes`),
	],
	[
		'The package: credential authenticate (signing incl. crypto.sign)',
		(f) => f.functionName === 'signUpvestRequest',
	],
	[
		'n8n: credential loaded from the database and decrypted (getCredentials)',
		(f) => f.functionName === 'getCredentials',
	],
	[
		'n8n: request helper (httpRequest, proxyRequestToAxios → axios)',
		(f) =>
			(f.functionName === 'httpRequest' || f.functionName === 'proxyRequestToAxios') &&
			f.url.includes('request-helper-functions'),
	],
];

async function profileRuns(ctx, planned) {
	if (planned.profiled.length === 0) return [];
	const dir = freshDir(`${ctx.options.profile}-create-user`);
	const rows = [];
	for (const spec of planned.profiled) {
		const row = await measureRun(ctx, spec, planned.people, profileArgs(dir));
		const heading = `hottest functions of the n8n process while the ${SIDES[spec.side]} ran`;
		rows.push(profiledRow(ctx, { dir, row, categories: CATEGORIES }, heading));
	}
	return rows;
}

/** Medians per side, and the ratios Upvest ÷ HTTP Request: of the medians and per round. */
function figuresOf(rows) {
	const side = (name) => rows.filter((r) => r.side === name && r.executionTimeMs !== undefined);
	const medians = (list) => {
		const of = (key) => median(list.map((r) => r[key]).filter((v) => v !== undefined));
		return {
			runs: list.length,
			executionTimeMs: of('executionTimeMs'),
			toFirstPostMs: of('toFirstPostMs'),
			fromFirstPostMs: of('fromFirstPostMs'),
			n8nCpuMsPerItem: of('n8nCpuMsPerItem'),
			simulatorCpuMsPerItem: of('simulatorCpuMsPerItem'),
			otherLoadCores: of('otherLoadCores'),
			tokenRequests: [...new Set(list.map((r) => r.tokenRequests))],
		};
	};
	const upvest = medians(side('upvest'));
	const http = medians(side('http'));
	const roundRatios = [...new Set(rows.map((r) => r.round))].map((round) => {
		const [a] = side('upvest').filter((r) => r.round === round);
		const [b] = side('http').filter((r) => r.round === round);
		return a && b ? a.executionTimeMs / b.executionTimeMs : undefined;
	});
	const ratio = per(upvest.executionTimeMs, http.executionTimeMs);
	return {
		upvest,
		http,
		ratio,
		met: ratio === undefined ? undefined : ratio <= TARGET,
		cpuRatio: per(upvest.n8nCpuMsPerItem, http.n8nCpuMsPerItem),
		roundRatios,
		medianRoundRatio: median(roundRatios.filter((r) => r !== undefined)),
		allChecked: rows.length > 0 && rows.every((r) => r.checked),
	};
}

function tableRow(r) {
	const bodies = r.bodiesEqual === undefined ? '–' : r.bodiesEqual ? 'yes' : '**no**';
	return `| ${r.round} | ${SIDES[r.side]} | ${fmt.int(r.executionTimeMs)} | ${fmt.int(r.toFirstPostMs)} | ${fmt.int(r.fromFirstPostMs)} | ${fmt.int(r.itemsPerSecond)} | ${fmt.n2(r.n8nCpuMsPerItem)} | ${fmt.n2(r.simulatorCpuMsPerItem)} | ${fmt.n2(r.otherLoadCores)} | ${r.tokenRequests} | ${r.usersCreated ?? '–'} | ${bodies} |`;
}

/** The profiled runs side by side: CPU ms per item by part (share of the samples × sampled time). */
function profileTable(profiles, n) {
	const [upvest, http] = ['upvest', 'http'].map((s) => profiles.find((p) => p.side === s));
	if (!upvest?.categories || !http?.categories)
		return [`No profile: ${upvest?.error ?? http?.error ?? 'a profiled execution failed'}.`];
	const msPerItem = (p, share) => fmt.n2((share * p.sampledMs) / n);
	const line = (name, a, b) => `| ${name.replace(/^ {2}/, '↳ ')} | ${a} | ${b} |`;
	return [
		`One more run of each node under \`node --cpu-prof\` after the timings; CPU of the n8n process per item (its samples while the node ran, inclusive, × the sampled time ÷ ${fmt.int(n)} items; the profiler slows both):`,
		'',
		`| Part | ${SIDES.upvest} (ms/item) | ${SIDES.http} (ms/item) |`,
		'|---|---:|---:|',
		line('Everything sampled while the node ran', msPerItem(upvest, 1), msPerItem(http, 1)),
		...CATEGORIES.map(([name]) =>
			line(
				name,
				msPerItem(upvest, upvest.categories[name]),
				msPerItem(http, http.categories[name]),
			),
		),
		line('Garbage collector', msPerItem(upvest, upvest.gcShare), msPerItem(http, http.gcShare)),
		line(
			'Idle (waiting for the simulator)',
			msPerItem(upvest, upvest.idleShare),
			msPerItem(http, http.idleShare),
		),
		'',
		`The hottest functions by self time are printed by the bench and kept in test-artifacts/bench.json; the profiles are ${upvest.file} and ${http.file}.`,
	];
}

function section(f, n, rows, profiles) {
	const timing = (s) =>
		`${fmt.int(s.executionTimeMs)} ms (first POST after ${fmt.int(s.toFirstPostMs)} ms, then ${fmt.int(s.fromFirstPostMs)} ms)`;
	return [
		`${fmt.int(n)} customers, every field of a BYOL user filled and mapped from the item (27 values: 4 fields, the address's 6, 11 additional fields and the postal address's 6), 0 ms latency, Ed25519. ` +
			'Upvest node: User → Create, default options (concurrency 4, the idempotency key derived from the request); ' +
			"HTTP Request node 4.4: POST /users, Authentication Predefined Credential Type → Upvest API (the package's credential signs), the JSON body as a {{ }} template of the item's fields, " +
			"header `idempotency-key` from the item's `onboardingId`, default options (it starts every item's request at once). " +
			'Rounds alternate which node runs first; the simulator is reset before every run. ' +
			'First POST: when the simulator received the first POST /users, from the node’s start.',
		'',
		'| Round | Node | Time (ms) | To the first POST (ms) | First POST to the end (ms) | Items/s | n8n CPU (ms/item) | Simulator CPU (ms/item) | Other load (cores) | Token requests | Users created | Bodies as expected |',
		'|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
		...rows.map(tableRow),
		'',
		`Medians: Upvest node ${timing(f.upvest)}, HTTP Request node ${timing(f.http)}: ` +
			`**${fmt.n2(f.ratio)} ×** the time (target ≤ ${TARGET}: ${fmt.verdict(f.met)}); per round ${f.roundRatios.map((r) => fmt.n2(r)).join(', ')} (median ${fmt.n2(f.medianRoundRatio)}). ` +
			`CPU of the n8n process per item while the node ran: ${fmt.n2(f.upvest.n8nCpuMsPerItem)} against ${fmt.n2(f.http.n8nCpuMsPerItem)} ms (${fmt.n2(f.cpuRatio)} ×). ` +
			"Time is each node's `executionTime` from n8n's run data, its token request included. " +
			`${f.allChecked ? 'Every run' : '**Not every run**'} created exactly the ${fmt.int(n)} users (the simulator's state), with ${fmt.int(n)} accepted, validly signed POST /users whose bodies are byte for byte the bodies expected for the items: the same for both nodes.`,
		'',
		...(profiles.length > 0 ? profileTable(profiles, n) : []),
	];
}

async function run(ctx, planned) {
	await ctx.sim.setLatency(0);
	const rows = [];
	for (const spec of planned.runs) rows.push(await measureRun(ctx, spec, planned.people));
	const profiles = await profileRuns(ctx, planned);
	await ctx.sim.reset();
	const f = figuresOf(rows);
	const summary = [
		{
			measure: `Create User, ${fmt.int(planned.n)} items, BYOL, every field from the item, 0 ms latency, Ed25519 (Upvest node \`executionTime\` vs n8n's HTTP Request node sending the same signed requests; medians of ${f.upvest.runs} and ${f.http.runs} interleaved runs)`,
			node: `${fmt.int(f.upvest.executionTimeMs)} ms`,
			baseline: `${fmt.int(f.http.executionTimeMs)} ms`,
			ratio: `${fmt.n2(f.ratio)} × the time`,
			target: `≤ ${TARGET} ${fmt.verdict(f.met)}`,
		},
		{
			measure: 'the same in CPU time of the n8n process per item while the node ran',
			node: `${fmt.n2(f.upvest.n8nCpuMsPerItem)} ms`,
			baseline: `${fmt.n2(f.http.n8nCpuMsPerItem)} ms`,
			ratio: `${fmt.n2(f.cpuRatio)} ×`,
			target: '',
		},
	];
	return {
		rows: [...rows, ...profiles],
		figures: f,
		summary,
		section: section(f, planned.n, rows, profiles),
	};
}

module.exports = {
	id: 'create-user',
	title: 'Create User: Upvest node vs HTTP Request node',
	needs: ['n8n'],
	plan,
	run,
};
