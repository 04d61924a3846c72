#!/usr/bin/env node
'use strict';

/**
 * `npm run check:package` (after `npm run build`): packs the package as `npm publish` would and
 * checks the tarball for n8n's verified listing:
 *   1. package.json: what verification needs (scripts/package/manifest.js)
 *   2. contents: only what n8n loads, nothing forbidden (scripts/package/contents.js)
 *   3. every registered node and credential loads from the tarball as n8n loads it, with its codex
 *      and icons (scripts/package/registered.js)
 *   4. no Node.js API newer than engines.node allows (scripts/package/node-compat.js)
 *   5. ESLint configured as n8n's package scanner, on the tarball and on the source
 *      (scripts/package/scan-lint.js)
 * Exits 1 when any check fails. The temporary folder is removed in every case.
 *
 *   node scripts/check-package.js [--root <package folder>]   (default: this repository)
 */
const fs = require('node:fs');
const path = require('node:path');
const { packPackage } = require('./package/pack');
const { check } = require('./package/result');
const { checkManifest } = require('./package/manifest');
const { checkContents } = require('./package/contents');
const { checkRegistered } = require('./package/registered');
const { checkNodeCompat } = require('./package/node-compat');
const { scanLint, tarballFiles, sourceFiles, toolVersions } = require('./package/scan-lint');

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

function rootFromArgs(argv) {
	const at = argv.indexOf('--root');
	return path.resolve(at >= 0 ? argv[at + 1] : path.join(__dirname, '..'));
}

function printSection(title, results) {
	console.log(`\n${title}`);
	for (const result of results) {
		console.log(result.ok ? `  ok    ${result.what}` : `  FAIL  ${result.what}: ${result.detail}`);
	}
	return results;
}

function printTarball(packed) {
	console.log(
		`\ntarball ${path.basename(packed.tarball)}: ${packed.files.length} files, ${kB(packed.size)} packed, ${kB(packed.unpackedSize)} unpacked`,
	);
	for (const file of packed.files) {
		const size = fs.statSync(path.join(packed.dir, file)).size;
		console.log(`  ${String(size).padStart(7)}  ${file}`);
	}
}

async function lintLegs(root, packed) {
	console.log(`\nESLint configured as n8n's package scanner (${toolVersions()})`);
	const legs = [
		['tarball (**/*.js, package.json)', packed.dir, tarballFiles(packed.dir)],
		['source (package.json, nodes/, credentials/)', root, sourceFiles(root)],
	];
	const results = [];
	for (const [name, cwd, files] of legs) {
		const lint = await scanLint(cwd, files);
		const what = `${name}: ${lint.files} files linted, ${lint.errors} errors, ${lint.warnings} warnings`;
		results.push(check(lint.errors === 0, what, 'see above'));
		if (lint.report) console.log(lint.report.trimEnd());
	}
	return printSection('ESLint result', results);
}

async function main() {
	const root = rootFromArgs(process.argv.slice(2));
	const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	console.log(`check:package ${pkg.name}@${pkg.version} (${root})`);
	if (!fs.existsSync(path.join(root, 'dist'))) {
		console.error('No dist/ folder: run `npm run build` first.');
		return 1;
	}
	const packed = packPackage(root);
	const cleanUp = () => packed.remove();
	process.once('SIGINT', () => {
		cleanUp();
		process.exit(130);
	});
	try {
		printTarball(packed);
		const shipped = JSON.parse(fs.readFileSync(path.join(packed.dir, 'package.json'), 'utf8'));
		const results = [
			...printSection('package.json', checkManifest(shipped)),
			...printSection('tarball contents', checkContents(packed, shipped)),
			...printSection('registered nodes and credentials', checkRegistered(packed, shipped)),
			...printSection('Node.js versions', checkNodeCompat(packed, shipped)),
			...(await lintLegs(root, packed)),
		];
		const failed = results.filter((result) => !result.ok).length;
		console.log(`\n${results.length} checks, ${failed} failed`);
		return failed === 0 ? 0 : 1;
	} finally {
		cleanUp();
	}
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(`check:package could not run: ${error.stack ?? error}`);
		process.exit(1);
	},
);
