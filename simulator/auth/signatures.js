'use strict';

/**
 * The signature layer: verifies a request's HTTP Message Signature with verify.js against the
 * registered client keys, remembers nonces, and notes the outcome in the request record.
 */

const { verifyRequest, NonceStore } = require('../verify');

class SignatureLayer {
	/** @param keys Map key id -> { clientId, publicKeys }; @param getConfig () => config */
	constructor(keys, getConfig) {
		this.keys = keys;
		this.getConfig = getConfig;
		this.nonces = new NonceStore();
	}

	/** @returns the verifyRequest result ({ valid, error?, keyId?, clientId?, components? }) */
	verify(ctx) {
		const config = this.getConfig();
		const result = verifyRequest(
			{
				method: ctx.req.method,
				path: ctx.path,
				query: ctx.query,
				headers: ctx.req.headersDistinct,
				body: ctx.body,
			},
			{
				keys: this.keys,
				clockSkewSeconds: config.clockSkewSeconds,
				maxSignatureAgeSeconds: config.maxSignatureAgeSeconds,
				nonceStore: this.nonces,
			},
		);
		const summary = { valid: result.valid };
		if (!result.valid) summary.error = result.error;
		if (result.keyId !== undefined) summary.keyId = result.keyId;
		if (result.components !== undefined) summary.components = result.components;
		ctx.record.signature = summary;
		return result;
	}

	reset() {
		this.nonces.clear();
	}
}

module.exports = { SignatureLayer };
