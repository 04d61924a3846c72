/**
 * Unit tests run on their own; end-to-end tests install and run a real n8n (scripts/n8n-runtime.js).
 * scripts/test.js runs both, and the e2e smoke list once more per other n8n version.
 */
const common = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }] },
};

module.exports = {
	// n8n-core's execution engine leaves service timers behind that it never clears.
	forceExit: true,
	// Many tests run n8n's execution engine against a real HTTP server; on a busy 2-core machine
	// Jest's 5 s default is too tight for a correct run. End-to-end tests set their own.
	testTimeout: 30_000,
	projects: [
		{
			...common,
			displayName: 'unit',
			testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/simulator/**/*.test.js'],
		},
		{
			...common,
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
			maxWorkers: 1,
		},
	],
};
