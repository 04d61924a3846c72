'use strict';

/** POST /auth/token over real HTTP: OAuth client credentials, signed. */

const crypto = require('node:crypto');

const { testClient, exampleClient } = require('../../simulator/fixtures');
const { makeClient, expectProblem, UUID_RE, useSimulator } = require('./helpers');

const uuid = () => crypto.randomUUID();

const suite = useSimulator({ checkReferences: false, tokenTtlSeconds: 1799, latencyMs: 0 });

describe('POST /auth/token', () => {
	test.each([
		['ECDSA P-521', () => suite.ecdsa],
		['Ed25519', () => suite.ed],
	])('issues a bearer token for a request signed with %s', async (_name, client) => {
		const res = await client().tokenRequest({ scope: 'accounts:admin roles:admin' });
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe('application/json');
		expect(res.headers['upvest-request-id']).toMatch(UUID_RE);
		expect(res.json).toEqual({
			access_token: expect.stringMatching(/^ory_at_[A-Za-z0-9_-]+$/),
			expires_in: 1799,
			token_type: 'bearer',
			scope: 'accounts:admin roles:admin',
		});
		expect(suite.sim.state.tokensIssued).toBe(1);
		const record = suite.sim.requests.at(-1);
		expect(record).toMatchObject({
			method: 'POST',
			path: '/auth/token',
			status: 200,
			tokenRequest: true,
			replayed: false,
			signature: { valid: true, keyId: client().key.keyId },
		});
		expect(record.signature.components).not.toContain('authorization');
		expect(record.body).toContain('grant_type=client_credentials');
	});

	test('accepts the reference-vector client with the RFC test keys', async () => {
		const res = await makeClient(suite.sim.url, exampleClient, 'ed25519').tokenRequest({
			scope: 'users:admin accounts:admin',
		});
		expect(res.status).toBe(200);
		expect((await makeClient(suite.sim.url, exampleClient, 'ecdsa').tokenRequest()).status).toBe(
			200,
		);
	});

	test('uses the configured token lifetime', async () => {
		suite.sim.setConfig({ tokenTtlSeconds: 60 });
		expect((await suite.ecdsa.tokenRequest()).json.expires_in).toBe(60);
	});

	test('unknown client id → 401 "Unknown client ID"', async () => {
		expectProblem(
			await suite.ecdsa.tokenRequest({ clientId: uuid() }),
			401,
			'Unknown client ID',
			'unauthorised',
		);
	});

	test('wrong secret → 401 "Invalid client secret"', async () => {
		expectProblem(
			await suite.ecdsa.tokenRequest({ secret: 'nope' }),
			401,
			'Invalid client secret',
			'unauthorised',
		);
	});

	test('a scope the client does not have → 401 naming it', async () => {
		expectProblem(
			await suite.ecdsa.tokenRequest({ scope: 'accounts:admin orders:admin' }),
			401,
			/orders:admin/,
		);
	});

	test('missing fields and a wrong grant_type → 400 naming the field', async () => {
		const form = (fields) =>
			suite.ecdsa.signed({
				method: 'POST',
				path: '/auth/token',
				headers: {
					accept: 'application/json',
					'content-type': 'application/x-www-form-urlencoded',
					'upvest-client-id': testClient.clientId,
				},
				body: new URLSearchParams(fields).toString(),
			});
		const all = {
			client_id: testClient.clientId,
			client_secret: testClient.clientSecret,
			grant_type: 'client_credentials',
			scope: 'accounts:admin',
		};
		for (const field of Object.keys(all)) {
			const { [field]: _omitted, ...rest } = all;
			expectProblem(await form(rest), 400, `Missing required field: ${field}`, 'bad_request');
		}
		expectProblem(await form({ ...all, grant_type: 'password' }), 400, /grant_type/);
		expectProblem(await form({ ...all, audience: 'x' }), 400, 'Unknown field: audience');
	});

	test('the upvest-client-id header must match client_id', async () => {
		const res = await suite.ecdsa.tokenRequest({
			mutate: ({ headers, body }) => ({
				headers: { ...headers, 'upvest-client-id': exampleClient.clientId },
				body,
			}),
		});
		// the header is covered, so changing it after signing breaks the signature first
		expectProblem(res, 401, /^Signature is incorrect/);

		const signedMismatch = await makeClient(suite.sim.url, testClient).signed({
			method: 'POST',
			path: '/auth/token',
			headers: {
				accept: 'application/json',
				'content-type': 'application/x-www-form-urlencoded',
				'upvest-client-id': exampleClient.clientId,
			},
			body: new URLSearchParams({
				client_id: testClient.clientId,
				client_secret: testClient.clientSecret,
				grant_type: 'client_credentials',
				scope: 'accounts:admin',
			}).toString(),
		});
		expectProblem(signedMismatch, 401, 'upvest-client-id header does not match client_id');
	});

	describe('signature problems → 401 "Signature is incorrect…"', () => {
		test('tampered body', async () => {
			const res = await suite.ecdsa.tokenRequest({
				mutate: ({ headers, body }) => ({
					headers,
					body: body.replace('accounts%3Aread', 'accounts%3Aread'.toUpperCase()),
				}),
			});
			expectProblem(
				res,
				401,
				'Signature is incorrect: content-digest does not match the body',
				'unauthorised',
			);
			expect(res.json.title).toBe('Unauthorised');
			expect(suite.sim.requests.at(-1).signature).toMatchObject({
				valid: false,
				error: 'content-digest does not match the body',
			});
		});

		test('key of another client', async () => {
			const res = await makeClient(
				suite.sim.url,
				{ ...testClient, ecdsa: exampleClient.ecdsa },
				'ecdsa',
			).tokenRequest();
			expectProblem(res, 401, 'Signature is incorrect: key id is not registered for this client');
		});

		test('unknown key id', async () => {
			const res = await suite.ecdsa.tokenRequest({ sign: { keyId: uuid() } });
			expectProblem(res, 401, 'Signature is incorrect: unknown key id');
		});

		test('key id of one key, signature by another', async () => {
			const res = await suite.ecdsa.tokenRequest({ sign: { keyId: testClient.ed25519.keyId } });
			expectProblem(res, 401, 'Signature is incorrect: signature does not verify');
		});

		test('replayed nonce', async () => {
			const nonce = uuid();
			expect((await suite.ecdsa.tokenRequest({ sign: { nonce } })).status).toBe(200);
			expectProblem(
				await suite.ecdsa.tokenRequest({ sign: { nonce } }),
				401,
				'Signature is incorrect: nonce has already been used',
			);
		});

		test('missing upvest-signature-version header', async () => {
			const res = await suite.ecdsa.tokenRequest({
				mutate: ({ headers, body }) => {
					const { 'upvest-signature-version': _v, ...rest } = headers;
					return { headers: rest, body };
				},
			});
			expectProblem(res, 401, 'Signature is incorrect: missing upvest-signature-version header');
		});

		test('expired signature', async () => {
			const created = Math.floor(Date.now() / 1000) - 120;
			const res = await suite.ecdsa.tokenRequest({ sign: { created, expires: created + 10 } });
			expectProblem(res, 401, 'Signature is incorrect: signature has expired');
		});
	});
});
