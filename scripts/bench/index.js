#!/usr/bin/env node
'use strict';

/**
 * `npm run bench`: the package's performance figures in one run (see docs/performance.md), written
 * to test-artifacts/bench.md and test-artifacts/bench.json. It reports and does not judge: a
 * missed target is marked "missed", and the exit code is non-zero only when something breaks (an
 * execution or an item fails, a request is refused). `--help` lists the options.
 *
 * A measurement is a module in MEASUREMENTS below, run in that order:
 *
 *   module.exports = {
 *     id: 'paging',                 // for --only=paging,signing
 *     title: 'Get Many paging',     // its section in bench.md
 *     needs: ['n8n'],               // [] | ['simulator'] | ['n8n'] (n8n implies the simulator)
 *     plan(ctx) { ... return planned },        // optional, before anything runs: register the
 *                                              // credentials and workflows to import (all at once)
 *     async run(ctx, planned) {
 *       return {
 *         rows: [...],              // one object per run, kept in bench.json
 *         figures: {...},           // what the rows add up to, kept in bench.json
 *         summary: [{ measure, node, baseline, ratio, target }],  // rows of the summary table
 *         section: ['markdown lines'],                           // its section in bench.md
 *       };
 *     },
 *   };
 *
 * `ctx` holds: options (options.js), log(message), broke(what) (marks the run broken), sim (the
 * simulator process, simulator-process.js), n8n (the n8n instance, scripts/n8n-runtime.js),
 * workDir (a scratch folder), tag() (a new 3-digit tag for unique ids), credential(tag, label,
 * keyName, scopes?) and workflow(json) (register for import; return what they registered; the
 * scopes default to the credential's, accounts:admin roles:admin), results (the results of the
 * measurements before, by id) and executions (every measured Upvest execution with its token
 * requests).
 */

const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const rt = require('../n8n-runtime');
const { parseOptions } = require('./options');
const { writeReport } = require('./report');
const { startSimulatorProcess } = require('./simulator-process');
const { stopAll } = require('./n8n-execution');

const MEASUREMENTS = [
	require('./signing'),
	require('./trigger-verify'),
	require('./throughput'),
	require('./memory'),
	require('./paging'),
	require('./tokens'),
	require('./queue'),
	require('./trigger-latency'),
	require('./create-user'),
	require('./profile'),
];

const T0 = performance.now();
const seconds = () => ((performance.now() - T0) / 1000).toFixed(1).padStart(5);
const log = (message) => process.stderr.write(`[bench ${seconds()} s] ${message}\n`);

const cleanups = [];
async function cleanup() {
	stopAll();
	while (cleanups.length > 0) {
		try {
			await cleanups.pop()();
		} catch (error) {
			log(`cleanup: ${error.message}`);
		}
	}
}

/** The context the measurements share; starts the simulator and n8n only when one needs them. */
async function createContext(options, selected) {
	const problems = [];
	const imports = { credentials: [], workflows: [] };
	let counter = 0;
	const ctx = {
		options,
		log,
		problems,
		broke(what) {
			problems.push(what);
			log(`BROKEN: ${what}`);
		},
		results: {},
		executions: [],
		tag: () => String(++counter).padStart(3, '0'),
		credential(tag, label, keyName, scopes) {
			const name = `Bench ${tag} ${label}`;
			const credential = rt.credentialFor(ctx.sim.url, keyName, {
				id: `UpvBenchCred0${tag}`,
				name,
				scopes,
			});
			imports.credentials.push(credential);
			return credential;
		},
		workflow(json) {
			imports.workflows.push(json);
			return json;
		},
		imports,
	};
	const needs = new Set(selected.flatMap((m) => m.needs ?? []));
	if (needs.has('n8n') || needs.has('simulator')) {
		log('starting the simulator');
		ctx.sim = await startSimulatorProcess();
		cleanups.push(() => ctx.sim.stop());
	}
	if (needs.has('n8n')) {
		rt.ensureN8n({ log });
		// n8n's Insights module works on the stored executions inside the n8n process; with the
		// executions of earlier measurements in the database it slowed the paging runs by up to 1.7
		// times. That is n8n's cost, not the node's (docs/performance.md, "What every measurement shares").
		const env = { N8N_DISABLED_MODULES: 'insights' };
		ctx.n8n = rt.createInstance({ name: 'bench', temporary: true, log, env });
		cleanups.push(() => ctx.n8n.remove({ keep: options.keep }));
		ctx.workDir = ctx.n8n.dir;
	} else {
		ctx.workDir = os.tmpdir();
	}
	return ctx;
}

async function main() {
	const options = parseOptions(
		process.argv.slice(2),
		MEASUREMENTS.map((m) => m.id),
	);
	const selected = MEASUREMENTS.filter((m) => options.only.includes(m.id));
	const startedAt = new Date();
	const loadavgAtStart = os.loadavg();
	log(`measurements: ${selected.map((m) => m.id).join(', ')}${options.quick ? ' (quick)' : ''}`);
	rt.ensureBuilt({ log });
	const ctx = await createContext(options, selected);

	const planned = new Map(selected.map((m) => [m.id, m.plan ? m.plan(ctx) : undefined]));
	if (ctx.imports.workflows.length > 0) {
		log(
			`importing ${ctx.imports.credentials.length} credentials and ${ctx.imports.workflows.length} workflows`,
		);
		await ctx.n8n.importCredentials(ctx.imports.credentials);
		await ctx.n8n.importWorkflow(ctx.imports.workflows);
	}

	const measurements = [];
	for (const measurement of selected) {
		log(`== ${measurement.title}`);
		let result;
		try {
			result = await measurement.run(ctx, planned.get(measurement.id));
		} catch (error) {
			ctx.broke(`${measurement.id}: ${error.stack ?? error}`);
			result = { rows: [], summary: [], section: [`Did not finish: ${error.message}`] };
		}
		ctx.results[measurement.id] = result;
		measurements.push({ id: measurement.id, title: measurement.title, ...result });
	}

	const markdown = writeReport({
		startedAt: startedAt.toISOString(),
		totalSeconds: (performance.now() - T0) / 1000,
		environment: {
			node: process.version,
			n8n: ctx.n8n ? rt.installedN8nVersion(ctx.n8n.version) : undefined,
			cpus: os.cpus().length,
			cpuModel: os.cpus()[0]?.model,
			loadavgAtStart,
			loadavgAtEnd: os.loadavg(),
			platform: `${os.type()} ${os.release()}`,
		},
		options,
		measurements,
		problems: ctx.problems,
	});
	console.log(`\n${markdown}`);
	log('wrote test-artifacts/bench.md and test-artifacts/bench.json');
	return ctx.problems.length === 0 ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => {
		log(`${signal}: stopping`);
		cleanup().finally(() => process.exit(130));
	});
}

main()
	.then(async (code) => {
		await cleanup();
		log(`done in ${seconds().trim()} s${code ? ': something broke, see above' : ''}`);
		process.exit(code);
	})
	.catch(async (error) => {
		log(`failed: ${error.stack ?? error}`);
		await cleanup();
		process.exit(1);
	});
