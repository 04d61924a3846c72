'use strict';

/**
 * Extra deliveries that test a webhook receiver: each one a single POST to a subscription's URL,
 * outside its queue, answered with what the receiver said. Kinds: forged, unknown-key, tampered,
 * stale, future, replayed, duplicate, missing-headers, unsigned-digest (see docs/simulator.md).
 */

const crypto = require('node:crypto');
const { newKey } = require('./keys');
const { batchBody } = require('./delivery');
const { notFound } = require('../http/wire');
const { TEST_EVENT_TYPE } = require('../assumptions');

const HOUR = 3600;
const KINDS = [
	'forged',
	'unknown-key',
	'tampered',
	'stale',
	'future',
	'replayed',
	'duplicate',
	'missing-headers',
	'unsigned-digest',
];

const conflict = (message) => Object.assign(new Error(message), { status: 409 });

/** Changes one hex digit of the first event id: same length, so only the digest tells. */
function tamper(body) {
	const text = body.toString('utf8');
	const at = text.indexOf('"id":"') + 6;
	const digit = text[at] === 'a' ? 'b' : 'a';
	return Buffer.from(text.slice(0, at) + digit + text.slice(at + 1), 'utf8');
}

class Injector {
	/** @param deps {{ engine: DeliveryEngine, hub: EventHub, keys: KeyRing, findWebhook }} */
	constructor({ engine, hub, keys, findWebhook }) {
		this.engine = engine;
		this.hub = hub;
		this.keys = keys;
		this.findWebhook = findWebhook;
		this.strangerKey = null; // a P-521 key no JWKS publishes, made on first use
	}

	stranger() {
		this.strangerKey ??= newKey();
		return this.strangerKey;
	}

	/** { webhookId, kind, type?, object? } -> what the receiver answered. */
	async inject({ webhookId, kind, type, object } = {}) {
		if (!KINDS.includes(kind)) throw new TypeError(`kind must be one of ${KINDS.join(', ')}`);
		const sub = this.findWebhook(webhookId);
		if (!sub) throw notFound(`Webhook ${webhookId} not found`);
		const request = this.build(sub, kind, { type, object });
		const result = await this.engine.send(
			sub.id,
			sub.url,
			request.headers,
			request.body,
			request.events,
			{ injected: kind },
		);
		return {
			kind,
			webhookId: sub.id,
			eventIds: request.events.map((event) => event.id),
			delivery: this.engine.seq,
			...(result.error !== undefined
				? { error: result.error }
				: { status: result.status, body: result.body }),
		};
	}

	build(sub, kind, { type, object }) {
		const last = this.engine.lastDelivered(sub.id);
		if (kind === 'replayed' || kind === 'duplicate') {
			if (!last) throw conflict(`Webhook ${sub.id} has no delivered request yet`);
			// replayed: the same bytes and headers; duplicate: Upvest delivering the events again.
			const headers =
				kind === 'replayed' ? last.headers : this.engine.signedHeaders(sub.url, last.body);
			return { headers, body: last.body, events: last.events };
		}
		const event = this.hub.make(type ?? TEST_EVENT_TYPE, object ?? sub);
		const events = [{ ...event, webhook_id: sub.id }];
		const body = batchBody(events);
		const now = Math.floor(Date.now() / 1000);
		const sign = {
			forged: { privateKey: this.stranger().privateKey },
			'unknown-key': { privateKey: this.stranger().privateKey, keyid: crypto.randomUUID() },
			stale: { created: now - HOUR, expires: now - HOUR + 60 },
			future: { created: now + HOUR, expires: now + HOUR + 60 },
			'unsigned-digest': { uncovered: ['digest'] },
		}[kind];
		const headers = this.engine.signedHeaders(sub.url, body, sign);
		if (kind === 'tampered') return { headers, body: tamper(body), events };
		if (kind === 'missing-headers') {
			const { signature: _signature, 'signature-input': _input, ...unsigned } = headers;
			return { headers: unsigned, body, events };
		}
		return { headers, body, events };
	}
}

module.exports = { Injector, INJECTION_KINDS: KINDS };
