'use strict';

/**
 * The admin API under /__simulator/: inspection, reset, config, faults, tokens, seeding and
 * status changes for tests. No auth, never recorded, never affected by faults or latency.
 */

const { readBody, problem, jsonResponse, writeResponse, parseJsonObject } = require('./http/wire');
const { webhookAdminEndpoints } = require('./webhooks/admin');

const ADMIN_PREFIX = '/__simulator/';

function sinceParam(query) {
	const since = Number(new URLSearchParams(query || '').get('since') || 0);
	if (!Number.isFinite(since)) throw new TypeError('since must be a number');
	return since;
}

/** The endpoints: name (path after /__simulator/) -> method -> (body, query) => result. */
function adminEndpoints(sim) {
	return {
		health: { GET: () => ({ ok: true }) },
		state: { GET: () => sim.describeState() },
		requests: { GET: (_body, query) => sim.log.since(sinceParam(query)) },
		faults: {
			GET: () => sim.faults.describe(),
			POST: (body) => ({ ok: true, ...sim.setFaults(body().faults ?? [], body().seed) }),
		},
		config: {
			GET: () => ({ ...sim.config }),
			POST: (body) => ({ ok: true, config: sim.setConfig(body()) }),
		},
		reset: {
			POST: () => {
				sim.reset();
				return { ok: true };
			},
		},
		'tokens/expire': { POST: () => ({ ok: true, expired: sim.expireTokens() }) },
		seed: { POST: (body) => ({ ok: true, ...sim.seed(body()) }) },
		status: { POST: (body) => ({ ok: true, resource: sim.setStatus(body()) }) },
		...webhookAdminEndpoints(sim, sinceParam),
	};
}

async function handleAdmin(sim, req, res, path, query) {
	const read = await readBody(req);
	if (read.aborted) return;
	if (read.tooLarge) return writeResponse(res, problem(413, 'Request body too large'));

	const endpoints = adminEndpoints(sim);
	const endpoint = endpoints[path.slice(ADMIN_PREFIX.length)];
	if (!endpoint) return writeResponse(res, problem(404, `No admin endpoint at ${path}`));
	const handler = endpoint[req.method];
	if (!handler) {
		return writeResponse(
			res,
			problem(405, `Method ${req.method} is not allowed on ${path}`, {
				headers: { allow: Object.keys(endpoint).join(', ') },
			}),
		);
	}
	let result;
	try {
		result = await handler(() => parseJsonObject(read.body), query);
	} catch (err) {
		return writeResponse(res, problem(err.status || 400, err.message));
	}
	if (res.destroyed) return;
	return writeResponse(res, jsonResponse(200, result));
}

module.exports = { handleAdmin, ADMIN_PREFIX };
