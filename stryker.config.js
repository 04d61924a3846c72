/**
 * Mutation testing (`npm run test:mutation`, docs/mutation-testing.md): StrykerJS 9 on the project's
 * own Node (20+), the Jest runner over the focused tests of jest.mutation.config.js, and the
 * TypeScript checker, so mutants that do not compile are discarded before any test runs.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
module.exports = {
	// The modules where a silent bug costs money or security.
	mutate: [
		'nodes/Upvest/transport/signature.ts',
		'nodes/Upvest/transport/signingKey.ts',
		'nodes/Upvest/transport/authentication.ts',
		'nodes/Upvest/transport/accessToken.ts',
		'nodes/Upvest/transport/paging.ts',
		'nodes/Upvest/trigger/bodyDigest.ts',
		'nodes/Upvest/trigger/signatureBase.ts',
		'nodes/Upvest/trigger/signatureHeaders.ts',
		'nodes/Upvest/trigger/structuredFields.ts',
		'nodes/Upvest/trigger/verifyDelivery.ts',
		'nodes/Upvest/trigger/verifyKeys.ts',
		'nodes/Upvest/trigger/ecdsa.ts',
		'nodes/Upvest/trigger/replayGuard.ts',
		'nodes/Upvest/trigger/seenEvents.ts',
		'nodes/Upvest/shared/idempotency.ts',
	],
	testRunner: 'jest',
	jest: {
		projectType: 'custom',
		configFile: 'jest.mutation.config.js',
		// Per mutant, only the test files that import the mutated module (then only its covering tests).
		enableFindRelatedTests: true,
	},
	coverageAnalysis: 'perTest',
	checkers: ['typescript'],
	tsconfigFile: 'tsconfig.json',
	// Two cores: one test process per core, the checker shares them.
	concurrency: 2,
	// A mutant may run 1.5 times as long as its tests did unmutated, plus 10 s for a busy machine.
	timeoutFactor: 1.5,
	timeoutMS: 10_000,
	dryRunTimeoutMinutes: 10,
	// Only mutants whose code or covering tests changed since the last run are tested again. The
	// file is git-ignored: each machine keeps its own (docs/mutation-testing.md says why).
	incremental: true,
	incrementalFile: 'test-artifacts/mutation/stryker-incremental.json',
	reporters: ['progress', 'clear-text', 'html', 'json'],
	htmlReporter: { fileName: 'test-artifacts/mutation/index.html' },
	jsonReporter: { fileName: 'test-artifacts/mutation/mutation.json' },
	clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
	thresholds: { high: 95, low: 90, break: 95 },
	// Not needed by the unit tests: keeps the sandbox copy small (n8n installs live in .local).
	ignorePatterns: ['/dist', '/.local', '/test-artifacts', '/coverage', '/test/e2e', '/examples'],
	tempDirName: '.stryker-tmp',
	cleanTempDir: 'always',
};
