'use strict';

/** A lock per install (one n8n version, one Node binary), shared by every process of this checkout. */

const fs = require('node:fs');
const path = require('node:path');

const { LOCKS_DIR, ROOT } = require('./project');
const { isAlive, sleepSync } = require('./processes');

/**
 * Runs `fn` while holding the lock `name`: a folder holding the owner's pid. A lock whose owner has
 * died (a killed install) is taken over. Waits, polling every few seconds, while another process holds it.
 */
function withLock(name, what, log, fn) {
	const lock = path.join(LOCKS_DIR, `${name}.lock`);
	fs.mkdirSync(LOCKS_DIR, { recursive: true });
	let told = false;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
		}
		let owner;
		try {
			owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
		} catch {
			owner = undefined; // being created or removed right now
		}
		if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) {
			fs.rmSync(lock, { recursive: true, force: true });
			continue;
		}
		if (!told) {
			log(
				`waiting for another process (pid ${owner || '?'}) that is ${what} (${path.relative(ROOT, lock)})`,
			);
			told = true;
		}
		sleepSync(3000);
	}
	try {
		return fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

module.exports = { withLock };
