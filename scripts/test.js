#!/usr/bin/env node
// `npm test`: the unit suite (simulator, signing, credential, node in n8n-core), then the
// end-to-end suite (a real n8n and a real browser). Ends with one line `N passed, N failed`.
//   --unit-only   skip the end-to-end suite
//   --e2e-only    only the end-to-end suite
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const args = new Set(process.argv.slice(2));
const projects = args.has('--unit-only')
	? ['unit']
	: args.has('--e2e-only')
		? ['e2e']
		: ['unit', 'e2e'];
const artifacts = path.join(root, 'test-artifacts');
fs.mkdirSync(artifacts, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;
for (const project of projects) {
	const resultsFile = path.join(artifacts, `jest-${project}.json`);
	fs.rmSync(resultsFile, { force: true });
	console.log(`\n=== ${project} tests ===`);
	const run = spawnSync(
		process.execPath,
		[
			require.resolve('jest/bin/jest'),
			'--selectProjects',
			project,
			'--json',
			`--outputFile=${resultsFile}`,
		],
		{ cwd: root, stdio: 'inherit', env: process.env },
	);
	if (run.status !== 0) exitCode = 1;
	if (!fs.existsSync(resultsFile)) {
		console.error(`The ${project} suite produced no results (jest exit ${run.status}).`);
		totals.failed += 1;
		continue;
	}
	const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
	totals.passed += results.numPassedTests;
	totals.failed += results.numFailedTests + results.numRuntimeErrorTestSuites;
	totals.skipped += results.numPendingTests + results.numTodoTests;
	if (results.numTotalTests === 0) {
		console.error(`The ${project} suite ran no test.`);
		exitCode = 1;
	}
}
if (totals.failed > 0) exitCode = 1;
console.log(
	`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`,
);
process.exit(exitCode);
