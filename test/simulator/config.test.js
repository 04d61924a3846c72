'use strict';

/** The check options (checkDelayMs, checkOutcome, requiredUserChecks) and their CLI flags. */

const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { DEFAULT_CONFIG, validateConfig } = require('../../simulator/config');
const { parseArgs } = require('../../simulator/cli');
const { admin, expectProblem, useSimulator } = require('./helpers');

const CLI = path.join(__dirname, '../../simulator/cli.js');

const suite = useSimulator({});

test('defaults: checks decided after 1 s, PASSED; BYOL needs KYC, TOL KYC and INSTRUMENT_FIT', () => {
	expect(DEFAULT_CONFIG).toMatchObject({
		checkDelayMs: 1000,
		checkOutcome: 'PASSED',
		requiredUserChecks: { BYOL: ['KYC'], TOL: ['KYC', 'INSTRUMENT_FIT'] },
	});
	expect(suite.sim.config.requiredUserChecks).toEqual({
		BYOL: ['KYC'],
		TOL: ['KYC', 'INSTRUMENT_FIT'],
	});
});

test.each([
	[{ checkDelayMs: -1 }, 'checkDelayMs must be a non-negative integer or null'],
	[{ checkDelayMs: 1.5 }, 'checkDelayMs must be a non-negative integer or null'],
	[{ checkOutcome: 'MAYBE' }, 'checkOutcome must be one of PASSED, FAILED'],
	[
		{ requiredUserChecks: ['KYC'] },
		/^requiredUserChecks must be an object \{ BYOL: \[\.\.\.\], TOL/,
	],
	[{ requiredUserChecks: { BYOL: ['KYC'] } }, /^requiredUserChecks must be/],
	[{ requiredUserChecks: { BYOL: ['KYB'], TOL: [] } }, /^requiredUserChecks must be/],
	[{ requiredUserChecks: { BYOL: ['KYC', 'KYC'], TOL: [] } }, /^requiredUserChecks must be/],
	[{ requiredUserChecks: { BYOL: [], TOL: [], OMNIBUS: [] } }, /^requiredUserChecks must be/],
])('%p is refused', async (change, message) => {
	expect(() => validateConfig(DEFAULT_CONFIG, change)).toThrow(message);
	expectProblem(await admin(suite.sim.url, 'POST', 'config', change), 400, message);
});

test('changes through the admin API; a copy is kept, not the caller’s object', async () => {
	const required = { BYOL: [], TOL: ['POR', 'KYC'] };
	const res = await admin(suite.sim.url, 'POST', 'config', {
		checkDelayMs: null,
		checkOutcome: 'FAILED',
		requiredUserChecks: required,
	});
	expect(res.json.config).toMatchObject({
		checkDelayMs: null,
		checkOutcome: 'FAILED',
		requiredUserChecks: required,
	});
	const direct = { BYOL: ['POR'], TOL: [] };
	suite.sim.setConfig({ requiredUserChecks: direct });
	direct.BYOL.push('KYC');
	expect(suite.sim.config.requiredUserChecks).toEqual({ BYOL: ['POR'], TOL: [] });
	suite.sim.setConfig({
		checkDelayMs: 1000,
		checkOutcome: 'PASSED',
		requiredUserChecks: DEFAULT_CONFIG.requiredUserChecks,
	});
});

test('CLI: --check-delay-ms N|never and --check-outcome PASSED|FAILED', () => {
	expect(parseArgs(['--check-delay-ms', '250', '--check-outcome', 'FAILED'])).toMatchObject({
		checkDelayMs: 250,
		checkOutcome: 'FAILED',
	});
	expect(parseArgs(['--check-delay-ms=never', '--check-outcome=PASSED'])).toMatchObject({
		checkDelayMs: null,
		checkOutcome: 'PASSED',
	});
	expect(parseArgs([])).not.toHaveProperty('checkOutcome');
	for (const [args, message] of [
		[['--check-outcome', 'MAYBE'], '--check-outcome must be PASSED or FAILED'],
		[['--check-delay-ms', 'soon'], '--check-delay-ms needs a non-negative integer'],
	]) {
		const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 10000 });
		expect(run.status).toBe(2);
		expect(run.stderr).toContain(message);
		expect(run.stderr).toContain('--check-delay-ms N');
	}
});
