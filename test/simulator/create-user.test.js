'use strict';

/** POST /users over HTTP: the BYOL and TOL bodies, every field rule, idempotency and scopes. */

const { startSimulator } = require('../../simulator/server');
const { testClient, toServerClient } = require('../../simulator/fixtures');
const { expectProblem, makeClient } = require('./helpers');
const F = require('./onboarding-fixtures');

const { suite, api } = F.useOnboarding();

const createUser = (body, options) => api.post('/users', body, options);

describe('POST /users: the two bodies', () => {
	test('a BYOL user: 200 with the body, INACTIVE, and USER.CREATED', async () => {
		const body = F.byolUser();
		const res = await createUser(body);
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe('application/json');
		expect(res.json).toEqual(F.created(body, 'INACTIVE'));
		expect(res.json.created_at).toBe(res.json.updated_at);
		expect(suite.sim.state.users).toEqual([res.json]);
		expect(suite.sim.state.events.map((event) => [event.type, event.object])).toEqual([
			['USER.CREATED', res.json],
		]);
	});

	test('every optional BYOL field is taken and answered; IDs lower-cased', async () => {
		const branch = F.uuid();
		const body = F.byolUser({
			last_name: 'M',
			email: 'erika@example.com',
			salutation: 'SALUTATION_FEMALE',
			title: 'DR',
			birth_city: 'Berlin',
			birth_country: 'DE',
			birth_name: 'Gabler',
			phone_number: '4930123456',
			postal_address: F.address({ address_line2: 'c/o nobody', state: 'BE', postcode: 'SW1A 1AA' }),
			gender: 'FEMALE',
			social_security_number: '25300972S014',
			tags: ['CLIENT_EMPLOYEE'],
			branch_id: branch.toUpperCase(),
			nationalities: ['XK', 'DE'],
		});
		const res = await createUser(body);
		expect(res.status).toBe(200);
		expect(res.json).toMatchObject({ ...body, branch_id: branch, status: 'INACTIVE' });
		for (const empty of [{ salutation: '' }, { title: '' }, { gender: '' }, { phone_number: '' }])
			expect((await createUser(F.byolUser({ ...empty, social_security_number: '' }))).status).toBe(
				200,
			);
	});

	test('a TOL user (a body with fatca or consents): email and fatca required, consents optional', async () => {
		const body = F.tolUser({ birth_city: 'Hamburg' });
		const res = await createUser(body);
		expect(res.status).toBe(200);
		expect(res.json).toMatchObject({ ...body, status: 'INACTIVE' });
		const { terms_and_conditions: _t, data_privacy_and_sharing_agreement: _d, ...bare } = body;
		expect((await createUser(bare)).status).toBe(200);
		const { email: _e, ...noEmail } = body;
		F.expectFieldError(await createUser(noEmail), 'email');
		expect((await createUser(noEmail)).json.detail).toBe('email is required');
		const { fatca: _f, ...noFatca } = body;
		expect((await createUser(noFatca)).json.detail).toBe('fatca is required');
		// without fatca or a consent the body is a BYOL body, which has no fatca
		expect((await createUser(F.byolUser({ email: 'a@example.com' }))).status).toBe(200);
	});

	/** POST /users from the test client registered with `licenceModel`, on a simulator of its own. */
	async function createAs(licenceModel, body) {
		const client = { ...toServerClient(testClient), licenceModel };
		const own = await startSimulator({ port: 0, clients: [client] });
		try {
			const signer = makeClient(own.url, testClient, 'ed25519');
			return await signer.post('/users', await signer.token('users:admin'), body);
		} finally {
			await own.close();
		}
	}

	test('a client that declares its licence model gets only that body', async () => {
		F.expectFieldError(await createAs('TOL', F.byolUser()), 'email');
		expect((await createAs('TOL', F.tolUser())).status).toBe(200);
		expectProblem(await createAs('BYOL', F.tolUser()), 400, 'Unknown field: fatca');
		expect((await createAs('BYOL', F.byolUser())).status).toBe(200);
		await expect(createAs('X', F.byolUser())).rejects.toThrow(/licenceModel must be BYOL or TOL/);
	});
});

