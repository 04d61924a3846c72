'use strict';

/**
 * Webhook subscriptions (/webhooks: create, list, get, update, delete, test) and the webhook
 * verification keys (GET /auth/verify_keys). Deliveries are the delivery engine's job.
 */

const crypto = require('node:crypto');
const { isUuid } = require('../validation');
const { problem, jsonResponse, emptyResponse } = require('../http/wire');
const { listRoute } = require('./list');
const { timestampAfter } = require('./lifecycle');
const { validateWebhookCreate, validateWebhookUpdate } = require('../webhooks/validation');
const {
	TEST_EVENT_TYPE,
	WEBHOOK_IDEMPOTENCY_KEY,
	WEBHOOK_PATCH_REPLACES_CONFIG,
} = require('../assumptions');

const READ = ['webhooks:read', 'webhooks:admin'];
const ADMIN = ['webhooks:admin'];
const SORTS = ['created_at', 'updated_at', 'title', 'url', 'enabled'];
const WRITE = { idempotencyKey: WEBHOOK_IDEMPOTENCY_KEY };

/**
 * @param deps {{ items: object[] (live state array), getConfig, guard, engine: DeliveryEngine,
 *                hub: EventHub, keys: KeyRing }}
 */
function createWebhooks({ items, getConfig, guard, engine, hub, keys }) {
	const byId = new Map();
	const strict = () => ({ strict: getConfig().strictWebhookUrls });

	function create(input) {
		const valid = validateWebhookCreate(input, strict());
		if (!valid.ok) return problem(400, valid.detail);
		const v = valid.value;
		const now = new Date().toISOString();
		const sub = {
			id: crypto.randomUUID(),
			created_at: now,
			updated_at: now,
			title: v.title,
			url: v.url,
			enabled: true,
			type: v.type,
			...(v.exclude_type === undefined ? {} : { exclude_type: v.exclude_type }),
			config: v.config ?? {},
		};
		items.push(sub);
		byId.set(sub.id, sub);
		engine.register(sub);
		return jsonResponse(201, sub);
	}

	function find(id) {
		if (!isUuid(id)) return { response: problem(400, 'webhook_id must be a UUID') };
		const sub = byId.get(id.toLowerCase());
		if (!sub) return { response: problem(404, `Webhook ${id} not found`) };
		return { sub };
	}

	function update(id, input) {
		const found = find(id);
		if (found.response) return found.response;
		const valid = validateWebhookUpdate(input, strict());
		if (!valid.ok) return problem(400, valid.detail);
		const { sub } = found;
		const { config, ...rest } = valid.value;
		Object.assign(sub, rest);
		if (config !== undefined)
			sub.config = WEBHOOK_PATCH_REPLACES_CONFIG ? config : { ...sub.config, ...config };
		sub.updated_at = timestampAfter(sub.updated_at);
		engine.kick(sub.id); // enabling, or a new URL, may let waiting events go
		return jsonResponse(200, sub);
	}

	function remove(id) {
		const found = find(id);
		if (found.response) return found.response;
		items.splice(items.indexOf(found.sub), 1);
		byId.delete(found.sub.id);
		engine.remove(found.sub.id);
		return emptyResponse(204);
	}

	function test(id) {
		const found = find(id);
		if (found.response) return found.response;
		const event = hub.make(TEST_EVENT_TYPE, found.sub);
		engine.enqueue(found.sub, { ...event, webhook_id: found.sub.id });
		return emptyResponse(202);
	}

	const withId = (ctx) => ctx.params.webhook_id;
	const routes = [
		{
			method: 'POST',
			path: '/webhooks',
			handler: (ctx) => guard.write(ctx, ADMIN, WRITE, create),
		},
		listRoute({ path: '/webhooks', scopes: READ, guard, getConfig, sorts: SORTS, items }),
		{
			method: 'GET',
			path: '/webhooks/{webhook_id}',
			handler: (ctx) =>
				guard.call(ctx, READ, () => {
					const found = find(withId(ctx));
					return found.response || jsonResponse(200, found.sub);
				}),
		},
		{
			method: 'PATCH',
			path: '/webhooks/{webhook_id}',
			handler: (ctx) => guard.write(ctx, ADMIN, WRITE, (body) => update(withId(ctx), body)),
		},
		{
			method: 'DELETE',
			path: '/webhooks/{webhook_id}',
			handler: (ctx) => guard.call(ctx, ADMIN, () => remove(withId(ctx))),
		},
		{
			method: 'POST',
			path: '/webhooks/{webhook_id}/test',
			handler: (ctx) => guard.call(ctx, ADMIN, () => test(withId(ctx))),
		},
		{
			method: 'GET',
			path: '/auth/verify_keys',
			handler: (ctx) => guard.call(ctx, READ, () => jsonResponse(200, keys.jwks())),
		},
	];

	return {
		routes,
		find: (id) => (isUuid(id) ? byId.get(id.toLowerCase()) : undefined),
		all: () => items,
		reset() {
			items.length = 0;
			byId.clear();
		},
	};
}

module.exports = { createWebhooks };
