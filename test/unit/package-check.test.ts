/**
 * `npm run check:package` (scripts/check-package.js) refuses a tarball n8n's verification would
 * refuse. The rules run in process; the whole checker runs on a sample package written to disk
 * (scripts/package/sample.js): once intact, once broken in several ways at the same time.
 */
import { refusal } from '../../scripts/package/contents';
import { checkManifest } from '../../scripts/package/manifest';
import { minimumNode } from '../../scripts/package/node-compat';
import { runCheckPackage, writeSamplePackage } from '../../scripts/package/sample';

const MAIN = 'index.js';

describe('tarball contents', () => {
	it.each([
		'dist/nodes/Upvest/Upvest.node.js',
		'dist/nodes/Upvest/UpvestTrigger.node.js',
		'dist/nodes/Upvest/UpvestTrigger.node.json',
		'dist/nodes/Upvest/transport/request.js',
		'dist/credentials/UpvestApi.credentials.js',
		'dist/icons/upvest.svg',
		'README.md',
		'LICENSE',
		'CHANGELOG.md',
		'package.json',
		MAIN,
	])('ships %s', (file) => {
		expect(refusal(file, MAIN)).toBeUndefined();
	});

	it.each([
		['dist/tsconfig.tsbuildinfo', 'TypeScript build info'],
		['dist/nodes/Upvest/Upvest.node.js.map', 'source map'],
		['dist/nodes/Upvest/Upvest.node.d.ts', 'type declarations'],
		['nodes/Upvest/Upvest.node.ts', 'TypeScript source'],
		['test/unit/signature.test.js', 'test'],
		['dist/nodes/Upvest/Upvest.node.test.js', 'test'],
		['.env', 'environment file'],
		['.env.local', 'environment file'],
		['.npmrc', 'npm configuration'],
		['simulator/keys/client.pem', 'key or certificate'],
		['docs/editor-upvest-node.png', 'documentation'],
		['dist/tsconfig.json', 'not something n8n loads'],
		['scripts/check-package.js', 'not something n8n loads'],
	])('refuses %s (%s)', (file, reason) => {
		expect(refusal(file, MAIN)).toBe(reason);
	});
});

describe('package.json', () => {
	const valid = {
		name: 'n8n-nodes-upvest',
		version: '0.1.0',
		description: 'Upvest',
		keywords: ['n8n-community-node-package'],
		license: 'MIT',
		homepage: 'https://github.com/owner/n8n-nodes-upvest#readme',
		bugs: { url: 'https://github.com/owner/n8n-nodes-upvest/issues' },
		author: { name: 'Maintainers', email: 'maintainers@example.com' },
		repository: { type: 'git', url: 'git+https://github.com/owner/n8n-nodes-upvest.git' },
		engines: { node: '>=18.17' },
		files: ['dist/nodes/**/*.js'],
		n8n: { n8nNodesApiVersion: 1, nodes: ['dist/nodes/Upvest/Upvest.node.js'], credentials: [] },
		peerDependencies: { 'n8n-workflow': '*' },
	};
	const failures = (pkg: object) =>
		checkManifest(pkg)
			.filter((result: { ok: boolean }) => !result.ok)
			.map((result: { what: string }) => result.what);

	it('passes a package that meets the verification rules', () => {
		expect(failures(valid)).toEqual([]);
	});

	it.each([
		[{ name: 'upvest-n8n' }, 'name is n8n-nodes-… or @scope/n8n-nodes-…'],
		[{ keywords: ['n8n'] }, 'keywords include n8n-community-node-package'],
		[{ license: 'ISC' }, 'license is MIT'],
		[{ author: { name: 'Maintainers' } }, 'author has an email'],
		[{ dependencies: { lodash: '^4.17.21' } }, 'no runtime dependencies'],
		[
			{ peerDependencies: { 'n8n-workflow': '^2' } },
			'peerDependencies is exactly { "n8n-workflow": "*" }',
		],
		[{ scripts: { postinstall: 'node setup.js' } }, 'no install-time lifecycle scripts'],
		[{ scripts: { prepare: 'npm run build' } }, 'no install-time lifecycle scripts'],
		[{ overrides: { axios: '1.12.0' } }, 'no overrides'],
		[
			{ repository: { url: 'https://gitlab.com/owner/n8n-nodes-upvest.git' } },
			'repository.url is git+https://github.com/<owner>/<repo>.git',
		],
		[{ homepage: 'https://github.com/other/n8n-nodes-upvest' }, 'homepage is the repository page'],
		[
			{ n8n: { n8nNodesApiVersion: 1, nodes: ['./dist/x.node.js'] } },
			'every n8n entry is a dist/…js path',
		],
	])('refuses %j', (change, what) => {
		expect(failures({ ...valid, ...change })).toContain(what);
	});
});

