'use strict';

/**
 * What the servers of a queue-mode cluster share (Postgres, Redis, n8n workers): a data folder
 * under .local/services (git-ignored), a process started in its own process group with its output
 * in a log file, a stop by its PID and a kill by its PID.
 */

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { LOCAL_DIR } = require('../n8n/project');
const { killGroup, sleep } = require('../n8n/processes');

const SERVICES_DIR = path.join(LOCAL_DIR, 'services');

/** A new folder .local/services/<name>-XXXXXX (mode 0700). */
function makeDataDir(name) {
	fs.mkdirSync(SERVICES_DIR, { recursive: true });
	const dir = fs.mkdtempSync(path.join(SERVICES_DIR, `${name}-`));
	fs.chmodSync(dir, 0o700);
	return dir;
}

/** A random password for a local service (hex, so it needs no quoting anywhere). */
const newPassword = () => crypto.randomBytes(24).toString('hex');

/**
 * Starts `command` detached (its own process group), output appended to `logFile`.
 * `user` ({ uid, gid }) drops root privileges, as Postgres requires. stop() sends `stopSignal`
 * to its PID, then removes `dataDir` (if given); kill() sends SIGKILL, as a crash would.
 * Returns { pid, exited, exitStatus(), stop({ graceMs }), kill(), tail(), log() }.
 */
function startServer({
	command,
	args,
	logFile,
	user,
	env = process.env,
	cwd,
	dataDir,
	stopSignal,
}) {
	const fd = fs.openSync(logFile, 'a', 0o600);
	let child;
	try {
		child = spawn(command, args, {
			cwd,
			env,
			stdio: ['ignore', fd, fd],
			detached: true,
			...(user ? { uid: user.uid, gid: user.gid } : {}),
		});
	} finally {
		fs.closeSync(fd);
	}
	let status;
	const exited = new Promise((resolve) => {
		child.once('error', (error) => {
			status = { error: error.message };
			resolve(status);
		});
		child.once('exit', (code, signal) => {
			status = { code, signal };
			resolve(status);
		});
	});

	/** Sends `stopSignal` to the server's PID, SIGKILL to its group after `graceMs`, removes `dataDir`. */
	async function stop({ graceMs = 15000 } = {}) {
		if (status === undefined) {
			try {
				process.kill(child.pid, stopSignal);
			} catch {
				/* already gone */
			}
			const done = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
			if (!done) {
				killGroup(child.pid);
				await exited;
			}
		}
		killGroup(child.pid); // helpers of the server left in its group
		if (dataDir !== undefined) fs.rmSync(dataDir, { recursive: true, force: true });
	}

	/** SIGKILL to its PID only; then whatever it left in its group. Resolves how it ended. */
	async function kill() {
		try {
			process.kill(child.pid, 'SIGKILL');
		} catch {
			/* already gone */
		}
		const ended = await exited;
		killGroup(child.pid);
		return ended;
	}

	const log = () => {
		try {
			return fs.readFileSync(logFile, 'utf8');
		} catch {
			return '';
		}
	};
	const tail = () => log().slice(-4000);
	return { pid: child.pid, exited, exitStatus: () => status, stop, kill, tail, log };
}

/**
 * Polls `probe` (resolves true when ready) until `timeoutMs`. When the server exits early or is
 * not ready in time, it is stopped (its folder removed) and this throws with its log's end.
 */
async function waitReady(server, what, probe, timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const status = server.exitStatus();
		const problem =
			status !== undefined
				? `${what} exited early (${JSON.stringify(status)})`
				: Date.now() > deadline
					? `${what} was not ready within ${timeoutMs} ms`
					: undefined;
		if (problem !== undefined) {
			const tail = server.tail();
			await server.stop();
			throw new Error(`${problem}:\n${tail}`);
		}
		if (await probe().catch(() => false)) return;
		await sleep(200);
	}
}

module.exports = { SERVICES_DIR, makeDataDir, newPassword, startServer, waitReady };
