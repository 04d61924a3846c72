'use strict';

/**
 * The delivery engine, one queue per subscription, in order: events wait for the batch delay,
 * go out as one signed POST `{"payload":[...]}` of at most max_package_size bytes, count as
 * delivered only on HTTP 200, and are otherwise retried with Upvest's backoff (1, 2, 3, 5, 8 …
 * 600 s, forever), holding back every later event of that subscription meanwhile.
 */

const { sendDelivery } = require('./sender');
const { pushCapped } = require('../records');
const { signDelivery, digestHeader, deliveryComponents } = require('./signer');
const { DEFAULT_MAX_PACKAGE_SIZE } = require('../assumptions');

/** Seconds to wait after the n-th failed attempt (index n - 1): Fibonacci steps up to 600. */
const BACKOFF_SECONDS = [1, 2];
while (BACKOFF_SECONDS.at(-1) < 600)
	BACKOFF_SECONDS.push(BACKOFF_SECONDS.at(-1) + BACKOFF_SECONDS.at(-2));
BACKOFF_SECONDS[BACKOFF_SECONDS.length - 1] = 600;

function backoffMs(failures, scale) {
	const seconds = BACKOFF_SECONDS[Math.min(failures, BACKOFF_SECONDS.length) - 1];
	return Math.round(seconds * 1000 * scale);
}

/** A subscription's config.delay ("1s" to "30s") in milliseconds. */
const delayMs = (delay) => Number(delay.slice(0, -1)) * 1000;

/** The request body of a batch: exactly these bytes are signed, sent and resent. */
const batchBody = (events) => Buffer.from(JSON.stringify({ payload: events }), 'utf8');

class DeliveryEngine {
	/**
	 * @param deps {{ getConfig, keys: KeyRing, scheduler: Scheduler, log: object[] (live) }}
	 */
	constructor({ getConfig, keys, scheduler, log }) {
		this.getConfig = getConfig;
		this.keys = keys;
		this.scheduler = scheduler;
		this.log = log;
		this.queues = new Map(); // webhook id -> queue state
		this.inFlight = new Set(); // client requests, aborted on reset and close
		this.seq = 0;
	}

	/** Starts the queue of a new subscription (the live API object). */
	register(sub) {
		this.queues.set(sub.id, {
			sub,
			waiting: [], // { event, at } not yet in a batch
			batch: null, // { events, body, headers? } being delivered or retried
			timer: null,
			sending: false,
			failures: 0,
			lastDelivered: null, // { url, headers, body, events } of the last 200
		});
	}

	/** Deleting a subscription drops its queue; an answer still on its way is ignored. */
	remove(id) {
		const q = this.queues.get(id);
		if (!q) return;
		q.removed = true;
		if (q.timer) this.scheduler.cancel(q.timer);
		this.queues.delete(id);
	}

	enqueue(sub, event) {
		const q = this.queues.get(sub.id);
		if (!q) return;
		q.waiting.push({ event, at: Date.now() });
		this.kick(sub.id);
	}

	/** Sends what is due unless the queue is disabled, busy, or waiting for its timer. */
	kick(id) {
		const q = this.queues.get(id);
		if (!q || !q.sub.enabled || q.sending || q.timer) return;
		if (q.batch) {
			this.attempt(q);
			return;
		}
		if (q.waiting.length === 0) return;
		const delay = q.sub.config.delay
			? delayMs(q.sub.config.delay)
			: this.getConfig().webhookBatchDelayMs;
		const wait = Math.max(0, q.waiting[0].at + delay - Date.now());
		q.timer = this.scheduler.after(wait, () => {
			q.timer = null;
			this.attempt(q);
		});
	}

	/** The oldest waiting events that fit in max_package_size bytes (at least one). */
	takeBatch(q) {
		const limit = q.sub.config.max_package_size ?? DEFAULT_MAX_PACKAGE_SIZE;
		const events = [];
		let size = batchBody([]).length;
		while (q.waiting.length > 0) {
			const next = Buffer.byteLength(JSON.stringify(q.waiting[0].event)) + (events.length ? 1 : 0);
			if (events.length > 0 && size + next > limit) break;
			events.push(q.waiting.shift().event);
			size += next;
		}
		return { events, body: batchBody(events) };
	}

