'use strict';

/**
 * The idempotency store: per (client, path, key) the hash of the first successful request body
 * and its response. The same key and body get that response again; another body gets a 422.
 * Only successes are remembered, so a failed attempt does not consume its key.
 */

const { sha512Digest } = require('./verify');
const { problem } = require('./http/wire');

class IdempotencyStore {
	constructor() {
		this.entries = new Map(); // client \n path \n key -> { bodyHash, response }
	}

	/**
	 * Runs `perform()` unless this key already answered: then the stored response (marked as a
	 * replay) or a 422 for another body. `onReplay` runs when a stored answer is returned.
	 */
	run({ clientId, path, key, body }, perform, onReplay) {
		const storeKey = `${clientId}\n${path}\n${key.toLowerCase()}`;
		const bodyHash = sha512Digest(body).toString('hex');
		const previous = this.entries.get(storeKey);
		if (previous) {
			if (previous.bodyHash !== bodyHash) {
				return problem(422, 'Idempotency key was already used with a different request body');
			}
			onReplay();
			return {
				...previous.response,
				headers: { ...previous.response.headers, 'upvest-idempotent-replay': 'true' },
			};
		}
		const response = perform();
		if (response.status >= 200 && response.status < 300) {
			this.entries.set(storeKey, { bodyHash, response });
		}
		return response;
	}

	clear() {
		this.entries.clear();
	}
}

module.exports = { IdempotencyStore };
