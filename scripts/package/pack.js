'use strict';

/**
 * Packs a package folder the way `npm publish` would (`npm pack`), into a temporary folder, and
 * unpacks the tarball there, so that checks look at exactly the files that would be published.
 *
 *   const packed = packPackage(root);   // { tmp, dir, tarball, size, unpackedSize, files }
 *   ...
 *   packed.remove();
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args, cwd) {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
	if (result.error) throw new Error(`${command} could not start: ${result.error.message}`);
	if (result.status !== 0) {
		throw new Error(
			`${command} ${args.join(' ')} failed (exit ${result.status}): ${result.stderr}`,
		);
	}
	return result.stdout;
}

/** Every file under `dir` as a POSIX path relative to it, sorted. */
function listFiles(dir) {
	return fs
		.readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)))
		.map((file) => file.split(path.sep).join('/'))
		.sort();
}

/**
 * `npm pack` of `root` into a new temporary folder, unpacked into `<tmp>/package`.
 * Lifecycle scripts are not run: packing checks what the build left, it does not build.
 */
function packPackage(root) {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'check-package-'));
	const remove = () => fs.rmSync(tmp, { recursive: true, force: true });
	try {
		const out = run(
			NPM,
			['pack', '--json', '--ignore-scripts', '--pack-destination', tmp],
			path.resolve(root),
		);
		const [info] = JSON.parse(out);
		const tarball = path.join(tmp, info.filename);
		run('tar', ['-xzf', tarball, '-C', tmp], tmp);
		const dir = path.join(tmp, 'package');
		return {
			tmp,
			dir,
			tarball,
			size: fs.statSync(tarball).size,
			unpackedSize: info.unpackedSize,
			files: listFiles(dir),
			remove,
		};
	} catch (error) {
		remove();
		throw error;
	}
}

module.exports = { packPackage, listFiles };
