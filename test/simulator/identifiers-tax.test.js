'use strict';

/** User identifiers and tax residencies: bodies, defaults, formats, lists, updates and scopes. */

const { expectProblem, UUID_RE } = require('./helpers');
const F = require('./onboarding-fixtures');

const { suite, api } = F.useOnboarding();

let user;
beforeEach(async () => {
	user = await api.user();
});

const identify = (body, userId = user.id, options) =>
	api.submit(`/users/${userId}/identifiers`, body, options);

describe('POST /users/{user_id}/identifiers', () => {
	test('200 with the identifier; the standard defaults by issuing country; no event', async () => {
		const res = await identify({
			type: 'NATIONAL_ID',
			issuing_country: 'PL',
			identifier: '85010112345',
		});
		expect(res.status).toBe(200);
		expect(res.json).toEqual({
			id: expect.stringMatching(UUID_RE),
			created_at: expect.any(String),
			updated_at: expect.any(String),
			user_id: user.id,
			type: 'NATIONAL_ID',
			issuing_country: 'PL',
			identifier_standard: 'PESEL',
			identifier: '85010112345',
		});
		expect(api.eventTypes()).toEqual(['USER.CREATED']);
		const standard = async (issuing_country, identifier, type = 'NATIONAL_ID') =>
			(await identify({ type, issuing_country, identifier })).json.identifier_standard;
		expect(await standard('BE', '85073003328')).toBe('BNN');
		expect(await standard('DK', '0101901234')).toBe('DPIC');
		expect(await standard('ES', 'X1234567L')).toBe('STIN');
		expect(await standard('NL', 'NX1234567')).toBe('NLPN');
		expect(await standard('IT', 'RSSMRA85T10A562S')).toBe('NIDN');
		expect(await standard('US', '123456789', 'PASSPORT')).toBe('NIDN');
		const given = await identify({
			type: 'PASSPORT',
			issuing_country: 'PL',
			identifier: 'AB1234567',
			identifier_standard: 'PLPN',
		});
		expect(given.json).toMatchObject({ type: 'PASSPORT', identifier_standard: 'PLPN' });
	});

	test('CONCAT (the default for AT, DE, FR, HU, IE, LU): no identifier is sent, Upvest makes it', async () => {
		const res = await identify({ type: 'NATIONAL_ID', issuing_country: 'DE' });
		expect(res.status).toBe(200);
		expect(res.json).toMatchObject({
			identifier_standard: 'CONCAT',
			identifier: 'DE19840812ERIKAMUSTE',
		});
		const short = await api.user({ first_name: 'Jo', last_name: 'Ñu' });
		const made = await identify({ type: 'NATIONAL_ID', issuing_country: 'AT' }, short.id);
		expect(made.json.identifier).toBe('AT19840812JO###NU###');
		const explicit = await identify({
			type: 'NATIONAL_ID',
			issuing_country: 'PL',
			identifier_standard: 'CONCAT',
		});
		expect(explicit.json).toMatchObject({ identifier_standard: 'CONCAT' });
		expectProblem(
			await identify({ type: 'NATIONAL_ID', issuing_country: 'FR', identifier: 'FR123' }),
			400,
			'identifier must be omitted when identifier_standard is CONCAT',
		);
	});

	test.each([
		[{ issuing_country: 'PL' }, 'identifier', undefined, 'identifier is required'],
		[{ issuing_country: 'BE', identifier: '85133003328' }, 'identifier', '85133003328'],
		[{ issuing_country: 'DK', identifier: '3201901234' }, 'identifier', '3201901234'],
		[{ issuing_country: 'ES', identifier: 'x1234567l' }, 'identifier', 'x1234567l'],
		[{ issuing_country: 'IT', identifier: 'SECRETNUMBER'.repeat(3) }, 'identifier', 'SECRETNUMBER'],
		[
			{ issuing_country: 'IT', identifier: 'AB', identifier_standard: 'TOOLONG' },
			'identifier_standard',
		],
		[{ issuing_country: 'Poland', identifier: 'AB' }, 'issuing_country', 'Poland'],
		[{ issuing_country: 'PL', identifier: 'AB', type: 'DRIVING_LICENSE' }, 'type'],
		[{ issuing_country: 'PL', identifier: 42 }, 'identifier'],
		[{ issuing_country: 'PL', identifier: 'AB', issued_at: '2020-01-01' }, 'issued_at'],
	])(
		'%p is a 400 naming %s, not its value',
		async (fields, field, secret = undefined, detail = undefined) => {
			const res = await identify({ type: 'NATIONAL_ID', ...fields });
			F.expectFieldError(res, field, secret);
			if (detail) expect(res.json.detail).toBe(detail);
			expect(suite.sim.state.identifiers).toHaveLength(0);
		},
	);

	test('no idempotency key: a repeat adds another identifier', async () => {
		const body = { type: 'NATIONAL_ID', issuing_country: 'PL', identifier: '85010112345' };
		const idempotencyKey = F.uuid();
		const first = await identify(body, user.id, { idempotencyKey });
		const second = await identify(body, user.id, { idempotencyKey });
		expect(second.json.id).not.toBe(first.json.id);
		expect(second.headers['upvest-idempotent-replay']).toBeUndefined();
		expect(suite.sim.state.identifiers).toHaveLength(2);
	});

	test('404 for an unknown user; users:admin to write, users:read to read', async () => {
		const id = F.uuid();
		expectProblem(
			await identify({ type: 'PASSPORT', issuing_country: 'PL', identifier: 'A' }, id),
			404,
			`User ${id} not found`,
		);
		const read = await suite.client.token('users:read');
		expectProblem(
			await suite.client.post(`/users/${user.id}/identifiers`, read, {}, { idempotencyKey: null }),
			403,
			'Missing required scope: users:admin',
		);
		expect((await api.get(`/users/${user.id}/identifiers`, undefined, read)).status).toBe(200);
	});
});

