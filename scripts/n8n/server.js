'use strict';

/** `n8n start` for one instance: started detached on 127.0.0.1, ready when its REST API answers, stopped by PID. */

const { spawn } = require('node:child_process');
const fs = require('node:fs');

const { httpJson, sendRequest } = require('../http-client');
const { isPortFree } = require('./ports');
const { killGroup, sleep } = require('./processes');

/**
 * @param {object} options
 * @param {{ node: string, bin: string }} options.install the n8n to run
 * @param {string} options.cwd
 * @param {() => Record<string, string>} options.env the server's environment
 * @param {string} options.url e.g. http://127.0.0.1:5678
 * @param {Array<[string, number]>} options.ports [label, port] pairs that must be free
 * @param {string} options.logFile the server's output is appended here
 * @param {(message: string) => void} options.log
 */
function serverControl({ install, cwd, env, url, ports, logFile, log }) {
	let server; // { child, exited, exitedEarly }
	let output = '';

	async function stop({ graceMs = 20000 } = {}) {
		if (!server) return;
		const { child, exited } = server;
		server = undefined;
		if (child.exitCode === null && child.signalCode === null) {
			try {
				process.kill(child.pid, 'SIGTERM');
			} catch {
				/* already gone */
			}
			const done = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
			if (!done) {
				log(`n8n (pid ${child.pid}) did not stop within ${graceMs} ms; killing its process group`);
				killGroup(child.pid);
				await exited;
			}
		}
		killGroup(child.pid); // the task runner shares the group: nothing of it may survive
	}

	/**
	 * Resolves when /healthz answers 200, the public /rest/settings answers its JSON and the editor's
	 * page answers 200: the REST API mounts after /healthz, newer n8n answers every path with a
	 * "starting up" page for a while, and 2.8.4 writes the editor's files after the REST API answers.
	 */
	async function waitUntilReady(deadline, timeoutMs) {
		for (;;) {
			if (server.exitedEarly) {
				const status = server.exitedEarly;
				server = undefined;
				throw new Error(
					`n8n start exited early (${status.code ?? status.signal}):\n${output.slice(-4000)}`,
				);
			}
			try {
				const health = await httpJson(`${url}/healthz`, { timeoutMs: 2000 });
				const settings =
					health.status === 200
						? await httpJson(`${url}/rest/settings`, { timeoutMs: 5000 })
						: undefined;
				const editor =
					settings?.status === 200 && typeof settings.json?.data === 'object'
						? await sendRequest(`${url}/signin`, {
								headers: { accept: 'text/html' },
								timeoutMs: 5000,
							})
						: undefined;
				if (editor?.status === 200) return;
			} catch {
				/* not listening yet */
			}
			if (Date.now() > deadline) {
				await stop();
				throw new Error(
					`n8n did not answer /healthz within ${timeoutMs} ms:\n${output.slice(-4000)}`,
				);
			}
			await sleep(250);
		}
	}

	async function start({ timeoutMs = 120000 } = {}) {
		if (server) return;
		for (const [label, port] of ports) {
			if (!(await isPortFree(port)))
				throw new Error(`port ${port} (${label}) on 127.0.0.1 is already in use`);
		}
		output = '';
		const logStream = fs.createWriteStream(logFile, { flags: 'a' });
		logStream.write(`\n==== n8n start ${new Date().toISOString()} ====\n`);
		const child = spawn(install.node, [install.bin, 'start'], {
			cwd,
			env: env(),
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true, // own process group, so stop() also ends the task runner
		});
		const onData = (chunk) => {
			logStream.write(chunk);
			output += chunk.toString('utf8');
			if (output.length > 2_000_000) output = output.slice(-1_000_000);
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		const exited = new Promise((resolve) => {
			child.once('close', (code, signal) => {
				logStream.end();
				resolve({ code, signal });
			});
		});
		server = { child, exited, exitedEarly: undefined };
		exited.then((status) => {
			if (server && server.child === child) server.exitedEarly = status;
		});
		await waitUntilReady(Date.now() + timeoutMs, timeoutMs);
	}

	return {
		start,
		stop,
		get pid() {
			return server ? server.child.pid : undefined;
		},
		/** This start's output so far. */
		output: () => output,
	};
}

module.exports = { serverControl };
