'use strict';

/**
 * Runs this package in a real n8n. The parts live in scripts/n8n/ (one job each); this index is
 * what scripts and tests require.
 *
 *   const rt = require('./scripts/n8n-runtime');
 *   rt.ensureN8n({ version });                       // install once into .local/n8n/<version>, then reuse
 *   rt.ensureBuilt();                                // npm run build when dist/ is missing or stale
 *   const n8n = rt.createInstance({ version, name: 'e2e', temporary: true });
 *   await n8n.importCredentials([rt.credentialFor(simulatorUrl)]);
 *   await n8n.importWorkflow(workflowJson);
 *   const { exitCode, run } = await n8n.execute(workflowJson.id);
 *   await n8n.start(); await n8n.setupOwner(rt.LOCAL_OWNER); ...; await n8n.remove();
 *
 * `version` defaults to UPVEST_N8N_VERSION, else 2.8.4 (the newest n8n for Node 20); see
 * scripts/n8n/versions.js for the tested versions. Everything listens on 127.0.0.1, and every
 * process started here is stopped by its PID.
 */

const project = require('./n8n/project');
const versions = require('./n8n/versions');
const install = require('./n8n/install');
const build = require('./n8n/build');
const ports = require('./n8n/ports');
const credentials = require('./n8n/credentials');
const cli = require('./n8n/cli');
const { createInstance } = require('./n8n/instance');
const { httpJson } = require('./http-client');

module.exports = {
	ROOT: project.ROOT,
	PACKAGE_NAME: project.PACKAGE_NAME,
	NODE_TYPE: project.NODE_TYPE,
	CREDENTIAL_TYPE: project.CREDENTIAL_TYPE,
	INSTANCES_DIR: project.INSTANCES_DIR,
	logger: project.logger,

	/** The default n8n version and its install folder and bin script. */
	N8N_VERSION: versions.DEFAULT_VERSION,
	N8N_DIR: install.n8nDir(versions.DEFAULT_VERSION),
	N8N_BIN: install.n8nBin(versions.DEFAULT_VERSION),
	MATRIX: versions.MATRIX,
	selectedVersion: versions.selectedVersion,
	recipeFor: versions.recipeFor,

	installedN8nVersion: install.installedN8nVersion,
	ensureN8n: install.ensureN8n,
	n8nInstall: install.n8nInstall,
	needsBuild: build.needsBuild,
	ensureBuilt: build.ensureBuilt,

	isPortFree: ports.isPortFree,
	findFreePort: ports.findFreePort,
	findFreePorts: ports.findFreePorts,
	httpJson,

	LOCAL_OWNER: credentials.LOCAL_OWNER,
	SIMULATOR_CREDENTIAL: credentials.SIMULATOR_CREDENTIAL,
	EXAMPLE_SCOPES: credentials.EXAMPLE_SCOPES,
	credentialFor: credentials.credentialFor,

	createInstance,
	parseRun: cli.parseRun,
	parseExecutionError: cli.parseExecutionError,
	nodeOutput: cli.nodeOutput,
};