describe('engines.node', () => {
	it.each([
		['>=18.17', [18, 17]],
		['>=18.17.0 <25', [18, 17]],
		['^20.15.0 || >=22', [20, 15]],
		['>=22', [22, 0]],
	])('%s admits Node %j and later', (range, minimum) => {
		expect(minimumNode(range)).toEqual(minimum);
	});
});

describe('npm run check:package on a broken sample package', () => {
	let run: { status: number; output: string };

	beforeAll(async () => {
		const sample = writeSamplePackage({
			files: {
				// A source map, shipped because `files` takes all of dist/.
				'dist/nodes/Sample/Sample.node.js.map': '{"version":3,"mappings":""}',
				// A registered trigger node without its codex.
				'dist/nodes/Sample/SampleTrigger.node.json': null,
				// console.log behind a disable comment the scanner ignores, and crypto.hash (Node 20.12+)
				// without a fallback while engines.node admits Node 18.
				'dist/nodes/Sample/debug.js': [
					'"use strict";',
					'// eslint-disable-next-line no-console',
					'console.log("loaded");',
					'const node_crypto_1 = require("node:crypto");',
					'exports.id = (data) => (0, node_crypto_1.hash)("sha256", data, "hex");',
					'',
				].join('\n'),
			},
			packageJson: { files: ['index.js', 'dist', 'CHANGELOG.md'] },
		});
		try {
			run = await runCheckPackage(sample.dir);
		} finally {
			sample.remove();
		}
	}, 120_000);

	it('names each fault and exits 1', () => {
		expect(run.output).toContain('dist/nodes/Sample/Sample.node.js.map (source map)');
		expect(run.output).toContain(
			'FAIL  node sampleTrigger: codex dist/nodes/Sample/SampleTrigger.node.json is in the tarball, valid JSON: missing',
		);
		expect(run.output).toMatch(/3:1 +error +Unexpected console statement +no-console/);
		expect(run.output).toMatch(
			/FAIL {2}compiled code runs on Node 18\.17 .*: dist\/nodes\/Sample\/debug\.js \(crypto\.hash, Node 20\.12\)$/m,
		);
		// The guarded use in digest.js is not reported.
		expect(run.output).not.toContain('digest.js (crypto.hash');
		expect(run.output).toMatch(
			/FAIL {2}tarball \(\*\*\/\*\.js, package\.json\): 7 files linted, 1 errors/,
		);
		expect(run.output).toMatch(/\n\d+ checks, 4 failed\n/);
		expect(run.status).toBe(1);
	});

	it('passes what is intact: the manifest, both registered nodes and the credential', () => {
		expect(run.output).not.toMatch(/FAIL .*(name is|license|peerDependencies|dependencies)/);
		expect(run.output).toContain(
			'ok    credential dist/credentials/SampleApi.credentials.js loads as sampleApi',
		);
		expect(run.output).toContain(
			'ok    node dist/nodes/Sample/SampleTrigger.node.js loads as sampleTrigger',
		);
		expect(run.output).toContain('ok    node sample: codex names n8n-nodes-sample.sample');
		expect(run.output).toMatch(
			/ok {4}source \(package\.json, nodes\/, credentials\/\): 1 files linted, 0 errors/,
		);
	});
});