	/**
	 * Content headers and a fresh signature with the current key; `uncovered` leaves components
	 * out of the signature, the other options override the signer's (key, kid, times).
	 */
	signedHeaders(url, body, { uncovered = [], ...sign } = {}) {
		const headers = {
			'content-type': 'application/json',
			'content-length': String(body.length),
			digest: digestHeader(body),
		};
		const key = this.keys.current;
		const target = new URL(url);
		const query = target.search === '' ? null : target.search.slice(1);
		const signed = signDelivery({
			path: target.pathname,
			query,
			components: deliveryComponents(query !== null).filter((name) => !uncovered.includes(name)),
			headers,
			privateKey: key.privateKey,
			keyid: key.kid,
			...sign,
		});
		return { ...headers, 'signature-input': signed.signatureInput, signature: signed.signature };
	}

	attempt(q) {
		if (q.removed || !q.sub.enabled || q.sending) return;
		if (!q.batch) {
			if (q.waiting.length === 0) return;
			q.batch = this.takeBatch(q);
		}
		const { batch, sub } = q;
		const url = sub.url;
		// A retry is signed afresh unless resignRetries is off: then it is the same request again.
		if (!batch.headers || this.getConfig().resignRetries) {
			batch.headers = this.signedHeaders(url, batch.body);
		}
		q.sending = true;
		this.send(sub.id, url, batch.headers, batch.body, batch.events, {
			attempt: q.failures + 1,
		}).then((result) => {
			q.sending = false;
			if (q.removed) return;
			if (result.status === 200) {
				q.lastDelivered = { url, headers: batch.headers, body: batch.body, events: batch.events };
				q.batch = null;
				q.failures = 0;
				this.kick(sub.id);
				return;
			}
			q.failures++;
			q.timer = this.scheduler.after(
				backoffMs(q.failures, this.getConfig().webhookRetryScale),
				() => {
					q.timer = null;
					this.attempt(q);
				},
			);
		});
	}

	/** One POST, recorded in the delivery log; resolves to the sender's result. */
	async send(webhookId, url, headers, body, events, { attempt = 1, injected } = {}) {
		const record = {
			seq: ++this.seq,
			webhookId,
			url,
			attempt,
			eventIds: events.map((event) => event.id),
			eventTypes: events.map((event) => event.type),
			status: null,
			injected: injected !== undefined,
			startedAt: new Date().toISOString(),
			headers: { ...headers },
			body: body.toString('utf8'),
		};
		if (injected !== undefined) record.kind = injected;
		pushCapped(this.log, record, this.getConfig().maxRecords);

		const result = await sendDelivery(url, {
			headers,
			body,
			timeoutMs: this.getConfig().webhookTimeoutMs,
			track: (req) => {
				this.inFlight.add(req);
				return () => this.inFlight.delete(req);
			},
		});
		if (result.error !== undefined) record.error = result.error;
		else {
			record.status = result.status;
			record.answer = result.body;
		}
		record.finishedAt = new Date().toISOString();
		return result;
	}

	/** Queue state for inspection. */
	describe(id) {
		const q = this.queues.get(id);
		if (!q) return undefined;
		return {
			waiting: q.waiting.length,
			inBatch: q.batch ? q.batch.events.length : 0,
			failures: q.failures,
			blocked: q.failures > 0,
		};
	}

	lastDelivered(id) {
		return this.queues.get(id)?.lastDelivered ?? null;
	}

	/** Drops every queue, timer and request in flight (reset and close). */
	clear() {
		for (const id of [...this.queues.keys()]) this.remove(id);
		for (const req of this.inFlight) req.destroy();
		this.inFlight.clear();
		this.log.length = 0;
		this.seq = 0;
	}
}

module.exports = { DeliveryEngine, BACKOFF_SECONDS, backoffMs, delayMs, batchBody };
