'use strict';

/**
 * Figures a test suite measured, in one JSON file under test-artifacts/: one section per test,
 * replaced whenever that test runs again, so the file holds the latest figure of every test
 * whatever order or subset ran.
 */

const fs = require('node:fs');

const { artifactPath } = require('./artifacts');

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return {};
	}
}

/**
 * Writes `data` as section `section` of test-artifacts/<file> (with the time it was measured and
 * `common`, e.g. the n8n version), keeps the other sections, and prints the section to stderr.
 * Returns the file's path.
 */
function recordFigures(file, section, data, common = {}) {
	const target = artifactPath(file);
	const figures = readJson(target);
	figures[section] = { measuredAt: new Date().toISOString(), ...common, ...data };
	const sorted = Object.fromEntries(
		Object.keys(figures)
			.sort()
			.map((key) => [key, figures[key]]),
	);
	fs.writeFileSync(target, `${JSON.stringify(sorted, null, 2)}\n`);
	process.stderr.write(`[figures] ${file} ${section}: ${JSON.stringify(data)}\n`);
	return target;
}

module.exports = { recordFigures };
