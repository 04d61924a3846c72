'use strict';

/**
 * The compiled code must run on the oldest Node.js that `engines.node` allows (n8n 1.85 to 1.94
 * run on Node 18.17). TypeScript's `lib` (es2022) already refuses newer language built-ins, but
 * @types/node describes Node 20, so Node APIs added after 18 compile without complaint. This lists
 * those a node package is likely to reach for and finds their use in the tarball's JavaScript.
 * A file that tests `typeof <api>` before calling it counts as guarded (a fallback exists).
 *
 * checkNodeCompat(packed, pkg) returns [{ ok, what, detail? }].
 */
const fs = require('node:fs');
const path = require('node:path');
const { check } = require('./result');

const APIS = [
	{ name: 'crypto.hash', since: [20, 12], call: /\b\w*crypto\w*\.hash\b/ },
	{ name: 'util.styleText', since: [20, 12], call: /\b\w*util\w*\.styleText\b/ },
	{ name: 'AbortSignal.any', since: [20, 3], call: /\bAbortSignal\.any\b/ },
];

/** [major, minor] of the lowest version `engines.node` admits (`>=18.17`, `^18.17.0 || >=20`). */
function minimumNode(range) {
	const versions = [...String(range ?? '').matchAll(/(\d+)(?:\.(\d+))?(?:\.\d+)?/g)].map(
		(match) => [Number(match[1]), Number(match[2] ?? 0)],
	);
	versions.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	return versions[0];
}

const before = (a, b) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

function checkNodeCompat(packed, pkg) {
	const minimum = minimumNode(pkg.engines?.node);
	if (!minimum) return [check(false, 'engines.node names a minimum Node.js', pkg.engines?.node)];
	const relevant = APIS.filter((api) => before(minimum, api.since));
	const uses = [];
	for (const file of packed.files.filter((name) => name.endsWith('.js'))) {
		const code = fs.readFileSync(path.join(packed.dir, file), 'utf8');
		for (const api of relevant) {
			const guarded = new RegExp(`typeof\\s+${api.call.source}`).test(code);
			if (!guarded && api.call.test(code))
				uses.push(`${file} (${api.name}, Node ${api.since.join('.')})`);
		}
	}
	return [
		check(
			uses.length === 0,
			`compiled code runs on Node ${minimum.join('.')} (engines.node ${pkg.engines.node}): no unguarded ${relevant.map((api) => api.name).join(', ') || 'newer API'}`,
			uses.join(', '),
		),
	];
}

module.exports = { checkNodeCompat, minimumNode };
