'use strict';

/** HTTP helpers for the simulator tests: raw node:http, one connection per request. */

const crypto = require('node:crypto');
const { sendRequest } = require('../../scripts/http-client');
const { signRequest } = require('./sign-for-test');
const { testClient } = require('../../simulator/fixtures');
const { startSimulator } = require('../../simulator/server');

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

	/** A signed API call without a body (GET, DELETE, POST …/test); `query` is the raw query. */
	function call(method, path, accessToken, { query = null, headers = {}, ...rest } = {}) {
		return signed({
			method,
			path,
			query,
			headers: {
				accept: 'application/json',
				authorization: `Bearer ${accessToken}`,
				'upvest-api-version': '1',
				'upvest-client-id': client.clientId,
				...headers,
			},
			...rest,
		});
	}

	/** A signed JSON write with any method (PATCH); `idempotencyKey: null` sends none. */
	function write(method, path, accessToken, payload, { idempotencyKey = null, headers = {} } = {}) {
		const extra = idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey };
		return call(method, path, accessToken, {
			headers: { 'content-type': 'application/json', ...extra, ...headers },
			body: JSON.stringify(payload),
		});
	}

	return { signed, tokenRequest, token, post, call, write, client, key };
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Asserts an Upvest problem+json answer; `detail` is a string or a RegExp. */
function expectProblem(res, status, detail, slug) {
	expect(res.status).toBe(status);
	expect(res.headers['content-type']).toBe('application/problem+json');
	expect(res.headers['upvest-request-id']).toMatch(UUID_RE);
	expect(res.json).toMatchObject({ status, request_id: res.headers['upvest-request-id'] });
	expect(res.json.type).toBe(
		`https://docs.upvest.co/errors/${slug || res.json.type.split('/').pop()}`,
	);
	if (detail instanceof RegExp) expect(res.json.detail).toMatch(detail);
	else if (detail !== undefined) expect(res.json.detail).toBe(detail);
}

/**
 * Jest hooks for a test file: one simulator (port 0), reset before each test with `config`
 * applied. The returned object holds `sim`, signing clients `ecdsa` and `ed` (the fixture test
 * client's two keys) and `client` (the one named by `key`) once the simulator runs.
 */
function useSimulator(config = {}, { key = 'ed25519' } = {}) {
	const suite = {};
	beforeAll(async () => {
		suite.sim = await startSimulator({ port: 0 });
		suite.ecdsa = makeClient(suite.sim.url, testClient, 'ecdsa');
		suite.ed = makeClient(suite.sim.url, testClient, 'ed25519');
		suite.client = key === 'ecdsa' ? suite.ecdsa : suite.ed;
	});
	afterAll(() => suite.sim.close());
	beforeEach(() => {
		suite.sim.reset();
		suite.sim.setConfig(config);
	});
	return suite;
}

module.exports = { send, admin, makeClient, useSimulator, expectProblem, UUID_RE };
