'use strict';

/**
 * What n8n's verification needs from package.json
 * (https://docs.n8n.io/integrations/creating-nodes/build/reference/verification-guidelines/):
 * the community package name and keyword, MIT, no runtime dependencies, n8n-workflow as the only
 * peer, no install-time scripts, no overrides, an author with an email, and one public GitHub
 * repository that repository, homepage and bugs all point at (npm provenance ties the published
 * version to that repository).
 *
 * checkManifest(pkg) returns [{ ok, what, detail? }], one entry per check.
 */

const { check } = require('./result');

const NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?n8n-nodes-[a-z0-9][a-z0-9._~-]*$/;
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const REPOSITORY = /^git\+https:\/\/github\.com\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)\.git$/;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const KEYWORD = 'n8n-community-node-package';

// Scripts npm runs on the machine that installs the package (n8n's server), or on a git install.
const INSTALL_TIME_SCRIPTS = [
	'preinstall',
	'install',
	'postinstall',
	'prepublish',
	'preprepare',
	'prepare',
	'postprepare',
	'preuninstall',
	'uninstall',
	'postuninstall',
];

const isNonEmpty = (value) =>
	value !== undefined &&
	value !== false &&
	value !== null &&
	(typeof value !== 'object' || Object.keys(value).length > 0);

/** `owner/repo` of `git+https://github.com/<owner>/<repo>.git`, or undefined. */
function githubRepository(pkg) {
	const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
	const match = REPOSITORY.exec(url ?? '');
	return match ? `${match[1]}/${match[2]}` : undefined;
}

function authorOf(pkg) {
	if (typeof pkg.author === 'string') {
		const match = /^([^<(]+?)\s*<([^>]+)>/.exec(pkg.author);
		return { name: match?.[1], email: match?.[2] };
	}
	return { name: pkg.author?.name, email: pkg.author?.email };
}

function checkRegistrations(n8n) {
	const entries = [...(n8n?.nodes ?? []), ...(n8n?.credentials ?? [])];
	const bad = entries.filter((file) => typeof file !== 'string' || !/^dist\/.+\.js$/.test(file));
	return [
		check(n8n?.n8nNodesApiVersion === 1, 'n8n.n8nNodesApiVersion is 1', n8n?.n8nNodesApiVersion),
		check(
			Array.isArray(n8n?.nodes) && n8n.nodes.length > 0,
			'n8n.nodes lists at least one node',
			JSON.stringify(n8n?.nodes),
		),
		check(
			n8n?.credentials === undefined || Array.isArray(n8n.credentials),
			'n8n.credentials is a list',
			JSON.stringify(n8n?.credentials),
		),
		check(bad.length === 0, 'every n8n entry is a dist/…js path', bad.join(', ')),
	];
}

function checkManifest(pkg) {
	const repo = githubRepository(pkg);
	const repoUrl = repo && `https://github.com/${repo}`;
	const author = authorOf(pkg);
	const scripts = Object.keys(pkg.scripts ?? {}).filter((name) =>
		INSTALL_TIME_SCRIPTS.includes(name),
	);
	const peers = JSON.stringify(pkg.peerDependencies ?? null);
	const runtime = [
		'dependencies',
		'optionalDependencies',
		'bundleDependencies',
		'bundledDependencies',
	].filter((field) => isNonEmpty(pkg[field]));
	const bugs = typeof pkg.bugs === 'string' ? pkg.bugs : pkg.bugs?.url;
	return [
		check(NAME.test(pkg.name ?? ''), 'name is n8n-nodes-… or @scope/n8n-nodes-…', pkg.name),
		check(SEMVER.test(pkg.version ?? ''), 'version is semver', pkg.version),
		check(
			typeof pkg.description === 'string' && pkg.description.trim().length > 0,
			'description is set',
		),
		check(
			Array.isArray(pkg.keywords) && pkg.keywords.includes(KEYWORD),
			`keywords include ${KEYWORD}`,
			JSON.stringify(pkg.keywords),
		),
		check(pkg.license === 'MIT', 'license is MIT', pkg.license),
		check(Boolean(author.name?.trim()), 'author has a name', JSON.stringify(pkg.author)),
		check(EMAIL.test(author.email ?? ''), 'author has an email', JSON.stringify(pkg.author)),
		check(
			Boolean(repo),
			'repository.url is git+https://github.com/<owner>/<repo>.git',
			JSON.stringify(pkg.repository),
		),
		check(
			Boolean(repoUrl) && (pkg.homepage === repoUrl || pkg.homepage?.startsWith(`${repoUrl}#`)),
			'homepage is the repository page',
			pkg.homepage,
		),
		check(Boolean(repoUrl) && bugs === `${repoUrl}/issues`, 'bugs is the repository issues', bugs),
		check(runtime.length === 0, 'no runtime dependencies', runtime.join(', ')),
		check(
			peers === JSON.stringify({ 'n8n-workflow': '*' }),
			'peerDependencies is exactly { "n8n-workflow": "*" }',
			peers,
		),
		check(scripts.length === 0, 'no install-time lifecycle scripts', scripts.join(', ')),
		check(pkg.overrides === undefined, 'no overrides', JSON.stringify(pkg.overrides)),
		check(typeof pkg.engines?.node === 'string', 'engines.node is set'),
		check(
			Array.isArray(pkg.files) && pkg.files.length > 0,
			'files lists what is published',
			JSON.stringify(pkg.files),
		),
		...checkRegistrations(pkg.n8n),
	];
}

module.exports = { checkManifest, githubRepository };
