'use strict';

/**
 * A Jest test sequencer that runs the test files in a seeded random order, to show that files do
 * not depend on each other's order (Jest's --randomize shuffles the tests inside each file):
 *
 *   JEST_FILE_ORDER_SEED=7 npx jest --selectProjects e2e --testSequencer ./scripts/shuffled-sequencer.js \
 *     --randomize --seed 7 --runTestsByPath test/e2e/reliability.*.test.ts
 *
 * Without JEST_FILE_ORDER_SEED the seed comes from the clock; it is printed either way.
 */

const Sequencer = require('@jest/test-sequencer').default;

const { mulberry32 } = require('../simulator/faults');

class ShuffledSequencer extends Sequencer {
	sort(tests) {
		const given = Number.parseInt(process.env.JEST_FILE_ORDER_SEED ?? '', 10);
		const seed = Number.isInteger(given) ? given : Date.now() % 2 ** 31;
		const random = mulberry32(seed);
		const order = [...tests].sort((a, b) => a.path.localeCompare(b.path));
		for (let i = order.length - 1; i > 0; i--) {
			const j = Math.floor(random() * (i + 1));
			[order[i], order[j]] = [order[j], order[i]];
		}
		const names = order.map((test) => test.path.replace(`${process.cwd()}/`, ''));
		process.stderr.write(`[shuffled-sequencer] seed ${seed}: ${names.join(', ')}\n`);
		return order;
	}
}

module.exports = ShuffledSequencer;
