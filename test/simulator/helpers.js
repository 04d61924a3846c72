'use strict';

/** HTTP helpers for the simulator tests: raw node:http, one connection per request. */

const crypto = require('node:crypto');
const { sendRequest } = require('../../scripts/http-client');
const { signRequest } = require('./sign-for-test');
const { testClient } = require('../../simulator/fixtures');

/** Sends a request with exactly these headers and body; resolves { status, headers, text, json }. */
const send = (baseUrl, { method = 'GET', path, headers = {}, body }) =>
	sendRequest(new URL(path, baseUrl), { method, headers, body });

const admin = (baseUrl, method, path, body) =>
	send(baseUrl, {
		method,
		path: `/__simulator/${path}`,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});

/**
 * A signing Upvest client bound to a fixture client and one of its keys.
 * `overrides` tweak single requests (extra headers, sign options, body tampering).
 */
function makeClient(baseUrl, client = testClient, keyKind = 'ecdsa') {
	const key = client[keyKind];

	function signed({ method, path, query = null, headers, body = '', sign = {}, mutate }) {
		let all = signRequest({
			method,
			path,
			query,
			headers,
			body,
			keyId: key.keyId,
			privateKey: key.privateKeyPem,
			passphrase: key.passphrase,
			...sign,
		});
		let sentBody = body;
		if (mutate) ({ headers: all, body: sentBody } = mutate({ headers: all, body }));
		return send(baseUrl, {
			method,
			path: query !== null ? `${path}?${query}` : path,
			headers: all,
			body: sentBody === '' ? undefined : sentBody,
		});
	}

	function tokenRequest({
		scope = client.scopes,
		secret = client.clientSecret,
		clientId = client.clientId,
		...rest
	} = {}) {
		const form = new URLSearchParams({
			client_id: clientId,
			client_secret: secret,
			grant_type: 'client_credentials',
			scope,
		}).toString();
		return signed({
			method: 'POST',
			path: '/auth/token',
			headers: {
				accept: 'application/json',
				'content-type': 'application/x-www-form-urlencoded',
				'upvest-api-version': '1',
				'upvest-client-id': client.clientId,
			},
			body: form,
			...rest,
		});
	}

	async function token(scope) {
		const res = await tokenRequest({ scope });
		if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
		return res.json.access_token;
	}

	function post(
		path,
		accessToken,
		payload,
		{ idempotencyKey = crypto.randomUUID(), headers = {}, ...rest } = {},
	) {
		const base = {
			accept: 'application/json',
			authorization: `Bearer ${accessToken}`,
			'content-type': 'application/json',
			'upvest-api-version': '1',
			'upvest-client-id': client.clientId,
		};
		if (idempotencyKey !== null) base['idempotency-key'] = idempotencyKey;
		return signed({
			method: 'POST',
			path,
			headers: { ...base, ...headers },
			body: typeof payload === 'string' ? payload : JSON.stringify(payload),
			...rest,
		});
	}

	return { signed, tokenRequest, token, post, client, key };
}

module.exports = { send, admin, makeClient };
