'use strict';

/**
 * Files that test and benchmark runs leave behind for people to read (figures, screenshots, logs),
 * all under test-artifacts/ (git-ignored).
 */

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const ARTIFACTS_DIR = path.join(ROOT, 'test-artifacts');
const DOCS_DIR = path.join(ROOT, 'docs');

/** Absolute path of `test-artifacts/<parts...>`; its folder exists afterwards. */
function artifactPath(...parts) {
	const file = path.join(ARTIFACTS_DIR, ...parts);
	fs.mkdirSync(path.dirname(file), { recursive: true });
	return file;
}

/** Writes text as is, anything else as indented JSON. Returns the file's path. */
function writeArtifact(relativePath, content) {
	const file = artifactPath(relativePath);
	fs.writeFileSync(
		file,
		typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`,
	);
	return file;
}

/** Empties `test-artifacts/<subdir>` (creating it), so a run shows only its own files. */
function cleanArtifacts(subdir) {
	const dir = path.join(ARTIFACTS_DIR, subdir);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}

/**
 * Copies a file a run made (a screenshot) to docs/<name> when that is missing or when `replace`.
 * Returns true when it copied.
 */
function publishToDocs(file, name, { replace = false } = {}) {
	const target = path.join(DOCS_DIR, name);
	if (!replace && fs.existsSync(target)) return false;
	fs.mkdirSync(path.dirname(target), { recursive: true });
	fs.copyFileSync(file, target);
	return true;
}

module.exports = {
	ROOT,
	ARTIFACTS_DIR,
	artifactPath,
	writeArtifact,
	cleanArtifacts,
	publishToDocs,
};
