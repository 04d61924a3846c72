'use strict';

/**
 * The admin API's webhook part: emitting events, the delivery log, injected deliveries for
 * receiver tests, the signing keys and their rotation, and the subscriptions with their queues.
 */

/** Endpoints (path after /__simulator/ -> method -> (body, query) => result) for admin.js. */
function webhookAdminEndpoints(sim, sinceParam) {
	return {
		events: {
			GET: () => sim.state.events,
			POST: (body) => {
				const { type, object } = body();
				const { event, webhookIds } = sim.hub.emit(type, object);
				return { ok: true, event, webhookIds };
			},
		},
		deliveries: {
			GET: (_body, query) => {
				const since = sinceParam(query);
				return sim.deliveries.filter((delivery) => delivery.seq > since);
			},
		},
		inject: { POST: async (body) => ({ ok: true, ...(await sim.injector.inject(body())) }) },
		keys: { GET: () => sim.webhookKeys() },
		'keys/rotate': {
			POST: (body) => {
				const { dropOld = false } = body();
				if (typeof dropOld !== 'boolean') throw new TypeError('dropOld must be a boolean');
				return { ok: true, ...sim.rotateWebhookKey({ dropOld }) };
			},
		},
		webhooks: {
			GET: () => sim.state.webhooks.map((sub) => ({ ...sub, queue: sim.engine.describe(sub.id) })),
		},
	};
}

module.exports = { webhookAdminEndpoints };
