import { config } from '@n8n/node-cli/eslint';
import { globalIgnores } from 'eslint/config';

// n8n's community-node rules for everything that ships (nodes/, credentials/, package.json).
// The simulator, scripts and tests run in Node, not in n8n, so the runtime restrictions don't apply.
export default [
	...config,
	globalIgnores([
		'test/**',
		'simulator/**',
		'scripts/**',
		'examples/**',
		'gulpfile.js',
		'index.js',
		'jest.config.js',
	]),
];
