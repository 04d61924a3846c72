'use strict';

/** POST /roles over real HTTP: body variants, scopes, reference checks. */

const crypto = require('node:crypto');

const { admin, expectProblem, UUID_RE, useSimulator } = require('./helpers');

const uuid = () => crypto.randomUUID();

const suite = useSimulator({ checkReferences: false, tokenTtlSeconds: 1799, latencyMs: 0 });

describe('POST /roles', () => {
	let token;
	beforeEach(async () => {
		token = await suite.ed.token('roles:admin accounts:admin');
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
			const res = await suite.ed.post('/roles', token, body);
			expect(res.status).toBe(200);
			expect(res.json).toEqual({
				id: expect.stringMatching(UUID_RE),
				created_at: expect.any(String),
				updated_at: expect.any(String),
				...body,
				status: 'PENDING',
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
					'status',
				].filter(Boolean),
			);
			expect(suite.sim.state.roles).toEqual([res.json]);
		},
	);

	test.each([
		'LEGAL_REPRESENTATIVE',
		'AUTHORISED_SIGNATORY',
		'ULTIMATE_BENEFICIAL_OWNER',
		'CONTRACTING_EXECUTIVE',
		'TRADER',
		'SOLE_TRADER',
	])('BUSINESS role %s', async (roleType) => {
		const body = {
			user_id: uuid(),
			entity_type: 'BUSINESS',
			entity_id: uuid(),
			role_type: roleType,
		};
		const res = await suite.ecdsa.post('/roles', token, body);
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
		expectProblem(await suite.ed.post('/roles', token, body), 400, detail, 'bad_request');
	});

	test('403 naming roles:admin when the token lacks it', async () => {
		const accountsOnly = await suite.ed.token('accounts:admin');
		expectProblem(
			await suite.ed.post('/roles', accountsOnly, base()),
			403,
			'Missing required scope: roles:admin',
			'forbidden',
		);
	});

	test('checkReferences: 404 for an account group the simulator did not create', async () => {
		await admin(suite.sim.url, 'POST', 'config', { checkReferences: true });
		expectProblem(
			await suite.ed.post('/roles', token, base()),
			404,
			/^Account group .* not found$/,
			'not_found',
		);

		const group = await suite.ed.post('/account_groups', token, { user_id: uuid(), type: 'CHILD' });
		const role = await suite.ed.post('/roles', token, { ...base(), entity_id: group.json.id });
		expect(role.status).toBe(200);
		// BUSINESS entities are not tracked, so they are never checked
		expect(
			(
				await suite.ed.post('/roles', token, {
					...base(),
					entity_type: 'BUSINESS',
					role_type: 'TRADER',
				})
			).status,
		).toBe(200);
	});
});
