'use strict';

/**
 * Reading what an n8n user folder holds, byte for byte: every regular file under a folder
 * (symbolic links, such as the linked package, are not followed), as latin1 text so that no byte
 * is lost or merged when the tests search it.
 */

const fs = require('node:fs');
const path = require('node:path');

/** Absolute paths of every regular file under `dir` (none when it does not exist). */
function filesUnder(dir) {
	if (!fs.existsSync(dir)) return [];
	const files = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isSymbolicLink()) continue;
		if (entry.isDirectory()) files.push(...filesUnder(full));
		else if (entry.isFile()) files.push(full);
	}
	return files;
}

/**
 * Every file under `dir` with its path relative to `dir`, its size and its bytes as latin1 text.
 * @returns {Array<{ path: string, size: number, text: string }>}
 */
function readFilesUnder(dir) {
	return filesUnder(dir).map((file) => {
		const bytes = fs.readFileSync(file);
		return { path: path.relative(dir, file), size: bytes.length, text: bytes.toString('latin1') };
	});
}

module.exports = { filesUnder, readFilesUnder };
