'use strict';

/**
 * The simulator's state and layers, assembled: config, client registry, token, signature and
 * fault layers, idempotency store, request log, resources and the API's route table. The HTTP
 * side lives in server.js.
 */

const { DEFAULT_CONFIG, validateConfig } = require('./config');
const { registerClients } = require('./auth/clients');
const { TokenStore, handleTokenRequest } = require('./auth/tokens');
const { SignatureLayer } = require('./auth/signatures');
const { createGuard } = require('./auth/guard');
const { IdempotencyStore } = require('./idempotency');
const { FaultLayer } = require('./faults');
const { RequestLog } = require('./records');
const { Scheduler } = require('./scheduler');
const { createRouter } = require('./http/router');
const { createResources, emptyState } = require('./resources');
const { createWebhooks } = require('./resources/webhooks');
const { KeyRing } = require('./webhooks/keys');
const { EventHub } = require('./webhooks/events');
const { DeliveryEngine } = require('./webhooks/delivery');
const { Injector } = require('./webhooks/injections');
const { TOKEN_PATH } = require('./verify');
const fixtures = require('./fixtures');

class Simulator {
	constructor(options) {
		// host/port are listen options, handled by startSimulator
		const {
			clients = fixtures.defaultClients(),
			webhookKey,
			host: _host,
			port: _port,
			...rest
		} = options;
		this.config = validateConfig(DEFAULT_CONFIG, rest);
		const registry = registerClients(clients);

		// Live objects handed out to callers: always mutated in place, never replaced.
		this.state = { ...emptyState(), tokensIssued: 0, webhooks: [], events: [] };
		this.log = new RequestLog();
		this.deliveries = [];

		this.tokens = new TokenStore();
		this.signatures = new SignatureLayer(registry.keys, () => this.config);
		this.idempotency = new IdempotencyStore();
		this.faults = new FaultLayer();
		this.requestTimers = new Scheduler(); // response latency
		this.resourceTimers = new Scheduler(); // status changes
		this.deliveryTimers = new Scheduler(); // batching and retries of webhook deliveries
		this.closed = false;

		const getConfig = () => this.config;
		const guard = createGuard(this);
		this.keys = new KeyRing(webhookKey);
		this.engine = new DeliveryEngine({
			getConfig,
			keys: this.keys,
			scheduler: this.deliveryTimers,
			log: this.deliveries,
		});
		this.hub = new EventHub({
			log: this.state.events,
			getConfig,
			subscriptions: () => this.state.webhooks,
			deliver: (sub, event) => this.engine.enqueue(sub, event),
		});
		const emit = (type, object) => this.hub.emit(type, object);
		const common = { getConfig, scheduler: this.resourceTimers, emit, guard };
		this.resources = createResources(
			this.state,
			common,
			(clientId) => registry.clients.get(clientId)?.licenceModel,
		);
		this.webhooks = createWebhooks({
			items: this.state.webhooks,
			getConfig,
			guard,
			engine: this.engine,
			hub: this.hub,
			keys: this.keys,
		});
		this.injector = new Injector({
			engine: this.engine,
			hub: this.hub,
			keys: this.keys,
			findWebhook: (id) => this.webhooks.find(id),
		});

		const verifySignature = (ctx) => this.signatures.verify(ctx);
		this.route = createRouter([
			{
				method: 'POST',
				path: TOKEN_PATH,
				handler: (ctx) =>
					handleTokenRequest(ctx, {
						clients: registry.clients,
						tokens: this.tokens,
						verifySignature,
						ttlSeconds: this.config.tokenTtlSeconds,
						onIssued: () => this.state.tokensIssued++,
					}),
			},
			...this.resources.routes,
			...this.webhooks.routes,
		]);
	}

	get requests() {
		return this.log.records;
	}

	describeState() {
		return { ...this.state, requestCount: this.log.seq, deliveryCount: this.engine.seq };
	}

	reset() {
		this.resourceTimers.clear();
		this.deliveryTimers.clear();
		this.engine.clear();
		this.webhooks.reset();
		this.state.events.length = 0;
		this.keys.reset();
		this.resources.reset();
		this.state.tokensIssued = 0;
		this.log.reset();
		this.tokens.clear();
		this.signatures.reset();
		this.idempotency.clear();
		this.setFaults([]);
	}

	setConfig(changes) {
		this.config = validateConfig(this.config, changes);
		return { ...this.config };
	}

	setFaults(faults, seed) {
		return this.faults.set(faults, seed);
	}

	expireTokens() {
		return this.tokens.expireAll();
	}

	/** { users?, businesses?, accountGroups?, accounts?, roles? } specs -> the ids of each. */
	seed(spec) {
		return this.resources.seed(spec);
	}

	/** { <resource>Id, status } (see docs/simulator.md): moves the resource now; returns it. */
	setStatus(change) {
		return this.resources.setStatus(change);
	}

	/** The signing key's kid and the published JWKS keys. */
	webhookKeys() {
		return { kid: this.keys.current.kid, keys: this.keys.jwks().keys };
	}

	rotateWebhookKey({ dropOld = false } = {}) {
		this.keys.rotate({ dropOld });
		return this.webhookKeys();
	}

	close() {
		this.closed = true;
		this.requestTimers.clear();
		this.resourceTimers.clear();
		this.deliveryTimers.clear();
		this.engine.clear();
	}
}

module.exports = { Simulator };
