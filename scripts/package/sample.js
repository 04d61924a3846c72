'use strict';

/**
 * A small community package on disk (built files only: one action node, one trigger node, one
 * credential) for the tests of `npm run check:package`, and a way to run the checker on it.
 *
 *   const sample = writeSamplePackage({ files: { 'dist/x.js.map': '{}' }, packageJson: { files: ['dist'] } });
 *   const { status, output } = await runCheckPackage(sample.dir);
 *   sample.remove();
 *
 * `files` adds or replaces files (null deletes one); `packageJson` sets top-level fields (null deletes).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const REPO = 'https://github.com/sample-owner/n8n-nodes-sample';
const ICON = { light: 'file:../../icons/sample.svg', dark: 'file:../../icons/sample.dark.svg' };

const svg = (fill) =>
	`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 60 60"><rect width="60" height="60" fill="${fill}"/></svg>\n`;

/** A compiled-looking CommonJS module that exports `className` with the given constructor body. */
const compiledClass = (className, body) =>
	[
		'"use strict";',
		'Object.defineProperty(exports, "__esModule", { value: true });',
		`exports.${className} = void 0;`,
		'const n8n_workflow_1 = require("n8n-workflow");',
		`class ${className} {`,
		`\tconstructor() {\n${body}\n\t}`,
		'}',
		`exports.${className} = ${className};`,
		'',
	].join('\n');

const nodeClass = (className, name, extra) =>
	compiledClass(
		className,
		`\t\tthis.description = ${JSON.stringify({
			displayName: className,
			name,
			icon: ICON,
			version: 1,
			subtitle: 'Sample',
			description: 'A sample node',
			defaults: { name: className },
			credentials: [{ name: 'sampleApi', required: true }],
			properties: [],
			...extra,
		})};\n\t\tthis.description.outputs = [n8n_workflow_1.NodeConnectionTypes.Main];`,
	);

const codex = (name) =>
	JSON.stringify({
		node: `n8n-nodes-sample.${name}`,
		nodeVersion: '1.0',
		codexVersion: '1.0',
		categories: ['Development'],
		resources: { primaryDocumentation: [{ url: `${REPO}#readme` }] },
	});

function baseFiles() {
	const license = fs
		.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')
		.replace(/^Copyright .*$/m, 'Copyright (c) 2026 Sample maintainers');
	return {
		'README.md': '# n8n-nodes-sample\n',
		'CHANGELOG.md': '# Changelog\n',
		LICENSE: license,
		'index.js': 'module.exports = {};\n',
		'dist/icons/sample.svg': svg('#123456'),
		'dist/icons/sample.dark.svg': svg('#abcdef'),
		'dist/nodes/Sample/Sample.node.js': nodeClass('Sample', 'sample', {
			group: ['transform'],
			usableAsTool: true,
		}),
		'dist/nodes/Sample/Sample.node.json': codex('sample'),
		'dist/nodes/Sample/SampleTrigger.node.js': nodeClass('SampleTrigger', 'sampleTrigger', {
			group: ['trigger'],
		}),
		'dist/nodes/Sample/SampleTrigger.node.json': codex('sampleTrigger'),
		// crypto.hash is Node 20.12+; behind a typeof test it still runs on Node 18.
		'dist/nodes/Sample/digest.js': [
			'"use strict";',
			'const node_crypto_1 = require("node:crypto");',
			'exports.sha256 = typeof node_crypto_1.hash === "function"',
			'\t? (data) => (0, node_crypto_1.hash)("sha256", data, "hex")',
			'\t: (data) => (0, node_crypto_1.createHash)("sha256").update(data).digest("hex");',
			'',
		].join('\n'),
		'dist/credentials/SampleApi.credentials.js': compiledClass(
			'SampleApi',
			[
				"\t\tthis.name = 'sampleApi';",
				"\t\tthis.displayName = 'Sample API';",
				"\t\tthis.icon = { light: 'file:../icons/sample.svg', dark: 'file:../icons/sample.dark.svg' };",
				`\t\tthis.documentationUrl = '${REPO}#credentials';`,
				"\t\tthis.properties = [{ displayName: 'Region', name: 'region', type: 'string', default: 'eu' }];",
				"\t\tthis.test = { request: { baseURL: 'https://api.example.com', url: '/me' } };",
			].join('\n'),
		),
	};
}

const basePackageJson = () => ({
	name: 'n8n-nodes-sample',
	version: '0.1.0',
	description: 'A sample n8n community node package',
	keywords: ['n8n-community-node-package'],
	license: 'MIT',
	homepage: `${REPO}#readme`,
	bugs: { url: `${REPO}/issues` },
	author: { name: 'Sample maintainers', email: 'maintainers@example.com' },
	repository: { type: 'git', url: `git+${REPO}.git` },
	engines: { node: '>=18.17' },
	main: 'index.js',
	files: ['index.js', 'dist/**/*.js', 'dist/**/*.node.json', 'dist/icons', 'CHANGELOG.md'],
	n8n: {
		n8nNodesApiVersion: 1,
		credentials: ['dist/credentials/SampleApi.credentials.js'],
		nodes: ['dist/nodes/Sample/Sample.node.js', 'dist/nodes/Sample/SampleTrigger.node.js'],
	},
	peerDependencies: { 'n8n-workflow': '*' },
});

function writeSamplePackage({ files = {}, packageJson = {} } = {}) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sample-package-'));
	const pkg = basePackageJson();
	for (const [field, value] of Object.entries(packageJson)) {
		if (value === null) delete pkg[field];
		else pkg[field] = value;
	}
	const all = { ...baseFiles(), ...files, 'package.json': JSON.stringify(pkg, null, '\t') };
	for (const [file, content] of Object.entries(all)) {
		if (content === null) continue;
		fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
		fs.writeFileSync(path.join(dir, file), content);
	}
	return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `scripts/check-package.js --root <dir>`; resolves to { status, output } (stdout + stderr). */
function runCheckPackage(dir) {
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			[path.join(ROOT, 'scripts', 'check-package.js'), '--root', dir],
			{ cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
		);
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('error', reject);
		child.on('close', (status) => resolve({ status, output }));
	});
}

module.exports = { writeSamplePackage, runCheckPackage };
