'use strict';

/**
 * The n8n versions this package is tested on, and how each one is installed.
 *
 *   2.8.4     the newest n8n whose engines allow Node 20: runs on the Node that runs the tooling
 *   2.41.1    the newest 2.x installable from the registry this project installs from, on Node 24
 *   1.123.81  the newest 1.x, on Node 24: its expression sandbox (isolated-vm 6) does not build for Node 20
 */

const DEFAULT_VERSION = '2.8.4';
const NODE_24 = '24.21.0';

/** Versions that CI tests: the default first, then the others that run the smoke list (scripts/test.js). */
const MATRIX = Object.freeze(['2.8.4', '2.41.1', '1.123.81']);

/** Native modules of n8n that must load in the Node that runs it, when they are in the tree. */
const NATIVE_MODULES = Object.freeze(['sqlite3', 'isolated-vm']);

function parseVersion(version) {
	const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(String(version));
	if (!match) throw new Error(`"${version}" is not an n8n version such as ${DEFAULT_VERSION}`);
	return match.slice(1).map(Number);
}

/**
 * How to install one n8n version.
 * - node: 'system' (the Node running this tooling) or a Node version fetched from the npm registry.
 * - ignoreScripts: install without dependency scripts (some download from outside the registry,
 *   e.g. the Kafka client in 2.1x+), then build only NATIVE_MODULES with `npm rebuild`.
 * - overrides: n8n-nodes-base of 1.x and 2.8.x takes xlsx from a tarball URL outside the npm registry;
 *   the registry's xlsx 0.18.5 stands in (only the Spreadsheet nodes use it; 2.41 uses @e965/xlsx instead).
 */
function recipeFor(version) {
	const [major, minor] = parseVersion(version);
	const onNode20 = major === 2 && minor <= 8;
	return {
		version,
		node: onNode20 ? 'system' : NODE_24,
		ignoreScripts: !onNode20,
		overrides: { xlsx: '0.18.5' },
	};
}

/** The version a run uses: UPVEST_N8N_VERSION when set, else the default. */
function selectedVersion(env = process.env) {
	const wanted = env.UPVEST_N8N_VERSION;
	if (wanted === undefined || wanted === '') return DEFAULT_VERSION;
	parseVersion(wanted);
	return wanted;
}

module.exports = {
	DEFAULT_VERSION,
	NODE_24,
	MATRIX,
	NATIVE_MODULES,
	parseVersion,
	recipeFor,
	selectedVersion,
};
