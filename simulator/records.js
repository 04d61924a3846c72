'use strict';

/**
 * The request log: one record per API request (admin calls are not recorded), kept in a live
 * array that tests read, capped at config.maxRecords with the oldest dropped first.
 */

const crypto = require('node:crypto');
const { TOKEN_PATH } = require('./verify');

/** Appends to a live log, dropping the oldest entries beyond `max`. */
function pushCapped(log, entry, max) {
	log.push(entry);
	const excess = log.length - max;
	if (excess > 0) log.splice(0, excess);
}

class RequestLog {
	constructor() {
		this.records = []; // live: handed out as `requests`, mutated in place
		this.seq = 0;
		this.answerSeq = 0;
	}

	open(req, path, query, maxRecords) {
		const record = {
			seq: ++this.seq,
			requestId: crypto.randomUUID(),
			method: req.method,
			path,
			query,
			headers: { ...req.headers },
			body: '',
			status: null,
			tokenRequest: path === TOKEN_PATH,
			signature: null,
			replayed: false,
			receivedAt: new Date().toISOString(),
		};
		if (typeof req.headers['idempotency-key'] === 'string')
			record.idempotencyKey = req.headers['idempotency-key'];
		pushCapped(this.records, record, maxRecords);
		return record;
	}

	/** Notes that the answer left now: answers are numbered in the order they were sent. */
	answered(record) {
		record.answeredSeq = ++this.answerSeq;
	}

	since(seq) {
		return this.records.filter((r) => r.seq > seq);
	}

	reset() {
		this.records.length = 0;
		this.seq = 0;
		this.answerSeq = 0;
	}
}

module.exports = { RequestLog, pushCapped };
