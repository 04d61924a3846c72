'use strict';

/** Upvest behaviour of the simulator over real HTTP (port 0, loopback). */

const crypto = require('node:crypto');
const { startSimulator } = require('../../simulator/server');
const { testClient, exampleClient } = require('../../simulator/fixtures');
const { send, admin, makeClient } = require('./helpers');

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const uuid = () => crypto.randomUUID();

let sim;
let ecdsa;
let ed;

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
	ecdsa = makeClient(sim.url, testClient, 'ecdsa');
	ed = makeClient(sim.url, testClient, 'ed25519');
});

afterAll(() => sim.close());

beforeEach(() => {
	sim.reset();
	sim.setConfig({ checkReferences: false, tokenTtlSeconds: 1799, latencyMs: 0 });
});

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

describe('server basics', () => {
	test('listens on loopback only and refuses other hosts', async () => {
		expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
		await expect(startSimulator({ host: '0.0.0.0' })).rejects.toThrow(/loopback-only/);
	});

	test('unknown paths are 404 and wrong methods 405, as problem+json', async () => {
		expectProblem(
			await send(sim.url, { path: '/users' }),
			404,
			'No endpoint at /users',
			'not_found',
		);
		const res = await send(sim.url, { path: '/account_groups' });
		expectProblem(res, 405, 'Method GET is not allowed on /account_groups', 'method_not_allowed');
		expect(res.headers.allow).toBe('POST');
		expect(res.json.title).toBe('Method Not Allowed');
	});

	test('bodies over 1 MB are rejected with 413', async () => {
		const res = await send(sim.url, {
			method: 'POST',
			path: '/account_groups',
			headers: { 'content-type': 'application/json' },
			body: Buffer.alloc(1024 * 1024 + 1, 0x20),
		});
		expectProblem(res, 413, undefined, 'payload_too_large');
		expect(sim.requests.at(-1).status).toBe(413);
	});
});