describe('POST /users: a field that breaks its rule is a 400 naming it, never its value', () => {
	const long = (text, length) => text.repeat(Math.ceil(length / text.length)).slice(0, length);
	const tol = { email: 'e@example.com', fatca: { status: false, confirmed_at: F.hoursAgo() } };
	test.each([
		[{ first_name: 'Z' }, 'first_name'],
		[{ first_name: long('Zebulonius', 101) }, 'first_name', 'Zebulonius'],
		[{ first_name: undefined }, 'first_name'],
		[{ last_name: '' }, 'last_name'],
		[{ last_name: long('Quackenbush', 101) }, 'last_name', 'Quackenbush'],
		[{ birth_date: '1984-02-30' }, 'birth_date', '1984-02-30'],
		[{ birth_date: '12.08.1984' }, 'birth_date', '12.08.1984'],
		[{ birth_date: '2999-01-01' }, 'birth_date', '2999-01-01'],
		[{ birth_date: 19840812 }, 'birth_date', '19840812'],
		[{ nationalities: [] }, 'nationalities'],
		[{ nationalities: 'DE' }, 'nationalities'],
		[{ nationalities: ['DE', 'DE'] }, 'nationalities'],
		[{ nationalities: ['DE', 'QQ'] }, 'nationalities[1]', 'QQ'],
		[{ nationalities: ['de'] }, 'nationalities[0]'],
		[{ address: undefined }, 'address'],
		[{ address: 'Musterstrasse 1, Berlin' }, 'address', 'Musterstrasse'],
		[{ address: F.address({ postcode: '!!Geheim77' }) }, 'address.postcode', 'Geheim77'],
		[{ address: F.address({ postcode: '12345678901' }) }, 'address.postcode', '12345678901'],
		[
			{ address: F.address({ address_line1: long('Geheimweg 7 ', 101) }) },
			'address.address_line1',
			'Geheimweg',
		],
		[{ address: F.address({ address_line1: undefined }) }, 'address.address_line1'],
		[
			{ address: F.address({ address_line2: long('Hinterhaus ', 101) }) },
			'address.address_line2',
			'Hinterhaus',
		],
		[{ address: F.address({ city: '' }) }, 'address.city'],
		[{ address: F.address({ city: long('Kleinstadt', 86) }) }, 'address.city', 'Kleinstadt'],
		[{ address: F.address({ state: long('Bundesland', 51) }) }, 'address.state', 'Bundesland'],
		[{ address: F.address({ country: 'Germany' }) }, 'address.country', 'Germany'],
		[{ address: F.address({ floor: 3 }) }, 'address.floor'],
		[{ email: 'erika.at.example.com' }, 'email', 'erika.at.example.com'],
		[{ email: `${long('erika', 95)}@example.com` }, 'email', 'erikaerika'],
		[{ salutation: 'MRS' }, 'salutation', 'MRS'],
		[{ title: 'SIR' }, 'title', 'SIR'],
		[{ birth_city: '' }, 'birth_city'],
		[{ birth_city: long('Geburtsort', 86) }, 'birth_city', 'Geburtsort'],
		[{ birth_country: 'XY' }, 'birth_country'],
		[{ birth_name: long('Geborene', 101) }, 'birth_name', 'Geborene'],
		[{ phone_number: '+4930123456' }, 'phone_number', '4930123456'],
		[{ phone_number: '1234567' }, 'phone_number', '1234567'],
		[{ postal_address: F.address({ city: undefined }) }, 'postal_address.city'],
		[{ gender: 'W' }, 'gender'],
		[{ social_security_number: '25300972s014' }, 'social_security_number', '25300972s014'],
		[{ social_security_number: '25320972S014' }, 'social_security_number', '25320972S014'],
		[{ tags: ['VIP'] }, 'tags[0]', 'VIP'],
		[{ tags: ['CLIENT_EMPLOYEE', 'CLIENT_EMPLOYEE'] }, 'tags'],
		[{ branch_id: 'branch-berlin' }, 'branch_id', 'branch-berlin'],
		[{ nickname: 'Eri' }, 'nickname', 'Eri'],
		[{ email: 'e@example.com', fatca: { status: true } }, 'fatca.confirmed_at'],
		[
			{ email: 'e@example.com', fatca: { status: 'yes', confirmed_at: F.hoursAgo() } },
			'fatca.status',
		],
		[
			{ email: 'e@example.com', fatca: { status: true, confirmed_at: '2026-01-05 10:00' } },
			'fatca.confirmed_at',
		],
		[
			{ email: 'e@example.com', fatca: { status: true, confirmed_at: '2026-01-05T10:00:00' } },
			'fatca.confirmed_at',
		],
		[
			{ email: 'e@example.com', fatca: { status: true, confirmed_at: '2026-13-05T10:00:00Z' } },
			'fatca.confirmed_at',
		],
		[
			{
				...tol,
				terms_and_conditions: { consent_document_id: 'tc-v1', confirmed_at: F.hoursAgo() },
			},
			'terms_and_conditions.consent_document_id',
			'tc-v1',
		],
		[
			{ ...tol, data_privacy_and_sharing_agreement: { consent_document_id: F.uuid() } },
			'data_privacy_and_sharing_agreement.confirmed_at',
		],
	])('%p: 400 naming %s', async (fields, field, secret = undefined) => {
		const body = F.byolUser(fields);
		for (const [key, value] of Object.entries(fields)) if (value === undefined) delete body[key];
		F.expectFieldError(await createUser(body), field, secret);
		expect(suite.sim.state.users).toHaveLength(0);
		expect(suite.sim.state.events).toHaveLength(0);
	});

	test('a body that is not an object', async () => {
		expectProblem(await createUser([F.byolUser()]), 400, 'Request body must be a JSON object');
		expectProblem(await createUser('"Erika"'), 400, 'Request body must be a JSON object');
	});
});

describe('POST /users: idempotency and scopes', () => {
	test('the idempotency key is required; a replay answers the same user, nothing new', async () => {
		const missing = await createUser(F.byolUser(), { idempotencyKey: null });
		expectProblem(
			missing,
			400,
			'The idempotency-key header is required',
			'missing_idempotency_key',
		);
		const idempotencyKey = F.uuid();
		const first = await createUser(F.byolUser(), { idempotencyKey });
		const again = await createUser(F.byolUser(), { idempotencyKey });
		expect(again.status).toBe(200);
		expect(again.headers['upvest-idempotent-replay']).toBe('true');
		expect(again.json).toEqual(first.json);
		expect(suite.sim.state.users).toHaveLength(1);
		expect(api.eventTypes()).toEqual(['USER.CREATED']);
		expect((await createUser(F.byolUser({ first_name: 'Anna' }), { idempotencyKey })).status).toBe(
			422,
		);
	});

	test('users:admin to create; users:read is not enough', async () => {
		const readOnly = await suite.client.token('users:read');
		expectProblem(
			await suite.client.post('/users', readOnly, F.byolUser()),
			403,
			'Missing required scope: users:admin',
		);
	});
});
