'use strict';

/** Where this project keeps its local n8n installs, Node binaries and n8n user folders, and the package's names. */

const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

/** Git-ignored cache; UPVEST_LOCAL_DIR moves it (for example to a folder kept between CI runs). */
const LOCAL_DIR = path.resolve(process.env.UPVEST_LOCAL_DIR || path.join(ROOT, '.local'));
const N8N_CACHE_DIR = path.join(LOCAL_DIR, 'n8n');
const NODE_CACHE_DIR = path.join(LOCAL_DIR, 'node');
/**
 * n8n user folders. n8n copies its editor's scripts into a user folder's .cache/, and linters lint
 * every script outside node_modules: so they live under node_modules/.cache unless moved with
 * UPVEST_LOCAL_DIR.
 */
const INSTANCES_DIR = process.env.UPVEST_LOCAL_DIR
	? path.join(LOCAL_DIR, 'instances')
	: path.join(ROOT, 'node_modules', '.cache', 'n8n-nodes-upvest', 'instances');
const LOCKS_DIR = path.join(LOCAL_DIR, 'locks');

const PACKAGE_NAME = 'n8n-nodes-upvest';
/** Type names as n8n sees them when the package is loaded as a community package. */
const NODE_TYPE = `${PACKAGE_NAME}.upvest`;
const CREDENTIAL_TYPE = 'upvestApi';

/** Writes `[tag] message` to stderr: progress of long steps (installs, builds, servers). */
function logger(tag) {
	return (message) => process.stderr.write(`[${tag}] ${message}\n`);
}

module.exports = {
	ROOT,
	LOCAL_DIR,
	N8N_CACHE_DIR,
	NODE_CACHE_DIR,
	INSTANCES_DIR,
	LOCKS_DIR,
	PACKAGE_NAME,
	NODE_TYPE,
	CREDENTIAL_TYPE,
	logger,
};
