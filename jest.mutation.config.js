/**
 * The Jest run Stryker repeats for every mutant (stryker.config.js, docs/mutation-testing.md): only
 * the fast unit tests that call the mutated modules directly. The tests that drive n8n's execution
 * engine against the simulator take seconds each and add nothing these do not already check.
 * `npx jest -c jest.mutation.config.js` runs the same set without Stryker.
 *
 * ts-jest only transpiles here (test/mutation/tsconfig.json sets isolatedModules): Stryker's
 * TypeScript checker has already type-checked each mutant, and the instrumented sources would not
 * type-check anyway.
 */
const { projects } = require('./jest.config');

const unit = projects.find((project) => project.displayName === 'unit');

module.exports = {
	...unit,
	displayName: 'mutation',
	testTimeout: 30_000,
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/mutation/tsconfig.json' }] },
	testMatch: [
		'<rootDir>/test/unit/signature.test.ts',
		'<rootDir>/test/unit/credential.origin.test.ts',
		'<rootDir>/test/unit/mutation-*.test.ts',
		'<rootDir>/test/unit/trigger/verify-delivery.test.ts',
		'<rootDir>/test/unit/trigger/verify-keys.test.ts',
		'<rootDir>/test/unit/trigger/structured-fields.test.ts',
		'<rootDir>/test/unit/trigger/delivery.test.ts',
		'<rootDir>/test/unit/trigger/mutation-*.test.ts',
	],
};
