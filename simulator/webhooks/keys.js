'use strict';

/**
 * The webhook signing keys: P-521 key pairs with a UUID kid each, the JWKS that
 * GET /auth/verify_keys publishes, and rotation (the new key signs from then on; older keys stay
 * published unless dropped).
 */

const crypto = require('node:crypto');

function newKey(kid = crypto.randomUUID()) {
	const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'secp521r1' });
	return { kid, privateKey, publicKey };
}

/** The public JWK as Upvest publishes it: {kid, kty: EC, crv: P-521, x, y}, base64url. */
function publicJwk(key) {
	const { kty, crv, x, y } = key.publicKey.export({ format: 'jwk' });
	return { kid: key.kid, kty, crv, x, y };
}

class KeyRing {
	/** @param initial optional { kid, privateKey } (a KeyObject or PEM) to start with */
	constructor(initial) {
		if (initial) {
			const privateKey =
				initial.privateKey instanceof crypto.KeyObject
					? initial.privateKey
					: crypto.createPrivateKey(initial.privateKey);
			const details = privateKey.asymmetricKeyDetails;
			if (privateKey.asymmetricKeyType !== 'ec' || details?.namedCurve !== 'secp521r1')
				throw new TypeError('webhookKey must be an ECDSA P-521 private key');
			const kid = initial.kid ?? crypto.randomUUID();
			this.initial = { kid, privateKey, publicKey: crypto.createPublicKey(privateKey) };
		} else {
			this.initial = newKey();
		}
		this.reset();
	}

	/** Back to the key the simulator started with. */
	reset() {
		this.current = this.initial;
		this.published = [this.initial];
	}

	/** A new signing key; the older ones stay published unless `dropOld`. */
	rotate({ dropOld = false } = {}) {
		const key = newKey();
		this.published = dropOld ? [key] : [...this.published, key];
		this.current = key;
		return key;
	}

	jwks() {
		return { keys: this.published.map(publicJwk) };
	}
}

module.exports = { KeyRing, newKey, publicJwk };
