'use strict';

/**
 * The simulator in its own process, so that neither n8n nor the bare script shares its event loop,
 * and the monitor can count its CPU time separately. Talks to it through the admin API
 * (docs/simulator.md).
 */

const { spawn } = require('node:child_process');
const path = require('node:path');

const { ROOT, findFreePort } = require('../n8n-runtime');
const { httpJson } = require('../http-client');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function admin(url, what, options) {
	const res = await httpJson(`${url}/__simulator/${what}`, { timeoutMs: 120000, ...options });
	if (res.status !== 200) throw new Error(`simulator ${what} answered ${res.status}: ${res.text}`);
	return res.json;
}

async function waitUntilHealthy(child, url, output) {
	const deadline = Date.now() + 15000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`simulator exited early:\n${output()}`);
		try {
			const health = await httpJson(`${url}/__simulator/health`, { timeoutMs: 1000 });
			if (health.status === 200) return;
		} catch {
			/* not yet */
		}
		if (Date.now() > deadline) throw new Error(`simulator did not start:\n${output()}`);
		await sleep(100);
	}
}

async function startSimulatorProcess() {
	const port = await findFreePort();
	const child = spawn(
		process.execPath,
		[path.join(ROOT, 'simulator', 'cli.js'), '--port', String(port)],
		{ cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const exited = new Promise((resolve) => child.once('close', resolve));
	const url = `http://127.0.0.1:${port}`;
	await waitUntilHealthy(child, url, () => output);

	let lastSeq = 0;
	return {
		url,
		pid: child.pid,
		setLatency: (latencyMs) => admin(url, 'config', { method: 'POST', body: { latencyMs } }),
		/** Empties the simulator (resources, tokens, request log); the API clients stay. */
		async reset() {
			await admin(url, 'reset', { method: 'POST' });
			lastSeq = 0;
		},
		/** The simulator's state (resources, events, counters), as the admin API describes it. */
		state: () => admin(url, 'state'),
		/** Inserts resources directly, e.g. { accountGroups: { count: 10000 } }; resolves their ids. */
		seed: (spec) => admin(url, 'seed', { method: 'POST', body: spec }),
		/** Request records since the previous call. */
		async takeRecords() {
			const records = await admin(url, `requests?since=${lastSeq}`);
			if (!Array.isArray(records)) throw new Error('simulator records are not a list');
			for (const record of records) lastSeq = Math.max(lastSeq, record.seq);
			return records;
		},
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			child.kill('SIGTERM');
			const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
			if (!done) {
				child.kill('SIGKILL');
				await exited;
			}
		},
	};
}

module.exports = { startSimulatorProcess };
