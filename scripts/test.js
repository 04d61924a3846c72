#!/usr/bin/env node
'use strict';

/**
 * `npm test`: the unit suite (simulator, signing, credential, node in n8n-core), the whole end-to-end
 * suite (a real n8n and a real browser) on the default n8n, then the smoke list below on every other
 * n8n version of the matrix (scripts/n8n/versions.js). Ends with one line `N passed, N failed`
 * that sums every run.
 *
 * n8n versions not installed yet are installed in the background from the start, one after the
 * other at the lowest CPU priority, while the unit suite and the earlier stages run; a stage waits
 * for its version (the install lock of scripts/n8n/install.js), so each version is installed once.
 *
 *   --unit-only     only the unit suite
 *   --e2e-only      the end-to-end suite and the matrix, no unit suite
 *   --matrix-only   only the smoke list on the other versions of the matrix
 */

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { artifactPath } = require('./artifacts');
const { ensureN8n, installedN8nVersion } = require('./n8n/install');
const { DEFAULT_VERSION, MATRIX } = require('./n8n/versions');
const { ROOT, logger } = require('./n8n/project');

/** The end-to-end files that also run on every other n8n version of the matrix. */
const SMOKE_ON_EVERY_VERSION = [
	'test/e2e/n8n-cli.test.ts', // both create operations, mixed variants, the HTTP Request node
	'test/e2e/manage.test.ts', // Get, Get Many, Close, Deactivate
	'test/e2e/security.test.ts', // the credential signs only for its own base URL
	'test/e2e/trigger.test.ts', // activation, verified deliveries, restarts
	'test/e2e/onboarding.smoke.test.ts', // the form example onboards a customer to an ACTIVE account
];

function stages(args) {
	const unit = { label: 'unit tests', project: 'unit', files: [] };
	const e2e = {
		label: `e2e tests on n8n ${DEFAULT_VERSION}`,
		project: 'e2e',
		files: [],
		version: DEFAULT_VERSION,
	};
	const matrix = MATRIX.filter((version) => version !== DEFAULT_VERSION).map((version) => ({
		label: `smoke tests on n8n ${version}`,
		project: 'e2e',
		files: SMOKE_ON_EVERY_VERSION,
		version,
	}));
	if (args.has('--unit-only')) return [unit];
	if (args.has('--matrix-only')) return matrix;
	if (args.has('--e2e-only')) return [e2e, ...matrix];
	return [unit, e2e, ...matrix];
}

/**
 * Starts installing the stages' n8n versions that are missing, in stage order, in one background
 * process at the lowest priority (its npm and compiler inherit it), so the tests keep the CPU.
 */
function installInBackground(versions) {
	const missing = [...new Set(versions)].filter(
		(version) => installedN8nVersion(version) !== version,
	);
	if (missing.length === 0) return undefined;
	const logFile = artifactPath('n8n-install.log');
	const out = fs.openSync(logFile, 'w');
	const child = spawn(process.execPath, [path.join(__dirname, 'install-n8n.js'), ...missing], {
		cwd: ROOT,
		stdio: ['ignore', out, out],
	});
	fs.closeSync(out);
	try {
		os.setPriority(child.pid, 19);
	} catch {
		// Not permitted here: the install still runs, at normal priority.
	}
	process.stdout.write(
		`installing n8n ${missing.join(', ')} in the background (${path.relative(ROOT, logFile)})\n`,
	);
	return { child, logFile };
}

/** Runs one Jest invocation; resolves its counts from Jest's JSON report. */
function runStage(stage) {
	if (stage.version) {
		try {
			// Waits while the background install holds this version's lock; installs it if it has not.
			ensureN8n({ version: stage.version, log: logger(`n8n ${stage.version}`) });
		} catch (error) {
			process.stderr.write(
				`${stage.label}: n8n ${stage.version} is not installed: ${error.message}\n`,
			);
			return { passed: 0, failed: 1, skipped: 0, ok: false };
		}
	}
	const name = stage.version ? `${stage.project}-${stage.version}` : stage.project;
	const resultsFile = artifactPath(`jest-${name}.json`);
	fs.rmSync(resultsFile, { force: true });
	process.stdout.write(`\n=== ${stage.label} ===\n`);
	const env = { ...process.env };
	if (stage.version) env.UPVEST_N8N_VERSION = stage.version;
	const args = [
		require.resolve('jest/bin/jest'),
		'--selectProjects',
		stage.project,
		'--json',
		`--outputFile=${resultsFile}`,
	];
	if (stage.files.length > 0) args.push('--runTestsByPath', ...stage.files);
	const run = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env });
	if (!fs.existsSync(resultsFile)) {
		process.stderr.write(`${stage.label} produced no results (jest exit ${run.status}).\n`);
		return { passed: 0, failed: 1, skipped: 0, ok: false };
	}
	const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
	const counts = {
		passed: results.numPassedTests,
		failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
		skipped: results.numPendingTests + results.numTodoTests,
	};
	if (results.numTotalTests === 0) process.stderr.write(`${stage.label} ran no test.\n`);
	return { ...counts, ok: run.status === 0 && results.numTotalTests > 0 };
}

const summary = ({ passed, failed, skipped }) =>
	`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;

function main() {
	const totals = { passed: 0, failed: 0, skipped: 0 };
	const lines = [];
	let ok = true;
	const planned = stages(new Set(process.argv.slice(2)));
	const installs = installInBackground(planned.map((stage) => stage.version).filter(Boolean));
	for (const stage of planned) {
		const result = runStage(stage);
		for (const key of Object.keys(totals)) totals[key] += result[key];
		ok = ok && result.ok;
		lines.push(`  ${stage.label}: ${summary(result)}`);
	}
	if (installs) {
		// Every stage has waited for its version, so the installer has finished; never leave it behind.
		installs.child.kill();
		const report = fs
			.readFileSync(installs.logFile, 'utf8')
			.match(/^n8n .*: .*$|^installs took .*$/gm);
		lines.unshift(`  n8n installed in the background: ${(report ?? ['(no report)']).join('; ')}`);
	}
	process.stdout.write(`\n${lines.join('\n')}\n\n${summary(totals)}\n`);
	process.exitCode = ok && totals.failed === 0 ? 0 : 1;
}

main();
