'use strict';

/**
 * A private copy of the built package for one test: n8n loads the package at the start of every
 * `n8n execute`, and a rebuild of dist/ in this checkout (rimraf, then tsc) at that moment would
 * otherwise make the run fail for a reason that has nothing to do with the test.
 */

const fs = require('node:fs');
const path = require('node:path');

const { filesUnder } = require('./instance-files');
const { ensureBuilt } = require('./n8n/build');
const { INSTANCES_DIR, ROOT, logger } = require('./n8n/project');

const ENTRIES = ['package.json', 'index.js', 'dist'];
const SOURCE_DIRS = ['nodes', 'credentials'];

/** dist/ paths that every TypeScript source compiles to. */
function compiledFiles() {
	return SOURCE_DIRS.flatMap((dir) =>
		filesUnder(path.join(ROOT, dir))
			.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
			.map((file) => path.join('dist', path.relative(ROOT, file).replace(/\.ts$/, '.js'))),
	);
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Copies package.json, index.js and dist/ into a new folder <name>-XXXXXX next to the n8n user
 * folders (INSTANCES_DIR of scripts/n8n/project.js). A copy taken while dist/ is being rebuilt
 * lacks files: it is taken again (after a build when needed). Resolves { dir, remove() }.
 */
async function snapshotPackage({ name = 'package', log = logger('package'), attempts = 10 } = {}) {
	fs.mkdirSync(INSTANCES_DIR, { recursive: true });
	const dir = fs.mkdtempSync(path.join(INSTANCES_DIR, `${name}-`));
	const expected = compiledFiles();
	for (let attempt = 1; ; attempt++) {
		for (const entry of ENTRIES) {
			fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
			fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
		}
		const missing = expected.filter((file) => !fs.existsSync(path.join(dir, file)));
		if (missing.length === 0) break;
		if (attempt === attempts) {
			fs.rmSync(dir, { recursive: true, force: true });
			throw new Error(`dist/ stays incomplete (${missing.join(', ')} missing): run npm run build`);
		}
		log(`dist/ is being rebuilt (${missing[0]} missing); copying again in 5 s`);
		await pause(5000);
		ensureBuilt({ log });
	}
	return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

module.exports = { snapshotPackage };
