'use strict';

/**
 * The REST calls of a running n8n that the trigger tests and the bench make as the signed-in owner:
 * activating and deactivating a workflow, and reading its executions with their run data.
 *
 *   POST /rest/workflows/:id/activate  {versionId}   (n8n 1.1xx and 2.x: activates that version)
 *   POST /rest/workflows/:id/deactivate {}
 *   GET  /rest/executions?filter={"workflowId":…}&limit=100
 *   GET  /rest/executions/:id          (run data as a `flatted` string, parsed here with the
 *                                       flatted of the n8n install that wrote it)
 */

const path = require('node:path');

const { httpJson } = require('./http-client');
const { LOCAL_OWNER } = require('./n8n/credentials');

/**
 * @param {object} options
 * @param {string} options.url the n8n base URL, e.g. http://127.0.0.1:5678
 * @param {string} options.installDir the n8n install folder (holds node_modules/flatted)
 * @param {string} options.cookie the owner's "n8n-auth=..." cookie (setupOwner() or login())
 */
function restClient({ url, installDir, cookie }) {
	const flatted = require(path.join(installDir, 'node_modules', 'flatted'));

	async function call(method, urlPath, body) {
		const res = await httpJson(`${url}${urlPath}`, {
			method,
			body,
			headers: { cookie },
			timeoutMs: 60000,
		});
		if (res.status !== 200) {
			throw new Error(`${method} ${urlPath} answered ${res.status}: ${res.text.slice(0, 2000)}`);
		}
		return res.json?.data;
	}

	const getWorkflow = (id) => call('GET', `/rest/workflows/${encodeURIComponent(id)}`);

	/** Activates the workflow's current version; resolves the workflow as n8n answers it. */
	async function activate(id) {
		const { versionId } = await getWorkflow(id);
		return call('POST', `/rest/workflows/${encodeURIComponent(id)}/activate`, { versionId });
	}

	const deactivate = (id) =>
		call('POST', `/rest/workflows/${encodeURIComponent(id)}/deactivate`, {});

	/** The workflow's executions (at most the 100 latest), oldest first: {id, status, mode, startedAt, ...}. */
	async function executions(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const page = await call('GET', `/rest/executions?filter=${filter}&limit=100`);
		return [...(page?.results ?? [])].sort((a, b) => Number(a.id) - Number(b.id));
	}

	/** One execution with `run` (the IRun: run.data.resultData.runData) parsed from its data. */
	async function execution(id) {
		const found = await call('GET', `/rest/executions/${encodeURIComponent(id)}`);
		const data = typeof found?.data === 'string' ? flatted.parse(found.data) : found?.data;
		return { ...found, data: undefined, run: { data } };
	}

	return { call, getWorkflow, activate, deactivate, executions, execution };
}

/** Signs in to a started instance (scripts/n8n/instance.js) as its owner, creating it first when needed. */
async function signedInClient(instance, account = LOCAL_OWNER) {
	const { cookie } = await instance.setupOwner(account);
	return restClient({ url: instance.url, installDir: instance.install.dir, cookie });
}

module.exports = { restClient, signedInClient };
