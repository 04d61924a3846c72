'use strict';

/** The bench's command line: sizes, which measurements to run, quick mode. */

const path = require('node:path');

const { ROOT } = require('../n8n-runtime');

const DEFAULT_PROFILE_DIR = path.join(ROOT, 'test-artifacts', 'bench-profile');

const FULL = {
	n: 1000,
	memN: 10000,
	memSmallN: 100,
	pagingN: 10000,
	pagingRounds: 3,
	createUserRounds: 5,
};
/** Small enough to check in a few minutes that every measurement works; its figures mean little. */
const QUICK = {
	n: 50,
	memN: 500,
	memSmallN: 50,
	pagingN: 2000,
	pagingRounds: 1,
	createUserRounds: 2,
};

const USAGE = `Usage: npm run bench -- [options]

  --only=a,b          run only these measurements (ids: IDS)
  --quick             small sizes, to check that everything works (figures mean little)
  --n=1000            items per throughput and Create User run (quick: 50)
  --mem-n=10000       items of the large memory runs (quick: 500)
  --paging-n=10000    account groups listed by the paging runs (quick: 2000)
  --paging-rounds=3   timed node runs of the paging measurement (quick: 1)
  --create-user-rounds=5  rounds of the Create User measurement, one run of each node (quick: 2)
  --no-ecdsa          throughput runs with the Ed25519 key only
  --profile=dir       where the CPU profile goes (default test-artifacts/bench-profile;
                      the profiled Create User runs write into <dir>-create-user)
  --no-profile        leave the CPU profiles out
  --keep              keep the n8n user folder (to look at the workflows afterwards)`;

function fail(message, ids) {
	console.error(`${message}\n\n${USAGE.replace('IDS', ids.join(', '))}`);
	process.exit(2);
}

function positiveInt(name, value, ids) {
	const number = Number(value);
	if (!Number.isInteger(number) || number < 1) fail(`${name} needs a positive whole number`, ids);
	return number;
}

/** Parses argv; `ids` are the measurements' ids in their order. Exits on --help and on bad input. */
function parseOptions(argv, ids) {
	const given = {};
	const options = { ecdsa: true, keep: false, quick: false, profile: DEFAULT_PROFILE_DIR };
	let only = ids;
	const sizes = {
		'--n': 'n',
		'--mem-n': 'memN',
		'--paging-n': 'pagingN',
		'--paging-rounds': 'pagingRounds',
		'--create-user-rounds': 'createUserRounds',
	};
	for (const arg of argv) {
		const [name, value] = arg.split('=', 2);
		if (sizes[name]) given[sizes[name]] = positiveInt(name, value, ids);
		else if (name === '--only') {
			only = (value ?? '').split(',').filter(Boolean);
			const unknown = only.filter((id) => !ids.includes(id));
			if (only.length === 0 || unknown.length > 0)
				fail(`--only: unknown measurement ${unknown.join(', ') || '(none given)'}`, ids);
		} else if (name === '--quick') options.quick = true;
		else if (name === '--no-ecdsa') options.ecdsa = false;
		else if (name === '--keep') options.keep = true;
		else if (name === '--profile') options.profile = path.resolve(value ?? DEFAULT_PROFILE_DIR);
		else if (name === '--no-profile') options.profile = undefined;
		else if (name === '--help' || name === '-h') {
			console.log(USAGE.replace('IDS', ids.join(', ')));
			process.exit(0);
		} else fail(`Unknown argument: ${arg}`, ids);
	}
	Object.assign(options, options.quick ? QUICK : FULL, given);
	if (options.memSmallN >= options.memN) options.memSmallN = Math.max(1, options.memN >> 1);
	options.only = ids.filter((id) => only.includes(id) && (id !== 'profile' || options.profile));
	return options;
}

module.exports = { parseOptions };
