'use strict';

/**
 * The REST calls of a running n8n that the trigger tests and the bench make as the signed-in owner:
 * activating and deactivating a workflow, and reading its executions with their run data.
 *
 *   POST /rest/workflows/:id/activate  {versionId}   (n8n 1.1xx and 2.x: activates that version)
 *   POST /rest/workflows/:id/deactivate {}
 *   GET  /rest/workflows/:id/publication-status (n8n 2.41: (de)activation applied in the background)
 *   GET  /rest/executions?filter={"workflowId":…}&limit=100
 *   GET  /rest/executions/:id          (run data as a `flatted` string, parsed here with the
 *                                       flatted of the n8n install that wrote it)
 */

const path = require('node:path');

const { httpJson } = require('./http-client');
const { LOCAL_OWNER } = require('./n8n/credentials');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

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

	/**
	 * n8n 2.41 applies an activation or deactivation in the background (its publication outbox)
	 * and reports progress at /publication-status; earlier versions have applied it before they
	 * answer. Resolves once the workflow is `wanted` ('published' or 'not_published').
	 */
	async function settled(id, wanted, timeoutMs = 120000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const res = await httpJson(
				`${url}/rest/workflows/${encodeURIComponent(id)}/publication-status`,
				{ headers: { cookie }, timeoutMs: 30000 },
			);
			if (res.status === 404) return;
			if (res.status !== 200) throw new Error(`publication status of ${id}: ${res.status}`);
			const { status, triggers = [] } = res.json?.data ?? {};
			if (status === wanted) return;
			if (wanted === 'published' && (status === 'failed' || status === 'partial')) {
				const reasons = triggers.map((trigger) => trigger.errorMessage).filter(Boolean);
				throw new Error(`n8n could not activate ${id} (${status}): ${reasons.join('; ')}`);
			}
			if (Date.now() > deadline) throw new Error(`${id} is still ${status}, not ${wanted}`);
			await sleep(250);
		}
	}

	/** Activates the workflow's current version; resolves once n8n has applied it. */
	async function activate(id) {
		const { versionId } = await getWorkflow(id);
		await call('POST', `/rest/workflows/${encodeURIComponent(id)}/activate`, { versionId });
		await settled(id, 'published');
	}

	async function deactivate(id) {
		await call('POST', `/rest/workflows/${encodeURIComponent(id)}/deactivate`, {});
		await settled(id, 'not_published');
	}

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

/** True once this start of the server has printed that n8n is up (scripts/n8n/instance.js logs()). */
function startupFinished(instance) {
	const logs = instance.logs();
	const cliOutput = logs.indexOf('\n$ n8n ');
	return (cliOutput < 0 ? logs : logs.slice(0, cliOutput)).includes('Editor is now accessible via');
}

/**
 * Signs in to a started instance (scripts/n8n/instance.js) as its owner, creating it first when
 * needed, once n8n has finished starting. `start()` resolves as soon as the REST API answers, but
 * n8n activates its active workflows (webhook registrations included) only after that and prints
 * "Editor is now accessible" when done; and n8n 2.41.1 answered /rest/settings once, then 404 on
 * every /rest route for up to a minute. So this waits for that line, then retries until the owner
 * is signed in and the workflow list answers.
 */
async function signedInClient(instance, { account = LOCAL_OWNER, timeoutMs = 180000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	while (!startupFinished(instance) && Date.now() < deadline) await sleep(250);
	for (;;) {
		try {
			const { cookie } = await instance.setupOwner(account);
			const client = restClient({ url: instance.url, installDir: instance.install.dir, cookie });
			await client.call('GET', '/rest/workflows');
			return client;
		} catch (error) {
			if (Date.now() > deadline) throw error;
			await sleep(500);
		}
	}
}

module.exports = { restClient, signedInClient };
