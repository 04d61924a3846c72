'use strict';

/**
 * The client registry: API clients (id, secret, allowed scopes, licence model) and the public keys
 * registered under each key id, which must belong to exactly one client.
 */

const crypto = require('node:crypto');
const { LICENCE_MODELS } = require('../config');

/**
 * @param list {Array<{ clientId, clientSecret, scopes: string|string[], licenceModel?: 'BYOL'|'TOL',
 *                      keys?: Array<{ keyId, publicKey?|publicKeyPem? }> }>}
 *   `licenceModel`: the user bodies the client sends (without one, either is taken)
 * @returns {{ clients: Map<string, { clientId, clientSecret, scopes: Set<string>, licenceModel? }>,
 *             keys: Map<string, { clientId, publicKeys: crypto.KeyObject[] }> }}
 */
function registerClients(list) {
	if (!Array.isArray(list) || list.length === 0)
		throw new TypeError('clients must be a non-empty array');
	const clients = new Map();
	const keys = new Map();
	for (const c of list) {
		if (!c || typeof c.clientId !== 'string' || typeof c.clientSecret !== 'string') {
			throw new TypeError('each client needs a clientId and clientSecret string');
		}
		if (c.licenceModel !== undefined && !LICENCE_MODELS.includes(c.licenceModel))
			throw new TypeError(`client ${c.clientId}: licenceModel must be BYOL or TOL`);
		const scopes = Array.isArray(c.scopes) ? c.scopes : String(c.scopes || '').split(/\s+/);
		clients.set(c.clientId, {
			clientId: c.clientId,
			clientSecret: c.clientSecret,
			scopes: new Set(scopes.filter(Boolean)),
			licenceModel: c.licenceModel,
		});
		for (const k of c.keys || []) {
			const publicKey = crypto.createPublicKey(k.publicKey || k.publicKeyPem);
			const type = publicKey.asymmetricKeyType;
			const curve = publicKey.asymmetricKeyDetails && publicKey.asymmetricKeyDetails.namedCurve;
			if (!(type === 'ed25519' || (type === 'ec' && curve === 'secp521r1'))) {
				throw new TypeError(`key ${k.keyId}: only ECDSA P-521 and Ed25519 keys are accepted`);
			}
			const existing = keys.get(k.keyId);
			if (existing && existing.clientId !== c.clientId) {
				throw new TypeError(`key id ${k.keyId} is registered for two clients`);
			}
			if (existing) existing.publicKeys.push(publicKey);
			else keys.set(k.keyId, { clientId: c.clientId, publicKeys: [publicKey] });
		}
	}
	return { clients, keys };
}

module.exports = { registerClients };
