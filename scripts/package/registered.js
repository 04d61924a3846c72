'use strict';

/**
 * Loads every node and credential that the package's `n8n` section registers from the unpacked
 * tarball, the way n8n's package loader does (n8n-core `nodes-loader/directory-loader.js`):
 * `new (require(file)[ClassName])()` where ClassName is the file name before its first dot, the
 * codex from `<file>on` (`X.node.js` → `X.node.json`), icons from `file:` paths relative to the
 * file. Only the package's peer dependencies are provided (as n8n provides n8n-workflow), so a
 * runtime import of anything else fails here as it would in n8n.
 *
 * checkRegistered(packed, pkg) returns [{ ok, what, detail? }].
 */
const fs = require('node:fs');
const path = require('node:path');
const { githubRepository } = require('./manifest');
const { check } = require('./result');

/** Links each peer dependency, resolved from this project, into `<tmp>/node_modules`. */
function providePeers(tmp, pkg) {
	for (const name of Object.keys(pkg.peerDependencies ?? {})) {
		const target = path.dirname(require.resolve(`${name}/package.json`));
		const link = path.join(tmp, 'node_modules', name);
		fs.mkdirSync(path.dirname(link), { recursive: true });
		if (!fs.existsSync(link)) fs.symlinkSync(target, link, 'dir');
	}
}

function instantiate(dir, file) {
	const className = path.basename(file).split('.')[0];
	const exported = require(path.join(dir, file))[className];
	if (typeof exported !== 'function') {
		throw new Error(`does not export a class named ${className}`);
	}
	return new exported();
}

/** Package-relative paths of the `file:` icons of a node description or a credential. */
function iconFiles(file, owner) {
	const icons = [owner?.icon, owner?.description?.icon];
	for (const version of Object.values(owner?.nodeVersions ?? {}))
		icons.push(version.description?.icon);
	return icons
		.flatMap((icon) => (icon && typeof icon === 'object' ? [icon.light, icon.dark] : [icon]))
		.filter((icon) => typeof icon === 'string' && icon.startsWith('file:'))
		.map((icon) => path.posix.join(path.posix.dirname(file), icon.slice('file:'.length)));
}

/** GitHub URLs that point at a repository other than the package's own. */
function foreignGithubUrls(urls, repo) {
	return urls.filter(
		(url) =>
			typeof url === 'string' &&
			url.startsWith('https://github.com/') &&
			!url.startsWith(`https://github.com/${repo}`),
	);
}

function codexUrls(codex) {
	const { primaryDocumentation = [], credentialDocumentation = [] } = codex.resources ?? {};
	return [...primaryDocumentation, ...credentialDocumentation].map((entry) => entry.url);
}

function checkOne(packed, pkg, kind, file) {
	const files = new Set(packed.files);
	const results = [];
	const add = (...args) => results.push(check(...args));
	if (!files.has(file)) {
		add(false, `${kind} ${file} is in the tarball`, 'missing');
		return results;
	}
	let instance;
	try {
		instance = instantiate(packed.dir, file);
	} catch (error) {
		add(false, `${kind} ${file} loads as n8n loads it`, error.message.split('\n')[0]);
		return results;
	}
	const typeName = kind === 'node' ? instance.description?.name : instance.name;
	add(Boolean(typeName), `${kind} ${file} loads as ${typeName}`, 'no type name');
	const missingIcons = iconFiles(file, instance).filter((icon) => !files.has(icon));
	const icons = iconFiles(file, instance).length;
	add(
		icons > 0 && missingIcons.length === 0,
		`${kind} ${typeName}: ${icons} icon file(s) present`,
		missingIcons.join(', ') || 'no file: icon',
	);
	const repo = githubRepository(pkg);
	if (kind === 'credential') {
		const foreign = foreignGithubUrls([instance.documentationUrl], repo);
		add(
			foreign.length === 0,
			`credential ${typeName}: documentationUrl on ${repo}`,
			foreign.join(', '),
		);
		return results;
	}
	return results.concat(checkCodex(packed, pkg, file, typeName));
}

/** The codex n8n reads for a node (`X.node.js` → `X.node.json`): present, parsed, on this repository. */
function checkCodex(packed, pkg, file, typeName) {
	const codexFile = `${file}on`;
	const repo = githubRepository(pkg);
	let codex;
	try {
		codex = JSON.parse(fs.readFileSync(path.join(packed.dir, codexFile), 'utf8'));
	} catch (error) {
		const what = `node ${typeName}: codex ${codexFile} is in the tarball, valid JSON`;
		return [check(false, what, error.code === 'ENOENT' ? 'missing' : error.message)];
	}
	const foreign = foreignGithubUrls(codexUrls(codex), repo);
	return [
		check(
			codex.node === `${pkg.name}.${typeName}`,
			`node ${typeName}: codex names ${pkg.name}.${typeName}`,
			codex.node,
		),
		check(
			foreign.length === 0,
			`node ${typeName}: codex documentation on ${repo}`,
			foreign.join(', '),
		),
	];
}

function checkRegistered(packed, pkg) {
	providePeers(packed.tmp, pkg);
	return [
		...(pkg.n8n?.credentials ?? []).flatMap((file) => checkOne(packed, pkg, 'credential', file)),
		...(pkg.n8n?.nodes ?? []).flatMap((file) => checkOne(packed, pkg, 'node', file)),
	];
}

module.exports = { checkRegistered };
