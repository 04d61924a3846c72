#!/usr/bin/env node
'use strict';

/**
 * `npm start`: a local n8n with this package, the Upvest simulator and the example workflows.
 *
 *  1. builds the package when dist/ is stale,
 *  2. installs n8n (2.8.4, or UPVEST_N8N_VERSION) into .local/n8n/<version> the first time
 *     (several minutes), then reuses it,
 *  3. starts the Upvest simulator on 127.0.0.1:4010 (or a free port when 4010 is taken),
 *  4. prepares the n8n user folder instances/start (under node_modules/.cache/n8n-nodes-upvest) (start-<version> for another version;
 *     kept between runs): the credential "Upvest simulator (test client)" and the workflows in
 *     examples/,
 *  5. starts n8n on 127.0.0.1:5678, creates the local owner login once, prints the URLs.
 *
 * Ctrl-C stops n8n and the simulator. Environment: N8N_PORT (default 5678), UPVEST_SIMULATOR_PORT
 * (default 4010), UPVEST_N8N_VERSION (an n8n version, see scripts/n8n/versions.js).
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { formUrl } = require('./form-client');
const rt = require('./n8n-runtime');
const { killGroup, sleep } = require('./n8n/processes');

const VERSION = rt.selectedVersion();
const EXAMPLES_DIR = path.join(rt.ROOT, 'examples');
const FIRST_EXAMPLE = 'onboard-a-customer-from-a-form.workflow.json';
// One user folder per version: a newer n8n migrates the database, which an older one cannot read.
const INSTANCE_DIR = path.join(
	rt.INSTANCES_DIR,
	VERSION === rt.N8N_VERSION ? 'start' : `start-${VERSION}`,
);
const STATE_FILE = path.join(INSTANCE_DIR, 'start-state.json');

function log(message) {
	process.stdout.write(`${message}\n`);
}

function portFromEnv(name, fallback) {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const port = Number(raw);
	if (!Number.isInteger(port) || port < 1 || port > 65535) {
		throw new Error(`${name} must be a port number from 1 to 65535, got "${raw}"`);
	}
	return port;
}

async function pickPort(label, wanted) {
	const port = await rt.findFreePort(wanted);
	if (port !== wanted) log(`Port ${wanted} on 127.0.0.1 is taken; using ${port} for ${label}.`);
	return port;
}

function readState() {
	try {
		return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
	} catch {
		return {};
	}
}

function writeState(state) {
	fs.writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
}

async function main() {
	const wantedN8nPort = portFromEnv('N8N_PORT', 5678);
	const wantedSimulatorPort = portFromEnv('UPVEST_SIMULATOR_PORT', 4010);

	let sim;
	let n8n;
	let stopping;
	const stop = (code) => {
		if (!stopping) {
			stopping = (async () => {
				if (n8n) {
					log('Stopping n8n ...');
					await n8n.stop().catch((error) => log(`Could not stop n8n cleanly: ${error.message}`));
				}
				if (sim) {
					log('Stopping the Upvest simulator ...');
					await sim.close().catch(() => undefined);
				}
			})().then(() => process.exit(code));
		}
		return stopping;
	};
	process.on('SIGINT', () => stop(0));
	process.on('SIGTERM', () => stop(0));
	// Last resort when this process dies some other way: n8n runs in its own process group.
	process.on('exit', () => {
		if (n8n?.pid) killGroup(n8n.pid);
	});

	try {
		rt.ensureBuilt({ log });
		rt.ensureN8n({ version: VERSION, log }); // synchronous; the first time this takes minutes

		const { startSimulator } = require(path.join(rt.ROOT, 'simulator', 'server'));
		const simulatorPort = await pickPort('the Upvest simulator', wantedSimulatorPort);
		sim = await startSimulator({ port: simulatorPort });
		log(`Upvest simulator listening on ${sim.url}`);

		const port = await pickPort('n8n', wantedN8nPort);
		const brokerPort = await rt.findFreePort(port === 5678 ? 5679 : undefined);
		const firstRun = !fs.existsSync(path.join(INSTANCE_DIR, '.n8n', 'database.sqlite'));
		n8n = rt.createInstance({ version: VERSION, dir: INSTANCE_DIR, port, brokerPort, log });
		const state = readState();

		log(
			firstRun
				? `Preparing n8n in ${path.relative(rt.ROOT, INSTANCE_DIR)} ...`
				: 'Updating the simulator credential ...',
		);
		// Every run: the simulator's URL may have changed (and a fresh import clears a stale token).
		// The examples' credential, with every scope they need (rt.EXAMPLE_SCOPES).
		await n8n.importCredentials([rt.credentialFor(sim.url)]);

		// Each example is imported once, and again only when its file changed, so edits made in the
		// editor survive a restart.
		const files = fs.readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.workflow.json'));
		state.exampleHashes ??= {};
		const examples = {};
		for (const file of files) {
			const text = fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8');
			examples[file] = JSON.parse(text);
			const hash = crypto.createHash('sha256').update(text).digest('hex');
			if (state.exampleHashes[file] !== hash) {
				await n8n.importWorkflow(examples[file]);
				state.exampleHashes[file] = hash;
				writeState(state);
			}
		}
		const example = examples[FIRST_EXAMPLE];

		log(`Starting n8n ${VERSION} (Node ${n8n.nodeVersion}) on 127.0.0.1:${port} ...`);
		await n8n.start();
		const owner = await n8n.setupOwner(rt.LOCAL_OWNER);
		state.ownerEmail = rt.LOCAL_OWNER.email;
		writeState(state);

		log('');
		log(`n8n is running:   ${n8n.url}`);
		log(`Example workflow: ${n8n.editorUrl(example.id)}`);
		log(`Its form:         ${formUrl(n8n.url, example)}  (once the workflow is active)`);
		for (const [file, workflow] of Object.entries(examples)) {
			if (file !== FIRST_EXAMPLE)
				log(`                  ${n8n.editorUrl(workflow.id)}  (${workflow.name})`);
		}
		log(
			`Login:            ${rt.LOCAL_OWNER.email} / ${rt.LOCAL_OWNER.password}${owner.created ? '  (owner just created)' : ''}`,
		);
		log(
			`Credential:       "${rt.SIMULATOR_CREDENTIAL.name}" -> ${sim.url} (test keys, simulator only)`,
		);
		log(`Simulator admin:  ${sim.url}/__simulator/state  (also /__simulator/requests)`);
		log(`n8n log file:     ${path.relative(rt.ROOT, path.join(INSTANCE_DIR, 'n8n-server.log'))}`);
		log('Press Ctrl-C to stop n8n and the simulator.');

		// Stay up until a signal, until n8n stops on its own, or until our parent is gone (npm does
		// not always pass a SIGTERM on to its script).
		const parent = process.ppid;
		for (;;) {
			await sleep(1000);
			if (process.ppid !== parent) {
				log('The parent process is gone; stopping.');
				await stop(0);
			}
			if (n8n.pid === undefined) break;
			try {
				process.kill(n8n.pid, 0);
			} catch {
				break;
			}
		}
		if (!stopping) {
			log('n8n exited unexpectedly; see the log file above.');
			await stop(1);
		}
	} catch (error) {
		process.stderr.write(`npm start failed: ${error.message}\n`);
		if (n8n) process.stderr.write(`${n8n.logs().slice(-4000)}\n`);
		await stop(1);
	}
}

main();
