#!/usr/bin/env node
'use strict';

/**
 * Installs n8n versions (and the Node each runs on) into the local cache ahead of the tests.
 *
 *   node scripts/install-n8n.js              the CI matrix (scripts/n8n/versions.js), one after the other
 *   node scripts/install-n8n.js --parallel   the same, all at once (each version in its own process)
 *   node scripts/install-n8n.js 1.123.81     only the versions named
 *
 * Prints one line per version with the seconds it took (0 when it was already there).
 */

const { spawn } = require('node:child_process');

const { ensureN8n } = require('./n8n/install');
const { MATRIX, parseVersion } = require('./n8n/versions');
const { logger } = require('./n8n/project');

function installHere(version) {
	const started = Date.now();
	ensureN8n({ version, log: logger(`install ${version}`) });
	return Math.round((Date.now() - started) / 1000);
}

function installInChild(version) {
	const started = Date.now();
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [__filename, version], {
			stdio: ['ignore', 'ignore', 'inherit'],
		});
		child.once('close', (code) =>
			resolve({ version, code, seconds: Math.round((Date.now() - started) / 1000) }),
		);
	});
}

async function main() {
	const args = process.argv.slice(2);
	const parallel = args.includes('--parallel');
	const named = args.filter((arg) => !arg.startsWith('--'));
	const versions = named.length > 0 ? named : [...MATRIX];
	versions.forEach(parseVersion);
	const started = Date.now();
	let failed = 0;
	if (parallel && versions.length > 1) {
		for (const { version, code, seconds } of await Promise.all(versions.map(installInChild))) {
			process.stdout.write(
				`n8n ${version}: ${code === 0 ? 'ready' : `FAILED (exit ${code})`} after ${seconds} s\n`,
			);
			if (code !== 0) failed += 1;
		}
	} else {
		for (const version of versions) {
			try {
				process.stdout.write(`n8n ${version}: ready after ${installHere(version)} s\n`);
			} catch (error) {
				process.stderr.write(`n8n ${version}: ${error.message}\n`);
				failed += 1;
			}
		}
	}
	process.stdout.write(`installs took ${Math.round((Date.now() - started) / 1000)} s in all\n`);
	process.exitCode = failed > 0 ? 1 : 0;
}

main();
