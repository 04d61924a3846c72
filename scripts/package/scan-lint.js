'use strict';

/**
 * ESLint as n8n's package scanner (`npx @n8n/scan-community-package`, `scanner/scanner.mjs`)
 * configures it, with the ESLint and plugins that @n8n/node-cli brings into this project:
 *   - @n8n/eslint-plugin-community-nodes `recommended` on every file, plus `no-console`;
 *   - eslint-plugin-n8n-nodes-base: `community` on package.json, `credentials` on
 *     `**\/credentials/**\/*.ts`, `nodes` on `**\/nodes/**\/*.ts`, with the same rules off;
 *   - the TypeScript parser for `.json` and `.ts`;
 *   - inline configuration ignored (`allowInlineConfig: false`): eslint-disable comments count for nothing.
 * The scanner lints the published tarball (`**\/*.js` and package.json) and the source its
 * provenance points at (package.json and `{nodes,credentials}/**\/*.{js,ts,json}`).
 * Scanner 0.32.0 pins community-nodes plugin 0.29.0; the 0.32.0 that node-cli brings has the same
 * `recommended` rules plus `no-unsafe-connection-type-cast`, so this is at least as strict.
 */
const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');
const { ESLint } = require('eslint');
const { listFiles } = require('./pack');

const nodeCliRequire = createRequire(require.resolve('@n8n/node-cli/eslint'));

/** Version of the package whose entry file is `entry`. */
function versionAt(entry) {
	for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
		const file = path.join(dir, 'package.json');
		if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')).version;
	}
	return 'unknown';
}

const TOOLS = {
	eslint: require.resolve('eslint'),
	'@n8n/eslint-plugin-community-nodes': require.resolve('@n8n/eslint-plugin-community-nodes'),
	'eslint-plugin-n8n-nodes-base': require.resolve('eslint-plugin-n8n-nodes-base'),
	'typescript-eslint': nodeCliRequire.resolve('typescript-eslint'),
};

async function scanConfig() {
	// The community-nodes plugin is an ES module.
	const { n8nCommunityNodesPlugin } = await import(
		pathToFileURL(TOOLS['@n8n/eslint-plugin-community-nodes']).href
	);
	const nodesBase = require(TOOLS['eslint-plugin-n8n-nodes-base']);
	const { parser } = nodeCliRequire(TOOLS['typescript-eslint']);
	const off = (...names) =>
		Object.fromEntries(names.map((name) => [`n8n-nodes-base/${name}`, 'off']));
	return [
		n8nCommunityNodesPlugin.configs.recommended,
		{ rules: { 'no-console': 'error' } },
		{ plugins: { 'n8n-nodes-base': nodesBase } },
		{ files: ['package.json'], rules: { ...nodesBase.configs.community.rules } },
		{
			files: ['**/credentials/**/*.ts'],
			rules: {
				...nodesBase.configs.credentials.rules,
				...off(
					'cred-class-field-documentation-url-miscased',
					'cred-class-field-type-options-password-missing',
				),
			},
		},
		{
			files: ['**/nodes/**/*.ts'],
			rules: {
				...nodesBase.configs.nodes.rules,
				...off(
					'node-class-description-inputs-wrong-regular-node',
					'node-class-description-outputs-wrong',
					'node-param-type-options-max-value-present',
				),
			},
		},
		{ files: ['**/*.json'], languageOptions: { parser } },
		{ files: ['**/*.ts'], languageOptions: { parser } },
	];
}

/** Absolute paths of the files under `dir` (if it exists) that `keep` accepts. */
const filesUnder = (dir, keep) =>
	fs.existsSync(dir)
		? listFiles(dir)
				.filter((file) => keep(file) && !file.split('/').includes('node_modules'))
				.map((file) => path.join(dir, file))
		: [];

/** The tarball leg: every `.js` and the package.json of an unpacked package. */
const tarballFiles = (dir) => [
	...filesUnder(dir, (file) => file.endsWith('.js')),
	path.join(dir, 'package.json'),
];

/** The source leg: package.json and the node and credential sources of a checkout. */
const sourceFiles = (root) => [
	path.join(root, 'package.json'),
	...['nodes', 'credentials'].flatMap((sub) =>
		filesUnder(path.join(root, sub), (file) => /\.(js|ts|json)$/.test(file)),
	),
];

/**
 * Lints `files` under `cwd` with the scanner's configuration.
 * Returns { files, errors, warnings, report } where report is ESLint's stylish text ('' when clean).
 */
async function scanLint(cwd, files) {
	const eslint = new ESLint({
		cwd,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await scanConfig(),
	});
	const results = await eslint.lintFiles(files);
	const count = (key) => results.reduce((sum, result) => sum + result[key], 0);
	const messages = count('errorCount') + count('warningCount');
	const report = messages ? await (await eslint.loadFormatter('stylish')).format(results) : '';
	return {
		files: results.length,
		errors: count('errorCount'),
		warnings: count('warningCount'),
		report,
	};
}

/** "eslint 9.29.0, …": the versions this run lints with. */
const toolVersions = () =>
	Object.entries(TOOLS)
		.map(([name, entry]) => `${name} ${versionAt(entry)}`)
		.join(', ');

module.exports = { scanLint, scanConfig, tarballFiles, sourceFiles, toolVersions };
