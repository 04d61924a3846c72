#!/usr/bin/env node
'use strict';

/**
 * Postgres and Redis for n8n's queue mode come from Debian's packages (`postgresql`,
 * `redis-server`). This finds their binaries and, when one is missing and we are root on a machine
 * with apt-get, installs it (`apt-get update` first). Run directly, it installs what is missing:
 * `node scripts/services/packages.js` (what CI does before the tests).
 */

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const POSTGRES_ROOT = '/usr/lib/postgresql';
const POSTGRES_TOOLS = ['initdb', 'postgres', 'pg_isready', 'createdb'];

/** The newest Debian Postgres whose bin folder has every tool we run, or undefined. */
function findPostgres() {
	let versions;
	try {
		versions = fs.readdirSync(POSTGRES_ROOT);
	} catch {
		return undefined;
	}
	const sorted = versions
		.filter((name) => /^\d+$/.test(name))
		.sort((a, b) => Number(b) - Number(a));
	for (const version of sorted) {
		const binDir = path.join(POSTGRES_ROOT, version, 'bin');
		if (POSTGRES_TOOLS.every((tool) => fs.existsSync(path.join(binDir, tool)))) {
			const bin = Object.fromEntries(POSTGRES_TOOLS.map((tool) => [tool, path.join(binDir, tool)]));
			return { version, binDir, bin };
		}
	}
	return undefined;
}

/** redis-server on PATH or where Debian puts it, or undefined. */
function findRedis() {
	const onPath = (process.env.PATH ?? '')
		.split(path.delimiter)
		.filter(Boolean)
		.map((dir) => path.join(dir, 'redis-server'));
	return [...onPath, '/usr/bin/redis-server'].find((file) => fs.existsSync(file));
}

function aptInstall(packages, log) {
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const apt = ['/usr/bin/apt-get', '/bin/apt-get'].find((file) => fs.existsSync(file));
	if (!isRoot || apt === undefined) {
		throw new Error(
			`${packages.join(' and ')} missing: install them (Debian: sudo apt-get install ${packages.join(' ')}) and run again`,
		);
	}
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	log(`installing ${packages.join(', ')} from Debian's packages (apt-get update first)`);
	for (const args of [
		['update', '-qq'],
		['install', '-y', '-qq', '--no-install-recommends', ...packages],
	]) {
		const result = spawnSync(apt, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
		if (result.status !== 0)
			throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status})`);
	}
}

/**
 * Makes sure both services can run here. Resolves { postgres: findPostgres(), redis: path }.
 * @param {{ log?: (message: string) => void }} [options]
 */
function ensureServicePackages({
	log = (message) => process.stderr.write(`[services] ${message}\n`),
} = {}) {
	const missing = [];
	if (findPostgres() === undefined) missing.push('postgresql');
	if (findRedis() === undefined) missing.push('redis-server');
	if (missing.length > 0) aptInstall(missing, log);
	const postgres = findPostgres();
	const redis = findRedis();
	if (postgres === undefined || redis === undefined)
		throw new Error('after apt-get install, Postgres or Redis is still not where Debian puts it');
	return { postgres, redis };
}

if (require.main === module) {
	const { postgres, redis } = ensureServicePackages();
	process.stdout.write(`Postgres ${postgres.version} in ${postgres.binDir}, Redis ${redis}\n`);
}

module.exports = { ensureServicePackages, findPostgres, findRedis };
