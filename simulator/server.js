'use strict';

/**
 * Local Upvest sandbox simulator: the HTTP server and its dispatch. API requests go through the
 * request log, the fault layer and the route table of simulator.js; /__simulator/ goes to the
 * admin API. See docs/simulator.md.
 *
 * Node builtins only, loopback only: it never talks to anything but its own clients on this
 * machine.
 */

const http = require('node:http');

const { Simulator } = require('./simulator');
const { handleAdmin, ADMIN_PREFIX } = require('./admin');
const { outcome } = require('./faults');
const { MAX_BODY_BYTES, problem, readBody, splitTarget, writeResponse } = require('./http/wire');

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

function send(sim, res, record, response) {
	record.status = response.status;
	if (res.destroyed) return;
	// The order answers left in, which latency can make differ from the order requests came in.
	sim.log.answered(record);
	writeResponse(res, response, record.requestId);
}

function dispatch(sim, ctx) {
	const matched = sim.route(ctx.req.method, ctx.path);
	if (matched.response) return matched.response;
	return matched.handler({ ...ctx, params: matched.params });
}

async function handleApi(sim, req, res, path, query) {
	const arrivedAt = Date.now();
	const record = sim.log.open(req, path, query, sim.config.maxRecords);
	const read = await readBody(req);
	if (read.aborted) return;
	if (read.tooLarge) {
		send(sim, res, record, problem(413, `Request body exceeds ${MAX_BODY_BYTES} bytes`));
		return;
	}
	record.body = read.body.toString('utf8');

	const picked = sim.faults.pick(req.method, path);
	if (picked.labels.length > 0) record.fault = picked.labels.join(',');
	const result = await outcome(picked, {
		arrivedAt,
		baseLatencyMs: sim.config.latencyMs,
		sleep: (ms) => sim.requestTimers.sleep(ms),
		isClosed: () => sim.closed,
		process: () => dispatch(sim, { req, path, query, body: read.body, record }),
	});
	if (result.closed) return;
	if (result.drop) {
		req.socket.destroy();
		return;
	}
	send(sim, res, record, result.send);
}

async function handle(sim, req, res) {
	const { path, query } = splitTarget(req.url);
	try {
		if (path.startsWith(ADMIN_PREFIX)) await handleAdmin(sim, req, res, path, query);
		else await handleApi(sim, req, res, path, query);
	} catch (err) {
		// A simulator bug must surface as a 500, not kill the process.
		if (!res.headersSent && !res.destroyed) {
			writeResponse(res, problem(500, `Simulator error: ${err && err.message}`));
		} else {
			res.destroy();
		}
	}
}

/**
 * Starts a simulator. Options: `host` ('127.0.0.1'; loopback only: 127.0.0.1, localhost or
 * ::1), `port` (0 = any free port), `clients` (default: the fixture clients), and any config
 * option of docs/simulator.md (latencyMs, tokenTtlSeconds, activationDelayMs, ...).
 */
async function startSimulator(options = {}) {
	const host = options.host ?? '127.0.0.1';
	if (!LOOPBACK_HOSTS.has(host))
		throw new Error(`Refusing to listen on ${host}: the simulator is loopback-only`);
	const sim = new Simulator(options);

	const server = http.createServer((req, res) => {
		handle(sim, req, res);
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});

	const { port } = server.address();
	const urlHost = host.includes(':') ? `[${host}]` : host;
	let closing;

	return {
		url: `http://${urlHost}:${port}`,
		port,
		close() {
			if (!closing) {
				sim.close();
				closing = new Promise((resolve) => server.close(() => resolve()));
				server.closeAllConnections();
			}
			return closing;
		},
		reset: () => sim.reset(),
		setFaults: (faults, seed) => sim.setFaults(faults, seed),
		setConfig: (cfg) => sim.setConfig(cfg),
		expireTokens: () => sim.expireTokens(),
		seed: (spec) => sim.seed(spec),
		setStatus: (change) => sim.setStatus(change),
		emitEvent: (type, object) => sim.hub.emit(type, object),
		inject: (spec) => sim.injector.inject(spec),
		webhookKeys: () => sim.webhookKeys(),
		rotateWebhookKey: (options) => sim.rotateWebhookKey(options),
		get config() {
			return { ...sim.config };
		},
		state: sim.state,
		requests: sim.requests,
		deliveries: sim.deliveries,
	};
}

module.exports = { startSimulator, LOOPBACK_HOSTS, MAX_BODY_BYTES };
