'use strict';

/**
 * Node binaries for n8n versions that need another Node than the one running this tooling.
 * They come from the npm registry as `node-<platform>-<arch>` (the binary and its headers, no npm);
 * the system npm runs on them when their bin folder is first on PATH.
 */

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const { NODE_CACHE_DIR, ROOT } = require('./project');
const { withLock } = require('./lock');
const { runNpm } = require('./processes');

const packageName = () => `node-${process.platform}-${process.arch}`;

/**
 * The Node to run an n8n with: { version, node, binDir, nodedir } (nodedir: headers for node-gyp,
 * undefined for the system Node, whose npm config already knows them).
 */
function nodeRuntime(version) {
	if (version === 'system') {
		return {
			version: process.versions.node,
			node: process.execPath,
			binDir: path.dirname(process.execPath),
			nodedir: undefined,
		};
	}
	const nodedir = path.join(NODE_CACHE_DIR, version, 'node_modules', packageName());
	return {
		version,
		node: path.join(nodedir, 'bin', 'node'),
		binDir: path.join(nodedir, 'bin'),
		nodedir,
	};
}

function reportedVersion(nodeBin) {
	const result = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' });
	return result.status === 0 ? result.stdout.trim().replace(/^v/, '') : undefined;
}

/** Installs Node `version` into .local/node/<version> once (about 10 s, 190 MB). Returns nodeRuntime(version). */
function ensureNode(version, { log }) {
	const runtime = nodeRuntime(version);
	if (version === 'system' || reportedVersion(runtime.node) === version) return runtime;
	const dir = path.join(NODE_CACHE_DIR, version);
	return withLock(`node-${version}`, `installing Node ${version}`, log, () => {
		if (reportedVersion(runtime.node) === version) return runtime;
		log(
			`installing Node ${version} (${packageName()} from the npm registry) into ${path.relative(ROOT, dir)}`,
		);
		fs.mkdirSync(dir, { recursive: true });
		const manifest = {
			name: `local-node-${version}`,
			private: true,
			dependencies: { [packageName()]: version },
		};
		fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
		runNpm(['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
			cwd: dir,
			what: `npm install of ${packageName()}@${version}`,
		});
		const got = reportedVersion(runtime.node);
		if (got !== version)
			throw new Error(`${runtime.node} reports ${got ?? 'nothing'}, expected ${version}`);
		return runtime;
	});
}

/** Environment for processes that must run on `runtime`: its bin first on PATH, its headers for node-gyp. */
function envFor(runtime, base) {
	const env = { ...base, PATH: `${runtime.binDir}${path.delimiter}${base.PATH ?? ''}` };
	if (runtime.nodedir) env.npm_config_nodedir = runtime.nodedir;
	return env;
}

module.exports = { nodeRuntime, ensureNode, envFor };