describe('POST /auth/token', () => {
	test.each([
		['ECDSA P-521', () => ecdsa],
		['Ed25519', () => ed],
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
		expect(sim.state.tokensIssued).toBe(1);
		const record = sim.requests.at(-1);
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
		const res = await makeClient(sim.url, exampleClient, 'ed25519').tokenRequest({
			scope: 'users:admin accounts:admin',
		});
		expect(res.status).toBe(200);
		expect((await makeClient(sim.url, exampleClient, 'ecdsa').tokenRequest()).status).toBe(200);
	});

	test('uses the configured token lifetime', async () => {
		sim.setConfig({ tokenTtlSeconds: 60 });
		expect((await ecdsa.tokenRequest()).json.expires_in).toBe(60);
	});

	test('unknown client id → 401 "Unknown client ID"', async () => {
		expectProblem(
			await ecdsa.tokenRequest({ clientId: uuid() }),
			401,
			'Unknown client ID',
			'unauthorised',
		);
	});

	test('wrong secret → 401 "Invalid client secret"', async () => {
		expectProblem(
			await ecdsa.tokenRequest({ secret: 'nope' }),
			401,
			'Invalid client secret',
			'unauthorised',
		);
	});

	test('a scope the client does not have → 401 naming it', async () => {
		expectProblem(
			await ecdsa.tokenRequest({ scope: 'accounts:admin orders:admin' }),
			401,
			/orders:admin/,
		);
	});

	test('missing fields and a wrong grant_type → 400 naming the field', async () => {
		const form = (fields) =>
			ecdsa.signed({
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
		const res = await ecdsa.tokenRequest({
			mutate: ({ headers, body }) => ({
				headers: { ...headers, 'upvest-client-id': exampleClient.clientId },
				body,
			}),
		});
		// the header is covered, so changing it after signing breaks the signature first
		expectProblem(res, 401, /^Signature is incorrect/);

		const signedMismatch = await makeClient(sim.url, testClient).signed({
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
			const res = await ecdsa.tokenRequest({
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
			expect(sim.requests.at(-1).signature).toMatchObject({
				valid: false,
				error: 'content-digest does not match the body',
			});
		});

		test('key of another client', async () => {
			const res = await makeClient(
				sim.url,
				{ ...testClient, ecdsa: exampleClient.ecdsa },
				'ecdsa',
			).tokenRequest();
			expectProblem(res, 401, 'Signature is incorrect: key id is not registered for this client');
		});

		test('unknown key id', async () => {
			const res = await ecdsa.tokenRequest({ sign: { keyId: uuid() } });
			expectProblem(res, 401, 'Signature is incorrect: unknown key id');
		});

		test('key id of one key, signature by another', async () => {
			const res = await ecdsa.tokenRequest({ sign: { keyId: testClient.ed25519.keyId } });
			expectProblem(res, 401, 'Signature is incorrect: signature does not verify');
		});

		test('replayed nonce', async () => {
			const nonce = uuid();
			expect((await ecdsa.tokenRequest({ sign: { nonce } })).status).toBe(200);
			expectProblem(
				await ecdsa.tokenRequest({ sign: { nonce } }),
				401,
				'Signature is incorrect: nonce has already been used',
			);
		});

		test('missing upvest-signature-version header', async () => {
			const res = await ecdsa.tokenRequest({
				mutate: ({ headers, body }) => {
					const { 'upvest-signature-version': _v, ...rest } = headers;
					return { headers: rest, body };
				},
			});
			expectProblem(res, 401, 'Signature is incorrect: missing upvest-signature-version header');
		});

		test('expired signature', async () => {
			const created = Math.floor(Date.now() / 1000) - 120;
			const res = await ecdsa.tokenRequest({ sign: { created, expires: created + 10 } });
			expectProblem(res, 401, 'Signature is incorrect: signature has expired');
		});
	});
});

describe('POST /account_groups', () => {
	let token;
	beforeEach(async () => {
		token = await ecdsa.token('accounts:admin roles:admin');
	});

	test.each(['PERSONAL', 'LEGAL_ENTITY', 'FRENCH_PEA', 'ISA', 'CHILD'])(
		'creates a %s account group for a user',
		async (type) => {
			const userId = uuid();
			const res = await ecdsa.post('/account_groups', token, { user_id: userId, type });
			expect(res.status).toBe(200);
			expect(res.headers['content-type']).toBe('application/json');
			expect(res.json).toEqual({
				id: expect.stringMatching(UUID_RE),
				created_at: expect.any(String),
				updated_at: expect.any(String),
				user_id: userId,
				users: [{ id: userId }],
				type,
				status: 'PENDING_APPROVAL',
				securities_account_number: expect.stringMatching(/^[0-9]{9}$/),
			});
			expect(new Date(res.json.created_at).toISOString()).toBe(res.json.created_at);
			expect(sim.state.accountGroups).toEqual([res.json]);
			expect(sim.requests.at(-1)).toMatchObject({
				status: 200,
				tokenRequest: false,
				signature: { valid: true },
			});
			expect(sim.requests.at(-1).signature.components).toContain('authorization');
		},
	);

	test('creates a BUSINESS account group with a given securities account number (Ed25519 signed)', async () => {
		const businessId = uuid();
		const res = await ed.post('/account_groups', token, {
			business_id: businessId,
			type: 'BUSINESS',
			securities_account_number: '123456789',
		});
		expect(res.status).toBe(200);
		expect(res.json).toEqual({
			id: expect.stringMatching(UUID_RE),
			created_at: expect.any(String),
			updated_at: expect.any(String),
			business_id: businessId,
			type: 'BUSINESS',
			status: 'PENDING_APPROVAL',
			securities_account_number: '123456789',
		});
	});

	test.each([
		[{ user_id: uuid(), type: 'PERSONAL', foo: 1 }, 'Unknown field: foo'],
		[{ user_id: uuid(), business_id: uuid(), type: 'PERSONAL' }, /user_id or business_id/],
		[{ type: 'PERSONAL' }, /user_id or business_id/],
		[{ user_id: 'not-a-uuid', type: 'PERSONAL' }, 'user_id must be a UUID'],
		[{ user_id: uuid() }, 'type is required'],
		[{ user_id: uuid(), type: 'BUSINESS' }, /^type must be one of PERSONAL/],
		[{ business_id: uuid(), type: 'PERSONAL' }, /^type must be one of BUSINESS/],
		[
			{ user_id: uuid(), type: 'PERSONAL', securities_account_number: '12345678' },
			/securities_account_number/,
		],
		[
			{ user_id: uuid(), type: 'PERSONAL', securities_account_number: 123456789 },
			/securities_account_number/,
		],
		[[1, 2], 'Request body must be a JSON object'],
		['{"user_id":', 'Request body is not valid JSON'],
	])('rejects %p with 400', async (body, detail) => {
		expectProblem(await ecdsa.post('/account_groups', token, body), 400, detail, 'bad_request');
		expect(sim.state.accountGroups).toHaveLength(0);
	});

	test('requires an idempotency-key (UUID) and a JSON content-type', async () => {
		const body = { user_id: uuid(), type: 'PERSONAL' };
		const missing = await ecdsa.post('/account_groups', token, body, { idempotencyKey: null });
		expectProblem(missing, 400, /idempotency-key/, 'missing_idempotency_key');
		expect(missing.json.title).toBe('Missing Idempotency Key');
		expectProblem(
			await ecdsa.post('/account_groups', token, body, { idempotencyKey: 'abc' }),
			400,
			'idempotency-key must be a UUID',
		);
		expectProblem(
			await ecdsa.post('/account_groups', token, body, {
				headers: { 'content-type': 'text/plain' },
			}),
			400,
			'content-type must be application/json',
		);
	});

	test('401 without, with an unknown and with an expired token', async () => {
		const body = { user_id: uuid(), type: 'PERSONAL' };
		const noAuth = await ecdsa.signed({
			method: 'POST',
			path: '/account_groups',
			headers: {
				accept: 'application/json',
				'content-type': 'application/json',
				'idempotency-key': uuid(),
				'upvest-client-id': testClient.clientId,
			},
			body: JSON.stringify(body),
		});
		expectProblem(noAuth, 401, 'Access token is invalid or expired', 'unauthorised');
		expectProblem(
			await ecdsa.post('/account_groups', 'ory_at_bogus', body),
			401,
			'Access token is invalid or expired',
		);

		const res = await admin(sim.url, 'POST', 'tokens/expire');
		expect(res.json).toEqual({ ok: true, expired: 1 });
		expectProblem(
			await ecdsa.post('/account_groups', token, body),
			401,
			'Access token is invalid or expired',
		);
		// a fresh token works again
		expect(
			(await ecdsa.post('/account_groups', await ecdsa.token('accounts:admin'), body)).status,
		).toBe(200);
	});

	test('expireTokens() from code has the same effect', async () => {
		expect(sim.expireTokens()).toBe(1);
		expectProblem(
			await ecdsa.post('/account_groups', token, { user_id: uuid(), type: 'ISA' }),
			401,
		);
	});

	describe('signature problems → 401', () => {
		const body = () => ({ user_id: uuid(), type: 'PERSONAL' });

		test('tampered body', async () => {
			const res = await ecdsa.post('/account_groups', token, body(), {
				mutate: ({ headers }) => ({ headers, body: JSON.stringify(body()) }),
			});
			expectProblem(res, 401, 'Signature is incorrect: content-digest does not match the body');
			expect(sim.state.accountGroups).toHaveLength(0);
		});

		test('tampered body with a recomputed digest', async () => {
			const res = await ecdsa.post('/account_groups', token, body(), {
				mutate: ({ headers }) => {
					const other = JSON.stringify(body());
					const digest = crypto.createHash('sha512').update(other).digest('base64');
					return { headers: { ...headers, 'content-digest': `sha-512=:${digest}:` }, body: other };
				},
			});
			expectProblem(res, 401, 'Signature is incorrect: signature does not verify');
		});

		test('wrong key (RFC example key claiming the test client)', async () => {
			const wrong = makeClient(
				sim.url,
				{ ...testClient, ed25519: exampleClient.ed25519 },
				'ed25519',
			);
			expectProblem(
				await wrong.post('/account_groups', token, body()),
				401,
				'Signature is incorrect: key id is not registered for this client',
			);
		});

		test('replayed nonce', async () => {
			const nonce = uuid();
			const idempotencyKey = uuid();
			const payload = body();
			expect(
				(await ecdsa.post('/account_groups', token, payload, { idempotencyKey, sign: { nonce } }))
					.status,
			).toBe(200);
			expectProblem(
				await ecdsa.post('/account_groups', token, payload, { idempotencyKey, sign: { nonce } }),
				401,
				'Signature is incorrect: nonce has already been used',
			);
		});

		test('missing upvest-signature-version header', async () => {
			const res = await ecdsa.post('/account_groups', token, body(), {
				mutate: ({ headers, body: b }) => {
					const { 'upvest-signature-version': _v, ...rest } = headers;
					return { headers: rest, body: b };
				},
			});
			expectProblem(res, 401, 'Signature is incorrect: missing upvest-signature-version header');
		});

		test('authorization not covered', async () => {
			const res = await ecdsa.post('/account_groups', token, body(), {
				sign: {
					components: [
						'@method',
						'@path',
						'accept',
						'content-type',
						'content-length',
						'content-digest',
						'idempotency-key',
						'upvest-client-id',
					],
				},
			});
			expectProblem(
				res,
				401,
				'Signature is incorrect: required component "authorization" is not covered',
			);
		});
	});

	test('upvest-client-id must be present and belong to the token', async () => {
		const res = await ecdsa.post(
			'/account_groups',
			token,
			{ user_id: uuid(), type: 'PERSONAL' },
			{
				mutate: ({ headers, body }) => {
					const { 'upvest-client-id': _c, ...rest } = headers;
					return { headers: rest, body };
				},
			},
		);
		expectProblem(res, 400, 'Missing Client ID', 'missing_client_id');

		const otherToken = await makeClient(sim.url, exampleClient, 'ecdsa').token('accounts:admin');
		expectProblem(
			await ecdsa.post('/account_groups', otherToken, { user_id: uuid(), type: 'PERSONAL' }),
			401,
			'Access token was not issued to this upvest-client-id',
		);
	});

	test('403 naming the missing scope', async () => {
		const rolesOnly = await ecdsa.token('roles:admin');
		expectProblem(
			await ecdsa.post('/account_groups', rolesOnly, { user_id: uuid(), type: 'PERSONAL' }),
			403,
			'Missing required scope: accounts:admin',
			'forbidden',
		);
	});

	describe('idempotency', () => {
		test('same key and body → the first response again, nothing new created', async () => {
			const idempotencyKey = uuid();
			const body = { user_id: uuid(), type: 'PERSONAL' };
			const first = await ecdsa.post('/account_groups', token, body, { idempotencyKey });
			const again = await ed.post('/account_groups', token, body, { idempotencyKey });
			expect(first.status).toBe(200);
			expect(first.headers['upvest-idempotent-replay']).toBeUndefined();
			expect(again.status).toBe(200);
			expect(again.text).toBe(first.text);
			expect(again.headers['upvest-idempotent-replay']).toBe('true');
			expect(again.headers['upvest-request-id']).not.toBe(first.headers['upvest-request-id']);
			expect(sim.state.accountGroups).toHaveLength(1);
			expect(sim.requests.map((r) => r.replayed)).toEqual([false, false, true]);
			expect(sim.requests.at(-1).idempotencyKey).toBe(idempotencyKey);
		});

		test('same key with another body → 422', async () => {
			const idempotencyKey = uuid();
			expect(
				(
					await ecdsa.post(
						'/account_groups',
						token,
						{ user_id: uuid(), type: 'PERSONAL' },
						{ idempotencyKey },
					)
				).status,
			).toBe(200);
			expectProblem(
				await ecdsa.post(
					'/account_groups',
					token,
					{ user_id: uuid(), type: 'PERSONAL' },
					{ idempotencyKey },
				),
				422,
				'Idempotency key was already used with a different request body',
				'unprocessable_entity',
			);
		});

		test('keys are scoped per path, and failed attempts do not consume them', async () => {
			const idempotencyKey = uuid();
			const bad = await ecdsa.post(
				'/account_groups',
				token,
				{ user_id: uuid(), type: 'NOPE' },
				{ idempotencyKey },
			);
			expect(bad.status).toBe(400);
			const group = await ecdsa.post(
				'/account_groups',
				token,
				{ user_id: uuid(), type: 'PERSONAL' },
				{ idempotencyKey },
			);
			expect(group.status).toBe(200);
			const role = await ecdsa.post(
				'/roles',
				token,
				{
					user_id: uuid(),
					entity_type: 'ACCOUNT_GROUP',
					entity_id: group.json.id,
					role_type: 'GUARDIAN',
				},
				{ idempotencyKey },
			);
			expect(role.status).toBe(200);
			expect(role.headers['upvest-idempotent-replay']).toBeUndefined();
		});
	});
});

describe('POST /roles', () => {
	let token;
	beforeEach(async () => {
		token = await ed.token('roles:admin accounts:admin');
	});

	const accountGroupRoles = [
		['GUARDIAN', undefined],
		['GUARDIAN', 'SOLE_CUSTODY'],
		['GUARDIAN', 'JOINT_CUSTODY'],
		['CHILD', undefined],
	];
	test.each(accountGroupRoles)(
		'ACCOUNT_GROUP role %s (custody %s)',
		async (roleType, custodyType) => {
			const body = {
				user_id: uuid(),
				entity_type: 'ACCOUNT_GROUP',
				entity_id: uuid(),
				role_type: roleType,
			};
			if (custodyType) body.custody_type = custodyType;
			const res = await ed.post('/roles', token, body);
			expect(res.status).toBe(200);
			expect(res.json).toEqual({
				id: expect.stringMatching(UUID_RE),
				created_at: expect.any(String),
				updated_at: expect.any(String),
				...body,
			});
			expect(Object.keys(res.json)).toEqual(
				[
					'id',
					'created_at',
					'updated_at',
					'user_id',
					'entity_type',
					'entity_id',
					'role_type',
					custodyType && 'custody_type',
				].filter(Boolean),
			);
			expect(sim.state.roles).toEqual([res.json]);
		},
	);

	test.each([
		'LEGAL_REPRESENTATIVE',
		'AUTHORISED_SIGNATORY',
		'ULTIMATE_BENEFICIAL_OWNER',
		'CONTRACTING_EXECUTIVE',
		'TRADER',
	])('BUSINESS role %s', async (roleType) => {
		const body = {
			user_id: uuid(),
			entity_type: 'BUSINESS',
			entity_id: uuid(),
			role_type: roleType,
		};
		const res = await ecdsa.post('/roles', token, body);
		expect(res.status).toBe(200);
		expect(res.json).toMatchObject(body);
		expect(res.json.custody_type).toBeUndefined();
	});

	const base = () => ({
		user_id: uuid(),
		entity_type: 'ACCOUNT_GROUP',
		entity_id: uuid(),
		role_type: 'GUARDIAN',
	});
	test.each([
		[{ ...base(), extra: true }, 'Unknown field: extra'],
		[{ ...base(), user_id: undefined }, 'user_id is required'],
		[{ ...base(), entity_id: 'x' }, 'entity_id must be a UUID'],
		[{ ...base(), entity_type: 'USER' }, /^entity_type must be one of/],
		[{ ...base(), role_type: 'TRADER' }, /^role_type must be one of GUARDIAN, CHILD/],
		[{ ...base(), entity_type: 'BUSINESS' }, /^role_type must be one of LEGAL_REPRESENTATIVE/],
		[
			{ ...base(), role_type: 'CHILD', custody_type: 'SOLE_CUSTODY' },
			'custody_type is only allowed for role_type GUARDIAN',
		],
		[
			{ ...base(), entity_type: 'BUSINESS', role_type: 'TRADER', custody_type: 'SOLE_CUSTODY' },
			/custody_type/,
		],
		[{ ...base(), custody_type: 'SHARED' }, /^custody_type must be one of/],
	])('rejects %p with 400', async (body, detail) => {
		expectProblem(await ed.post('/roles', token, body), 400, detail, 'bad_request');
	});

	test('403 naming roles:admin when the token lacks it', async () => {
		const accountsOnly = await ed.token('accounts:admin');
		expectProblem(
			await ed.post('/roles', accountsOnly, base()),
			403,
			'Missing required scope: roles:admin',
			'forbidden',
		);
	});

	test('checkReferences: 404 for an account group the simulator did not create', async () => {
		await admin(sim.url, 'POST', 'config', { checkReferences: true });
		expectProblem(
			await ed.post('/roles', token, base()),
			404,
			/^Account group .* not found$/,
			'not_found',
		);

		const group = await ed.post('/account_groups', token, { user_id: uuid(), type: 'CHILD' });
		const role = await ed.post('/roles', token, { ...base(), entity_id: group.json.id });
		expect(role.status).toBe(200);
		// BUSINESS entities are not tracked, so they are never checked
		expect(
			(await ed.post('/roles', token, { ...base(), entity_type: 'BUSINESS', role_type: 'TRADER' }))
				.status,
		).toBe(200);
	});
});

describe('admin API', () => {
	test('health, state, requests?since, config, reset', async () => {
		expect((await admin(sim.url, 'GET', 'health')).json).toEqual({ ok: true });

		const token = await ecdsa.token('accounts:admin');
		await ecdsa.post('/account_groups', token, { user_id: uuid(), type: 'PERSONAL' });
		await send(sim.url, { path: '/nothing-here?x=1' });

		const state = (await admin(sim.url, 'GET', 'state')).json;
		expect(state).toMatchObject({ tokensIssued: 1, requestCount: 3, roles: [] });
		expect(state.accountGroups).toHaveLength(1);

		const all = (await admin(sim.url, 'GET', 'requests')).json;
		expect(all.map((r) => r.seq)).toEqual([1, 2, 3]);
		expect(all[2]).toMatchObject({
			method: 'GET',
			path: '/nothing-here',
			query: 'x=1',
			status: 404,
			signature: null,
		});
		expect(all[1]).toMatchObject({
			path: '/account_groups',
			status: 200,
			tokenRequest: false,
			replayed: false,
			signature: { valid: true },
			headers: expect.objectContaining({ 'upvest-signature-version': '15' }),
			receivedAt: expect.any(String),
		});
		expect((await admin(sim.url, 'GET', 'requests?since=2')).json.map((r) => r.seq)).toEqual([3]);
		// admin traffic itself is not recorded
		expect(sim.requests).toHaveLength(3);

		const cfg = await admin(sim.url, 'POST', 'config', {
			latencyMs: 0,
			tokenTtlSeconds: 42,
			checkReferences: true,
		});
		expect(cfg.json.config).toMatchObject({
			latencyMs: 0,
			tokenTtlSeconds: 42,
			checkReferences: true,
		});
		expect((await ecdsa.tokenRequest()).json.expires_in).toBe(42);
		expectProblem(
			await admin(sim.url, 'POST', 'config', { latencyMs: -1 }),
			400,
			'latencyMs must be a non-negative integer',
		);
		expectProblem(
			await admin(sim.url, 'POST', 'config', { bogus: 1 }),
			400,
			'unknown config option bogus',
		);

		expect((await admin(sim.url, 'POST', 'reset')).json).toEqual({ ok: true });
		expect((await admin(sim.url, 'GET', 'state')).json).toEqual({
			accountGroups: [],
			roles: [],
			tokensIssued: 0,
			requestCount: 0,
		});
		expect(sim.requests).toHaveLength(0);
		// tokens are gone after a reset
		expectProblem(
			await ecdsa.post('/account_groups', token, { user_id: uuid(), type: 'PERSONAL' }),
			401,
		);
	});

	test('unknown admin endpoints and methods', async () => {
		expectProblem(await admin(sim.url, 'GET', 'nope'), 404);
		expectProblem(await admin(sim.url, 'GET', 'reset'), 405);
		expectProblem(
			await admin(sim.url, 'POST', 'faults', { faults: 'x' }),
			400,
			'faults must be an array',
		);
	});
});
