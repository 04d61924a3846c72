'use strict';

/**
 * The environment switches the end-to-end tests read, in one place (test/e2e/README.md lists them).
 *
 *   UPVEST_N8N_VERSION             the n8n version to run (default 2.8.4; scripts/n8n/versions.js)
 *   UPVEST_E2E_KEEP=1              keep the n8n user folders (node_modules/.cache/n8n-nodes-upvest/instances) after the run
 *   UPVEST_E2E_PACKAGE_DIR=<dir>   test another built copy of the package (e.g. an unpacked npm pack)
 *   UPVEST_UPDATE_DOCS_SCREENSHOT=1  replace docs/editor-upvest-node.png, docs/editor-user-create.png and
 *                                  docs/editor-account-group-picker.png with this run's screenshots
 *   CHROMIUM_PATH=<file>           the Chromium binary (default: Debian's)
 *   CI=true                        set by CI
 */

const { selectedVersion } = require('./n8n/versions');

const flag = (value) => value !== undefined && value !== '' && value !== '0' && value !== 'false';
const text = (value) => (value === undefined || value === '' ? undefined : value);

const e2eEnv = Object.freeze({
	n8nVersion: selectedVersion(),
	keepInstances: flag(process.env.UPVEST_E2E_KEEP),
	packageDir: text(process.env.UPVEST_E2E_PACKAGE_DIR),
	updateDocsScreenshot: flag(process.env.UPVEST_UPDATE_DOCS_SCREENSHOT),
	chromiumPath: text(process.env.CHROMIUM_PATH),
	ci: flag(process.env.CI),
});

module.exports = { e2eEnv };
