'use strict';

/**
 * Private keys that Upvest does not accept (it signs with ECDSA P-521 or Ed25519 only), generated
 * once per test file, for the credential's key checks. They are secrets like any other key: the
 * leak checks search for them too.
 */

const crypto = require('node:crypto');

/** PEM of a new private key of `type` (and `options`), in the given export layout. */
function privateKeyPem(type, options, layout = 'pkcs8') {
	return crypto
		.generateKeyPairSync(type, options)
		.privateKey.export({ type: layout, format: 'pem' });
}

/**
 * @returns {{rsa: string, p256: string, p256Sec1: string, ed448: string}} PEMs: RSA 2048, ECDSA
 *   P-256 as PKCS#8 and as SEC1, Ed448.
 */
function unusableKeys() {
	return {
		rsa: privateKeyPem('rsa', { modulusLength: 2048 }),
		p256: privateKeyPem('ec', { namedCurve: 'prime256v1' }),
		p256Sec1: privateKeyPem('ec', { namedCurve: 'prime256v1' }, 'sec1'),
		ed448: privateKeyPem('ed448'),
	};
}

module.exports = { unusableKeys };