describe('reading and changing identifiers', () => {
	test('GET list {data}; GET one; PATCH the identifier (200, updated_at moves)', async () => {
		const made = (
			await identify({ type: 'NATIONAL_ID', issuing_country: 'BE', identifier: '85073003328' })
		).json;
		const concat = (await identify({ type: 'NATIONAL_ID', issuing_country: 'DE' })).json;
		const list = await api.get(`/users/${user.id}/identifiers`);
		expect(list.json).toEqual({ data: [made, concat] });
		expectProblem(
			await api.get(`/users/${user.id}/identifiers`, 'limit=1'),
			400,
			'Unknown query parameter: limit',
		);
		expect((await api.get(`/users/${user.id}/identifiers/${made.id}`)).json).toEqual(made);

		const path = `/users/${user.id}/identifiers/${made.id}`;
		const patched = await api.patch(path, { identifier: '90020112345' });
		expect(patched.status).toBe(200);
		expect(patched.json).toEqual({
			...made,
			identifier: '90020112345',
			updated_at: expect.any(String),
		});
		expect(patched.json.updated_at > made.updated_at).toBe(true);
		F.expectFieldError(
			await api.patch(path, { identifier: '99999999999' }),
			'identifier',
			'99999999999',
		);
		F.expectFieldError(await api.patch(path, {}), 'identifier');
		F.expectFieldError(
			await api.patch(path, { identifier: '90020112345', type: 'PASSPORT' }),
			'type',
		);
		expectProblem(
			await api.patch(`/users/${user.id}/identifiers/${concat.id}`, { identifier: 'X' }),
			400,
			'identifier cannot be changed: identifier_standard is CONCAT',
		);
	});

	test('404 for an unknown identifier or one of another user', async () => {
		const made = (await identify({ type: 'NATIONAL_ID', issuing_country: 'PL', identifier: '1' }))
			.json;
		const other = await api.user();
		const theirs = `/users/${other.id}/identifiers/${made.id}`;
		expectProblem(await api.get(theirs), 404, `Identifier ${made.id} not found`);
		expectProblem(await api.patch(theirs, { identifier: '2' }), 404);
		const unknown = F.uuid();
		expectProblem(await api.get(`/users/${unknown}/identifiers`), 404, `User ${unknown} not found`);
		expectProblem(
			await api.get(`/users/${user.id}/identifiers/nope`),
			400,
			'identifier_id must be a UUID',
		);
	});
});

