'use strict';

/** The n8n credential (import JSON) for the simulator's fixture test client, and the local owner login. */

const { CREDENTIAL_TYPE } = require('./project');
const { testClient } = require('../../simulator/fixtures');

/** The fixed local login that `npm start` and the browser tests create (127.0.0.1 only, not a secret). */
const LOCAL_OWNER = Object.freeze({
	email: 'owner@example.com',
	password: 'UpvestLocal-Passw0rd!',
	firstName: 'Local',
	lastName: 'Owner',
});

/** The credential the example workflows in examples/ reference. */
const SIMULATOR_CREDENTIAL = Object.freeze({
	id: 'UpvestSimCred001',
	name: 'Upvest simulator (test client)',
});

/**
 * The scopes that credential requests: every scope the examples need (a personal onboarding:
 * users, checks, accounts and roles; a business onboarding also businesses; the Upvest Trigger
 * webhooks). Other credentials request `accounts:admin roles:admin` unless they say otherwise.
 */
const EXAMPLE_SCOPES =
	'users:admin checks:admin accounts:admin roles:admin businesses:admin webhooks:admin';

/**
 * @param {string} simulatorUrl e.g. http://127.0.0.1:4010
 * @param {'ecdsa'|'ed25519'} [key='ecdsa'] which of the client's registered signing keys to use
 * @param {{id?: string, name?: string, scopes?: string}} [overrides] without an id, the ecdsa
 *   credential is the examples' one (SIMULATOR_CREDENTIAL, EXAMPLE_SCOPES)
 */
function credentialFor(simulatorUrl, key = 'ecdsa', overrides = {}) {
	const signingKey = testClient[key];
	if (!signingKey) throw new Error(`unknown simulator key "${key}": use "ecdsa" or "ed25519"`);
	const isDefault = key === 'ecdsa';
	const isExamples = isDefault && overrides.id === undefined;
	return {
		id: overrides.id ?? (isDefault ? SIMULATOR_CREDENTIAL.id : 'UpvestSimCred002'),
		name:
			overrides.name ??
			(isDefault ? SIMULATOR_CREDENTIAL.name : `${SIMULATOR_CREDENTIAL.name}, Ed25519`),
		type: CREDENTIAL_TYPE,
		data: {
			environment: 'custom',
			baseUrl: String(simulatorUrl).replace(/\/+$/, ''),
			clientId: testClient.clientId,
			clientSecret: testClient.clientSecret,
			keyId: signingKey.keyId,
			privateKey: signingKey.privateKeyPem,
			passphrase: signingKey.passphrase ?? '',
			scopes: overrides.scopes ?? (isExamples ? EXAMPLE_SCOPES : 'accounts:admin roles:admin'),
		},
	};
}

module.exports = { LOCAL_OWNER, SIMULATOR_CREDENTIAL, EXAMPLE_SCOPES, credentialFor };
