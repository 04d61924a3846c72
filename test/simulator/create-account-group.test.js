'use strict';

/** POST /account_groups over real HTTP: body variants, auth, signatures, idempotency. */

const crypto = require('node:crypto');

const { testClient, exampleClient } = require('../../simulator/fixtures');
const { admin, makeClient, expectProblem, UUID_RE, useSimulator } = require('./helpers');

const uuid = () => crypto.randomUUID();

const suite = useSimulator({ checkReferences: false, tokenTtlSeconds: 1799, latencyMs: 0 });

describe('POST /account_groups', () => {
	let token;
	beforeEach(async () => {
		token = await suite.ecdsa.token('accounts:admin roles:admin');
	});

	test.each(['PERSONAL', 'LEGAL_ENTITY', 'FRENCH_PEA', 'ISA', 'CHILD'])(
		'creates a %s account group for a user',
		async (type) => {
			const userId = uuid();
			const res = await suite.ecdsa.post('/account_groups', token, { user_id: userId, type });
			expect(res.status).toBe(200);
			expect(res.headers['content-type']).toBe('application/json');
			expect(res.json).toEqual({
				id: expect.stringMatching(UUID_RE),
				created_at: expect.any(String),
				updated_at: expect.any(String),
				user_id: userId,
				users: [{ id: userId, type: type === 'CHILD' ? 'CHILD' : 'OWNER' }],
				type,
				status: 'PENDING_APPROVAL',
				securities_account_number: expect.stringMatching(/^[0-9]{9}$/),
			});
			expect(new Date(res.json.created_at).toISOString()).toBe(res.json.created_at);
			expect(suite.sim.state.accountGroups).toEqual([res.json]);
			expect(suite.sim.requests.at(-1)).toMatchObject({
				status: 200,
				tokenRequest: false,
				signature: { valid: true },
			});
			expect(suite.sim.requests.at(-1).signature.components).toContain('authorization');
		},
	);

	test('creates a BUSINESS account group with a given securities account number (Ed25519 signed)', async () => {
		const businessId = uuid();
		const res = await suite.ed.post('/account_groups', token, {
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
			users: [],
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
		expectProblem(
			await suite.ecdsa.post('/account_groups', token, body),
			400,
			detail,
			'bad_request',
		);
		expect(suite.sim.state.accountGroups).toHaveLength(0);
	});

	test('requires an idempotency-key (UUID) and a JSON content-type', async () => {
		const body = { user_id: uuid(), type: 'PERSONAL' };
		const missing = await suite.ecdsa.post('/account_groups', token, body, {
			idempotencyKey: null,
		});
		expectProblem(missing, 400, /idempotency-key/, 'missing_idempotency_key');
		expect(missing.json.title).toBe('Missing Idempotency Key');
		expectProblem(
			await suite.ecdsa.post('/account_groups', token, body, { idempotencyKey: 'abc' }),
			400,
			'idempotency-key must be a UUID',
		);
		expectProblem(
			await suite.ecdsa.post('/account_groups', token, body, {
				headers: { 'content-type': 'text/plain' },
			}),
			400,
			'content-type must be application/json',
		);
	});

	test('401 without, with an unknown and with an expired token', async () => {
		const body = { user_id: uuid(), type: 'PERSONAL' };
		const noAuth = await suite.ecdsa.signed({
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
			await suite.ecdsa.post('/account_groups', 'ory_at_bogus', body),
			401,
			'Access token is invalid or expired',
		);

		const res = await admin(suite.sim.url, 'POST', 'tokens/expire');
		expect(res.json).toEqual({ ok: true, expired: 1 });
		expectProblem(
			await suite.ecdsa.post('/account_groups', token, body),
			401,
			'Access token is invalid or expired',
		);
		// a fresh token works again
		expect(
			(await suite.ecdsa.post('/account_groups', await suite.ecdsa.token('accounts:admin'), body))
				.status,
		).toBe(200);
	});

	test('expireTokens() from code has the same effect', async () => {
		expect(suite.sim.expireTokens()).toBe(1);
		expectProblem(
			await suite.ecdsa.post('/account_groups', token, { user_id: uuid(), type: 'ISA' }),
			401,
		);
	});

	describe('signature problems → 401', () => {
		const body = () => ({ user_id: uuid(), type: 'PERSONAL' });

		test('tampered body', async () => {
			const res = await suite.ecdsa.post('/account_groups', token, body(), {
				mutate: ({ headers }) => ({ headers, body: JSON.stringify(body()) }),
			});
			expectProblem(res, 401, 'Signature is incorrect: content-digest does not match the body');
			expect(suite.sim.state.accountGroups).toHaveLength(0);
		});

		test('tampered body with a recomputed digest', async () => {
			const res = await suite.ecdsa.post('/account_groups', token, body(), {
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
				suite.sim.url,
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
				(
					await suite.ecdsa.post('/account_groups', token, payload, {
						idempotencyKey,
						sign: { nonce },
					})
				).status,
			).toBe(200);
			expectProblem(
				await suite.ecdsa.post('/account_groups', token, payload, {
					idempotencyKey,
					sign: { nonce },
				}),
				401,
				'Signature is incorrect: nonce has already been used',
			);
		});

		test('missing upvest-signature-version header', async () => {
			const res = await suite.ecdsa.post('/account_groups', token, body(), {
				mutate: ({ headers, body: b }) => {
					const { 'upvest-signature-version': _v, ...rest } = headers;
					return { headers: rest, body: b };
				},
			});
			expectProblem(res, 401, 'Signature is incorrect: missing upvest-signature-version header');
		});

		test('authorization not covered', async () => {
			const res = await suite.ecdsa.post('/account_groups', token, body(), {
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
		const res = await suite.ecdsa.post(
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

		const otherToken = await makeClient(suite.sim.url, exampleClient, 'ecdsa').token(
			'accounts:admin',
		);
		expectProblem(
			await suite.ecdsa.post('/account_groups', otherToken, { user_id: uuid(), type: 'PERSONAL' }),
			401,
			'Access token was not issued to this upvest-client-id',
		);
	});

	test('403 naming the missing scope', async () => {
		const rolesOnly = await suite.ecdsa.token('roles:admin');
		expectProblem(
			await suite.ecdsa.post('/account_groups', rolesOnly, { user_id: uuid(), type: 'PERSONAL' }),
			403,
			'Missing required scope: accounts:admin',
			'forbidden',
		);
	});

	describe('idempotency', () => {
		test('same key and body → the first response again, nothing new created', async () => {
			const idempotencyKey = uuid();
			const body = { user_id: uuid(), type: 'PERSONAL' };
			const first = await suite.ecdsa.post('/account_groups', token, body, { idempotencyKey });
			const again = await suite.ed.post('/account_groups', token, body, { idempotencyKey });
			expect(first.status).toBe(200);
			expect(first.headers['upvest-idempotent-replay']).toBeUndefined();
			expect(again.status).toBe(200);
			expect(again.text).toBe(first.text);
			expect(again.headers['upvest-idempotent-replay']).toBe('true');
			expect(again.headers['upvest-request-id']).not.toBe(first.headers['upvest-request-id']);
			expect(suite.sim.state.accountGroups).toHaveLength(1);
			expect(suite.sim.requests.map((r) => r.replayed)).toEqual([false, false, true]);
			expect(suite.sim.requests.at(-1).idempotencyKey).toBe(idempotencyKey);
		});

		test('same key with another body → 422', async () => {
			const idempotencyKey = uuid();
			expect(
				(
					await suite.ecdsa.post(
						'/account_groups',
						token,
						{ user_id: uuid(), type: 'PERSONAL' },
						{ idempotencyKey },
					)
				).status,
			).toBe(200);
			expectProblem(
				await suite.ecdsa.post(
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
			const bad = await suite.ecdsa.post(
				'/account_groups',
				token,
				{ user_id: uuid(), type: 'NOPE' },
				{ idempotencyKey },
			);
			expect(bad.status).toBe(400);
			const group = await suite.ecdsa.post(
				'/account_groups',
				token,
				{ user_id: uuid(), type: 'PERSONAL' },
				{ idempotencyKey },
			);
			expect(group.status).toBe(200);
			const role = await suite.ecdsa.post(
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
