'use strict';

/** Builds the package (npm run build) when dist/ is missing or older than its sources. */

const fs = require('node:fs');
const path = require('node:path');

const { ROOT, logger } = require('./project');
const { runNpm } = require('./processes');

const BUILD_OUTPUTS = [
	'dist/nodes/Upvest/Upvest.node.js',
	'dist/credentials/UpvestApi.credentials.js',
];
const BUILD_INPUTS = [
	'nodes',
	'credentials',
	'icons',
	'package.json',
	'tsconfig.json',
	'gulpfile.js',
];

function newestMtime(entry) {
	let stat;
	try {
		stat = fs.statSync(entry);
	} catch {
		return 0;
	}
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const child of fs.readdirSync(entry))
		newest = Math.max(newest, newestMtime(path.join(entry, child)));
	return newest;
}

/** True when dist/ lacks the node or credential, or a source is newer than the oldest output. */
function needsBuild() {
	let oldestOutput = Infinity;
	for (const output of BUILD_OUTPUTS) {
		try {
			oldestOutput = Math.min(oldestOutput, fs.statSync(path.join(ROOT, output)).mtimeMs);
		} catch {
			return true;
		}
	}
	const newestInput = Math.max(...BUILD_INPUTS.map((entry) => newestMtime(path.join(ROOT, entry))));
	return newestInput > oldestOutput;
}

/** Runs `npm run build` when needed (or when `force`). Returns true when it built. */
function ensureBuilt({ log = logger('build'), force = false } = {}) {
	if (!force && !needsBuild()) return false;
	log('building the package (npm run build)');
	runNpm(['run', 'build', '--silent'], { cwd: ROOT, what: 'npm run build' });
	return true;
}

/** Throws unless `packageDir` holds a built package (the files n8n loads). */
function assertBuilt(packageDir) {
	for (const output of BUILD_OUTPUTS) {
		const file = path.join(packageDir, output);
		if (!fs.existsSync(file)) throw new Error(`${file} is missing: build the package first`);
	}
}

module.exports = { BUILD_OUTPUTS, needsBuild, ensureBuilt, assertBuilt };