describe('tax residencies', () => {
	const path = () => `/users/${user.id}/tax_residencies`;
	const residencies = [
		{ country: 'DE', tax_identifier_number: '12345678911' },
		{ country: 'FR', missing_tin_reason: 'TIN_NOT_YET_ASSIGNED' },
	];

	test('POST: 200 with the set, PENDING; GET answers it; ACTIVE after activationDelayMs, no event', async () => {
		suite.sim.setConfig({ activationDelayMs: 300 }); // long enough to read it PENDING
		const res = await api.post(path(), { tax_residencies: residencies });
		expect(res.status).toBe(200);
		expect(res.json).toEqual({
			created_at: expect.any(String),
			updated_at: expect.any(String),
			tax_residencies: residencies,
			status: 'PENDING',
		});
		expect((await api.get(path())).json).toEqual(res.json);
		await F.waitFor(() => suite.sim.state.taxResidencies[user.id].status === 'ACTIVE');
		const active = (await api.get(path())).json;
		expect(active.status).toBe('ACTIVE');
		expect(active.updated_at > res.json.updated_at).toBe(true);
		expect(api.eventTypes()).toEqual(['USER.CREATED']);
	});

	test('a new POST replaces the whole set: created_at stays, PENDING again', async () => {
		const first = (await api.post(path(), { tax_residencies: residencies })).json;
		const replaced = await api.post(path(), {
			tax_residencies: [{ country: 'AT', missing_tin_reason: 'OTHER_REASONS' }],
		});
		expect(replaced.json).toEqual({
			created_at: first.created_at,
			updated_at: expect.any(String),
			tax_residencies: [{ country: 'AT', missing_tin_reason: 'OTHER_REASONS' }],
			status: 'PENDING',
		});
		expect(replaced.json.updated_at > first.updated_at).toBe(true);
		expect((await api.get(path())).json).toEqual(replaced.json);
	});

	test.each([
		[{ tax_residencies: [] }, 'tax_residencies'],
		[{}, 'tax_residencies'],
		[{ tax_residencies: [{ country: 'DE' }] }, 'tax_residencies[0]'],
		[
			{
				tax_residencies: [
					{
						country: 'DE',
						tax_identifier_number: '12345678911',
						missing_tin_reason: 'OTHER_REASONS',
					},
				],
			},
			'tax_residencies[0]',
			'12345678911',
		],
		[
			{ tax_residencies: [{ country: 'DE', tax_identifier_number: '123456' }] },
			'tax_residencies[0].tax_identifier_number',
			'123456',
		],
		[
			{ tax_residencies: [{ country: 'DE', tax_identifier_number: 'T'.repeat(51) }] },
			'tax_residencies[0].tax_identifier_number',
			'TTTTTTT',
		],
		[
			{ tax_residencies: [{ country: 'DE', missing_tin_reason: 'FORGOT' }] },
			'tax_residencies[0].missing_tin_reason',
			'FORGOT',
		],
		[
			{ tax_residencies: [{ country: 'Germany', missing_tin_reason: 'OTHER_REASONS' }] },
			'tax_residencies[0].country',
			'Germany',
		],
		[
			{ tax_residencies: [residencies[0], { country: 'DE', missing_tin_reason: 'OTHER_REASONS' }] },
			'tax_residencies[1].country',
		],
		[
			{ tax_residencies: [{ ...residencies[0], valid_from: '2020-01-01' }] },
			'tax_residencies[0].valid_from',
		],
	])('%p is a 400 naming %s, not its value', async (body, field, secret = undefined) => {
		F.expectFieldError(await api.post(path(), body), field, secret);
		expectProblem(await api.get(path()), 404, `Tax residencies of user ${user.id} not found`);
	});

	test('idempotency key required and replayed; 404s; taxes scopes', async () => {
		expectProblem(
			await api.post(path(), { tax_residencies: residencies }, { idempotencyKey: null }),
			400,
			'The idempotency-key header is required',
		);
		const idempotencyKey = F.uuid();
		const first = await api.post(path(), { tax_residencies: residencies }, { idempotencyKey });
		const again = await api.post(path(), { tax_residencies: residencies }, { idempotencyKey });
		expect(again.headers['upvest-idempotent-replay']).toBe('true');
		expect(again.json).toEqual(first.json);

		const unknown = F.uuid();
		expectProblem(
			await api.get(`/users/${unknown}/tax_residencies`),
			404,
			`User ${unknown} not found`,
		);
		expectProblem(
			await api.post(`/users/${unknown}/tax_residencies`, { tax_residencies: residencies }),
			404,
			`User ${unknown} not found`,
		);
		const read = await suite.client.token('taxes:read');
		expect((await api.get(path(), undefined, read)).status).toBe(200);
		expectProblem(
			await suite.client.post(path(), read, { tax_residencies: residencies }),
			403,
			'Missing required scope: taxes:admin',
		);
		const users = await suite.client.token('users:admin');
		expectProblem(
			await api.get(path(), undefined, users),
			403,
			'Missing required scope: taxes:read',
		);
	});
});
