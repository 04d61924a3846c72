'use strict';

/**
 * What the queue-mode tests and the bench run on the cluster: a workflow started by an HTTP POST
 * to a production webhook (so the main puts it on the queue and a worker runs it), which creates
 * one PERSONAL account group per customer in the request body, and the credential of an API
 * client of the simulator.
 *
 *   POST /webhook/<path>  {"customers": [{"userId": "<uuid>"}, ...]}
 *   → Webhook → Split Out (body.customers) → Upvest: Account Group → Create (user, PERSONAL)
 */

const crypto = require('node:crypto');

const { CREDENTIAL_TYPE } = require('../n8n/project');
const { chain, upvestNode, workflow, workflowNode } = require('../workflows');
const { testClient } = require('../../simulator/fixtures');

const CREATE_NODE = 'Create account groups';

/**
 * @param {{ id: string, name: string, path: string, webhookId: string,
 *           credential: { id: string, name: string }, options?: object }} spec
 *   `options` are the Upvest node's options (concurrency, maxAttempts, ...)
 */
function onboardingWorkflow({ id, name, path, webhookId, credential, options = {} }) {
	const webhook = workflowNode(
		'New customers',
		'n8n-nodes-base.webhook',
		2,
		[0, 0],
		{ httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
		{ webhookId },
	);
	const split = workflowNode('One item per customer', 'n8n-nodes-base.splitOut', 1, [220, 0], {
		fieldToSplitOut: 'body.customers',
		include: 'noOtherFields',
		options: {},
	});
	const create = upvestNode(
		CREATE_NODE,
		[440, 0],
		{
			resource: 'accountGroup',
			operation: 'create',
			ownerType: 'user',
			userId: '={{ $json.userId }}',
			accountGroupType: 'PERSONAL',
			options,
		},
		credential,
	);
	return workflow(id, name, [webhook, split, create], chain(webhook.name, split.name, create.name));
}

/** A new API client of the simulator that signs with the fixture Ed25519 key. */
function newClient() {
	return {
		clientId: crypto.randomUUID(),
		clientSecret: `sim_queue_${crypto.randomBytes(24).toString('base64url')}`,
		keyId: crypto.randomUUID(),
	};
}

/**
 * An Upvest API credential (import JSON) for a simulator client registered with the fixture
 * Ed25519 key: `client` is { clientId, clientSecret, keyId }.
 */
function clientCredential(simulatorUrl, client, { id, name }) {
	return {
		id,
		name,
		type: CREDENTIAL_TYPE,
		data: {
			environment: 'custom',
			baseUrl: String(simulatorUrl).replace(/\/+$/, ''),
			clientId: client.clientId,
			clientSecret: client.clientSecret,
			keyId: client.keyId,
			privateKey: testClient.ed25519.privateKeyPem,
			passphrase: '',
			scopes: 'accounts:admin roles:admin',
		},
	};
}

/** The simulator's registration of such a client (for its `clients` option). */
function clientRegistration(client) {
	return {
		clientId: client.clientId,
		clientSecret: client.clientSecret,
		scopes: testClient.scopes,
		keys: [{ keyId: client.keyId, publicKeyPem: testClient.ed25519.publicKeyPem }],
	};
}

module.exports = {
	CREATE_NODE,
	onboardingWorkflow,
	newClient,
	clientCredential,
	clientRegistration,
};
