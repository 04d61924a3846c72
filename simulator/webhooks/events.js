'use strict';

/**
 * Webhook events: `{id, created_at, type, object, webhook_id}` made from what happens in the
 * simulator (or from the admin API), with nanosecond-style RFC 3339 times that strictly increase,
 * fanned out to every subscription whose categories take the event.
 */

const crypto = require('node:crypto');
const { pushCapped } = require('../records');
const { subscribed } = require('./categories');

const EVENT_TYPE_RE = /^[A-Z][A-Z0-9_]*\.[A-Z][A-Z0-9_]*$/;
const NS_PER_MS = 1000000n;

/** RFC 3339 UTC times with nine fraction digits, each later than the one before. */
class EventClock {
	constructor() {
		this.last = 0n;
	}

	now() {
		const subMs = BigInt(Math.floor((performance.now() % 1) * 1e6));
		let ns = BigInt(Date.now()) * NS_PER_MS + subMs;
		if (ns <= this.last) ns = this.last + 1n;
		this.last = ns;
		const seconds = new Date(Number(ns / NS_PER_MS)).toISOString().slice(0, 19);
		const fraction = String(ns % 1000000000n).padStart(9, '0');
		return `${seconds}.${fraction}Z`;
	}
}

class EventHub {
	/**
	 * @param deps {{ log: object[] (live, capped), getConfig, subscriptions: () => Iterable<sub>,
	 *                deliver: (sub, event) => void }}
	 */
	constructor({ log, getConfig, subscriptions, deliver }) {
		this.log = log;
		this.getConfig = getConfig;
		this.subscriptions = subscriptions;
		this.deliver = deliver;
		this.clock = new EventClock();
	}

	/** A new event (without webhook_id) for `object` as the API shows it now. */
	make(type, object) {
		if (typeof type !== 'string' || !EVENT_TYPE_RE.test(type))
			throw new TypeError('type must look like CATEGORY.ACTION (e.g. USER.ACTIVATED)');
		if (object === null || typeof object !== 'object' || Array.isArray(object))
			throw new TypeError('object must be a JSON object');
		return {
			id: crypto.randomUUID(),
			created_at: this.clock.now(),
			type,
			object: JSON.parse(JSON.stringify(object)),
		};
	}

	/** Emits an event to every subscription that takes it. Returns the event and their ids. */
	emit(type, object) {
		const event = this.make(type, object);
		const webhookIds = [];
		for (const sub of this.subscriptions()) {
			if (!subscribed(sub, type)) continue;
			this.deliver(sub, { ...event, webhook_id: sub.id });
			webhookIds.push(sub.id);
		}
		pushCapped(this.log, { ...event, webhook_ids: webhookIds }, this.getConfig().maxRecords);
		return { event, webhookIds };
	}
}

module.exports = { EventHub, EventClock, EVENT_TYPE_RE };
