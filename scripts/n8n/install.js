'use strict';

/**
 * One n8n install per version in .local/n8n/<version>, each run by the Node its recipe names
 * (scripts/n8n/versions.js). An install is complete when its marker file install.json exists;
 * it is written last, so a killed install is redone on the next call.
 */

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { N8N_CACHE_DIR, ROOT, PACKAGE_NAME, logger } = require('./project');
const { DEFAULT_VERSION, NATIVE_MODULES, recipeFor } = require('./versions');
const { ensureNode, envFor, nodeRuntime } = require('./node-binaries');
const { withLock } = require('./lock');
const { cleanNpmEnv, runNpm } = require('./processes');

const MARKER = 'install.json';

const n8nDir = (version = DEFAULT_VERSION) => path.join(N8N_CACHE_DIR, version);
const n8nBin = (version = DEFAULT_VERSION) =>
	path.join(n8nDir(version), 'node_modules', 'n8n', 'bin', 'n8n');

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

/** Native modules of the install that its Node cannot load (not built, or built for another Node). */
function unloadableNativeModules(dir, runtime) {
	return NATIVE_MODULES.filter((name) => {
		const modulePath = path.join(dir, 'node_modules', name);
		if (!fs.existsSync(path.join(modulePath, 'package.json'))) return false;
		const check = spawnSync(runtime.node, ['-e', `require(${JSON.stringify(modulePath)})`], {
			stdio: 'ignore',
		});
		return check.status !== 0;
	});
}

/** The n8n version installed for `version` and complete (its marker, for the recipe's Node), else undefined. */
function installedN8nVersion(version = DEFAULT_VERSION) {
	const dir = n8nDir(version);
	const marker = readJson(path.join(dir, MARKER));
	const pkg = readJson(path.join(dir, 'node_modules', 'n8n', 'package.json'));
	if (!marker || !pkg || !fs.existsSync(n8nBin(version))) return undefined;
	return marker.node === recipeFor(version).node ? pkg.version : undefined;
}

function writeMarker(version, seconds) {
	const marker = {
		version,
		node: recipeFor(version).node,
		seconds,
		installedAt: new Date().toISOString(),
	};
	fs.writeFileSync(path.join(n8nDir(version), MARKER), `${JSON.stringify(marker, null, 2)}\n`);
}

/**
 * An install directly in .local/n8n (one version for the whole checkout) is moved, not reinstalled,
 * into .local/n8n/<its version> when that version is asked for, under that version's lock.
 */
function adoptSingleInstall(version, log) {
	const pkg = readJson(path.join(N8N_CACHE_DIR, 'node_modules', 'n8n', 'package.json'));
	if (pkg?.version !== version) return;
	const dir = n8nDir(pkg.version);
	if (fs.existsSync(path.join(dir, 'node_modules'))) return;
	log(
		`moving the n8n ${pkg.version} install in ${path.relative(ROOT, N8N_CACHE_DIR)} to ${path.relative(ROOT, dir)}`,
	);
	fs.mkdirSync(dir, { recursive: true });
	for (const entry of ['node_modules', 'package.json', 'package-lock.json']) {
		const from = path.join(N8N_CACHE_DIR, entry);
		if (fs.existsSync(from)) fs.renameSync(from, path.join(dir, entry));
	}
	if (unloadableNativeModules(dir, nodeRuntime('system')).length === 0)
		writeMarker(pkg.version, null);
}

function install(version, log) {
	const recipe = recipeFor(version);
	const runtime = ensureNode(recipe.node, { log });
	const dir = n8nDir(version);
	log(
		`installing n8n ${version} on Node ${runtime.version} into ${path.relative(ROOT, dir)} (several minutes the first time)`,
	);
	fs.rmSync(path.join(dir, MARKER), { force: true });
	fs.mkdirSync(dir, { recursive: true });
	const manifest = {
		name: `local-n8n-${version}`,
		private: true,
		description: `n8n ${version} for running ${PACKAGE_NAME} locally (scripts/n8n/install.js)`,
		dependencies: { n8n: version },
		overrides: recipe.overrides,
	};
	fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
	const env = envFor(runtime, cleanNpmEnv());
	const started = Date.now();
	runNpm(
		[
			'install',
			'--no-audit',
			'--no-fund',
			'--loglevel=error',
			`--ignore-scripts=${recipe.ignoreScripts}`,
		],
		{ cwd: dir, env, what: `npm install of n8n ${version}` },
	);
	const unbuilt = unloadableNativeModules(dir, runtime);
	if (unbuilt.length > 0) {
		log(`building ${unbuilt.join(', ')} for Node ${runtime.version}`);
		runNpm(['rebuild', ...unbuilt, '--ignore-scripts=false', '--loglevel=error'], {
			cwd: dir,
			env,
			what: `npm rebuild ${unbuilt.join(' ')} for n8n ${version}`,
		});
	}
	const missing = unloadableNativeModules(dir, runtime);
	if (missing.length > 0)
		throw new Error(`n8n ${version}: Node ${runtime.version} cannot load ${missing.join(', ')}`);
	const seconds = Math.round((Date.now() - started) / 1000);
	writeMarker(version, seconds);
	const now = installedN8nVersion(version);
	if (now !== version)
		throw new Error(
			`after npm install, ${dir} has n8n ${now ?? '(nothing usable)'}, expected ${version}`,
		);
	log(`n8n ${version} installed in ${seconds} s`);
}

/**
 * Installs n8n `version` (default 2.8.4) and the Node it runs on, or reuses them. One install per
 * version at a time across processes. Returns the path of its n8n bin script (n8nInstall() has the rest).
 */
function ensureN8n({ version = DEFAULT_VERSION, log = logger('n8n-install') } = {}) {
	if (installedN8nVersion(version) !== version) {
		withLock(`n8n-${version}`, `installing n8n ${version}`, log, () => {
			adoptSingleInstall(version, log);
			if (installedN8nVersion(version) !== version) install(version, log);
		});
	}
	return n8nBin(version);
}

/** The install of `version` (whether or not it is there yet): paths and the Node that runs it. */
function n8nInstall(version = DEFAULT_VERSION) {
	const runtime = nodeRuntime(recipeFor(version).node);
	return {
		version,
		dir: n8nDir(version),
		bin: n8nBin(version),
		node: runtime.node,
		nodeVersion: runtime.version,
		env: (base) => envFor(runtime, base),
	};
}

module.exports = { n8nDir, n8nBin, installedN8nVersion, ensureN8n, n8nInstall };
