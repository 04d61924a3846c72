'use strict';

/**
 * What the tarball may contain: only what n8n loads (compiled nodes and credentials, codex files,
 * icons), the package's `main`, and package.json, README, LICENSE and CHANGELOG. Anything else is
 * refused, with a reason for the usual mistakes (build info, source maps, declarations, tests,
 * environment files, keys, docs).
 *
 * checkContents(packed, pkg) returns [{ ok, what, detail? }].
 */
const fs = require('node:fs');
const path = require('node:path');
const { check } = require('./result');

const TOP_LEVEL = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'];

const ALLOWED = [
	/^dist\/(nodes|credentials)\/.+\.js$/,
	/^dist\/nodes\/.+\.node\.json$/,
	/^dist\/.+\.(svg|png)$/,
];

const FORBIDDEN = [
	[/\.tsbuildinfo$/, 'TypeScript build info'],
	[/\.map$/, 'source map'],
	[/\.d\.[cm]?ts$/, 'type declarations'],
	[/\.[cm]?ts$/, 'TypeScript source'],
	[/(^|\/)(test|tests|__tests__|__mocks__|e2e)\//, 'test'],
	[/\.(test|spec)\.[cm]?[jt]s$/, 'test'],
	[/(^|\/)\.env(\.|$)/, 'environment file'],
	[/(^|\/)\.npmrc$/, 'npm configuration'],
	[/\.(pem|key|p8|p12|pfx|crt|cer|der|jks|keystore|gpg|asc)$/i, 'key or certificate'],
	[/(^|\/)id_(rsa|dsa|ecdsa|ed25519)/, 'SSH key'],
	[/(^|\/)(docs?|examples?|screenshots?)\//, 'documentation'],
	[/(^|\/)node_modules\//, 'node_modules'],
	[/\.(tgz|zip|log)$/i, 'archive or log'],
];

/** Why `file` may not ship, or undefined when it may. */
function refusal(file, main) {
	const forbidden = FORBIDDEN.find(([pattern]) => pattern.test(file));
	if (forbidden) return forbidden[1];
	if (TOP_LEVEL.includes(file) || file === main) return undefined;
	if (ALLOWED.some((pattern) => pattern.test(file))) return undefined;
	return 'not something n8n loads';
}

function checkContents(packed, pkg) {
	const main = path.posix.normalize(pkg.main ?? 'index.js');
	const refused = packed.files
		.map((file) => [file, refusal(file, main)])
		.filter(([, reason]) => reason);
	const required = [...TOP_LEVEL, main].filter((file) => !packed.files.includes(file));
	const license = packed.files.includes('LICENSE')
		? fs.readFileSync(path.join(packed.dir, 'LICENSE'), 'utf8')
		: '';
	return [
		check(
			refused.length === 0,
			`${packed.files.length} files, each one n8n loads or npm documents`,
			refused.map(([file, reason]) => `${file} (${reason})`).join(', '),
		),
		check(
			required.length === 0,
			`${[...TOP_LEVEL, main].join(', ')} are in the tarball`,
			`missing ${required.join(', ')}`,
		),
		check(
			/^MIT License\b/.test(license) && license.includes('Permission is hereby granted'),
			'LICENSE is the MIT license',
			'LICENSE does not hold the MIT license text',
		),
	];
}

module.exports = { checkContents, refusal };
