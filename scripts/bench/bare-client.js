'use strict';

/**
 * The bare script the node is compared with: axios in this process, one request after another,
 * each signed by the bare signer, no package code. Its token request counts in its time, as the
 * node's does in `executionTime`. By default Node's global agent keeps the connection alive; with
 * `newConnection` every request gets a fresh agent and so a fresh TCP connection, which is what
 * n8n's request helper does for every request a node sends.
 */

const http = require('node:http');
const { performance } = require('node:perf_hooks');

const axios = require('axios');

const { testClient, parseKey, bareSign, bodyHeaders } = require('./bare-signer');
const { startMonitor, summarizeSamples } = require('./monitor');

const SCOPES = 'accounts:admin roles:admin';

async function bareClient(baseUrl, keyName, { newConnection = false } = {}) {
	const key = parseKey(keyName);
	const common = { 'upvest-api-version': '1', 'upvest-client-id': testClient.clientId };
	const send = (method, pathname, { query = '', headers, body }) =>
		axios.request({
			method,
			url: `${baseUrl}${pathname}${query ? `?${query}` : ''}`,
			data: body,
			headers: {
				...headers,
				...bareSign({ method, pathname, query, headers, keyName, key }),
			},
			validateStatus: () => true,
			...(newConnection ? { httpAgent: new http.Agent() } : {}),
		});

	const form = new URLSearchParams({
		client_id: testClient.clientId,
		client_secret: testClient.clientSecret,
		grant_type: 'client_credentials',
		scope: SCOPES,
	}).toString();
	const tokenResponse = await send('POST', '/auth/token', {
		body: form,
		headers: {
			accept: 'application/json',
			'content-type': 'application/x-www-form-urlencoded',
			...bodyHeaders(Buffer.from(form, 'utf8')),
			...common,
		},
	});
	if (tokenResponse.status !== 200)
		throw new Error(`bare token request answered ${tokenResponse.status}`);
	const authorization = `Bearer ${tokenResponse.data.access_token}`;

	return {
		/** POST of a JSON body with an idempotency key. */
		post(pathname, json, idempotencyKey) {
			const body = Buffer.from(JSON.stringify(json), 'utf8');
			const headers = {
				accept: 'application/json',
				authorization,
				'content-type': 'application/json',
				...bodyHeaders(body),
				'idempotency-key': idempotencyKey,
				...common,
			};
			return send('POST', pathname, { headers, body });
		},
		/** GET with a raw query (no `?`). */
		get(pathname, query) {
			const headers = { accept: 'application/json', authorization, ...common };
			return send('GET', pathname, { query, headers });
		},
	};
}

/**
 * Times `work(client)` from before the token request to its end, under the /proc monitor.
 * Resolves { startedAt (epoch ms), ms, result, records, usage }: `usage` has this process's and the
 * simulator's CPU time and the other load on the machine.
 */
async function measureBare(ctx, keyName, options, work) {
	const monitor = startMonitor({ simulatorPid: ctx.sim.pid });
	const startedAt = Date.now();
	const started = performance.now();
	let result;
	let samples;
	try {
		const client = await bareClient(ctx.sim.url, keyName, options);
		result = await work(client);
	} finally {
		samples = monitor.stop().samples;
	}
	const ms = performance.now() - started;
	const records = await ctx.sim.takeRecords();
	return { startedAt, ms, result, records, usage: summarizeSamples(samples) };
}

module.exports = { bareClient, measureBare };
