'use strict';

/** One n8n CLI command in its own process group, and reading what `n8n execute` prints. */

const { spawn } = require('node:child_process');

const { killGroup } = require('./processes');

/**
 * Runs `n8n <args>` with the install's Node to completion. A timeout kills the whole process group
 * (n8n's task runner too). Resolves { exitCode, signal, stdout, stderr, ms }.
 */
function runN8n(install, args, { cwd, env, timeoutMs = 180000, log }) {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(install.node, [install.bin, ...args], {
			cwd,
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		const out = [];
		const err = [];
		child.stdout.on('data', (chunk) => out.push(chunk));
		child.stderr.on('data', (chunk) => err.push(chunk));
		const timer = setTimeout(() => {
			log(`n8n ${args[0]} timed out after ${timeoutMs} ms; killing pid ${child.pid}`);
			killGroup(child.pid);
		}, timeoutMs);
		child.once('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			resolve({
				exitCode: code,
				signal,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8'),
				ms: Date.now() - started,
			});
		});
	});
}

/** Extracts the IRun JSON `n8n execute` prints between a line `{` and the matching line `}`. */
function parseRun(stdout) {
	// At debug level n8n prefixes log lines ("<time> | info  | {") and suffixes the closing one ("} {...}").
	const prefix = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z \| [a-z]+\s*\| /;
	const lines = stdout.split(/\r?\n/);
	const start = lines.findIndex((line) => line.replace(prefix, '') === '{');
	if (start === -1) return undefined;
	const end = lines.findIndex((line, index) => index > start && /^\}(?: \{.*\})?$/.test(line));
	if (end === -1) return undefined;
	try {
		return JSON.parse(['{', ...lines.slice(start + 1, end), '}'].join('\n'));
	} catch {
		return undefined;
	}
}

/** The error of a failed execution: from the run data, else the CLI's "Execution error:" line, else its last line. */
function parseExecutionError(output, run) {
	const fromRun = run?.data?.resultData?.error?.message;
	if (typeof fromRun === 'string' && fromRun !== '') return fromRun;
	const pattern = /Execution error:[ \t]*\r?\n(?:=+[ \t]*\r?\n)?([^\r\n]*)/g;
	let message;
	for (let match = pattern.exec(output); match !== null; match = pattern.exec(output)) {
		const line = match[1].trim();
		if (line !== '' && line !== '{') message = line;
	}
	if (message !== undefined) return message;
	const lines = output
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter(Boolean);
	return lines[lines.length - 1];
}

/** Output items of one node in an IRun: [{ json, pairedItem, ... }] (first run, given output). */
function nodeOutput(run, nodeName, { runIndex = 0, output = 0 } = {}) {
	const task = run?.data?.resultData?.runData?.[nodeName]?.[runIndex];
	if (!task) return undefined;
	return task.data?.main?.[output] ?? [];
}

module.exports = { runN8n, parseRun, parseExecutionError, nodeOutput };
