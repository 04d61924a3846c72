'use strict';

/** Child processes: npm runs with a clean environment, liveness checks and process-group kills. */

const { spawnSync } = require('node:child_process');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function sleepSync(ms) {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** Sends `signal` to the process group led by `pid` (servers are started detached). False when it is gone. */
function killGroup(pid, signal = 'SIGKILL') {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

/**
 * The environment for a nested npm: npm exports its own config to scripts (ignore-scripts from this
 * project's .npmrc, local_prefix=<project>); a nested install must not inherit it. The cache,
 * registry and user config stay.
 */
function cleanNpmEnv(base = process.env) {
	const keep = new Set([
		'npm_config_cache',
		'npm_config_userconfig',
		'npm_config_registry',
		'npm_config_cafile',
	]);
	const env = {};
	for (const [name, value] of Object.entries(base)) {
		const lower = name.toLowerCase();
		if ((lower.startsWith('npm_') && !keep.has(lower)) || lower === 'init_cwd') continue;
		env[name] = value;
	}
	return env;
}

/** Runs `npm <args>` to completion with output on stderr; throws with `what` when it fails. */
function runNpm(args, { cwd, env = cleanNpmEnv(), what = `npm ${args.join(' ')}` }) {
	const result = spawnSync('npm', args, { cwd, env, stdio: ['ignore', 2, 'inherit'] });
	if (result.error) throw new Error(`${what} could not start: ${result.error.message}`);
	if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}) in ${cwd}`);
}

module.exports = { sleep, sleepSync, isAlive, killGroup, cleanNpmEnv, runNpm };
