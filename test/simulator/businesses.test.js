'use strict';

/** Businesses beyond the create call: reads, KYB checks, activation and seeding. */

const { admin, expectProblem, UUID_RE } = require('./helpers');
const F = require('./onboarding-fixtures');

const { suite, api } = F.useOnboarding();

describe('GET /businesses and /businesses/{business_id}', () => {
	test('reads, the list envelope, 404, query validation, scopes', async () => {
		const a = await api.business();
		const b = await api.created('/businesses', F.soleTrader());
		expect((await api.get(`/businesses/${a.id}`)).json).toEqual(a);
		const unknown = F.uuid();
		expectProblem(await api.get(`/businesses/${unknown}`), 404, `Business ${unknown} not found`);
		expectProblem(await api.get('/businesses/x'), 400, 'business_id must be a UUID');
		const list = await api.get('/businesses', 'order=DESC');
		expect(list.json).toEqual({
			meta: { offset: 0, limit: 100, count: 2, total_count: 2, sort: 'created_at', order: 'DESC' },
			data: [b, a],
		});
		expectProblem(
			await api.get('/businesses', 'status=ACTIVE'),
			400,
			'Unknown query parameter: status',
		);
		const read = await suite.client.token('businesses:read');
		expect((await api.get('/businesses', undefined, read)).status).toBe(200);
		const users = await suite.client.token('users:read');
		expectProblem(
			await api.get('/businesses', undefined, users),
			403,
			'Missing required scope: businesses:read',
		);
	});
});

describe('KYB checks', () => {
	let business;
	beforeEach(async () => {
		business = await api.business();
	});
	const submit = (body, options, id = business.id) =>
		api.submit(`/businesses/${id}/checks`, body, options);

	test('202 {id}; stored with document_type KYB_DOCUMENTS, IN_PROGRESS; BUSINESS_CHECK.CREATED', async () => {
		const body = F.kyb();
		const res = await submit(body);
		expect(res.status).toBe(202);
		expect(res.json).toEqual({ id: expect.stringMatching(UUID_RE) });
		const stored = (await api.get(`/businesses/${business.id}/checks/${res.json.id}`)).json;
		expect(stored).toEqual({
			id: res.json.id,
			business_id: business.id,
			type: 'KYB',
			originally_confirmed_at: body.originally_confirmed_at,
			check_confirmed_at: body.check_confirmed_at,
			data_download_link: body.data_download_link,
			document_type: 'KYB_DOCUMENTS',
			status: 'IN_PROGRESS',
		});
		expect(suite.sim.state.events.at(-1)).toMatchObject({
			type: 'BUSINESS_CHECK.CREATED',
			object: stored,
		});
	});

	test('no idempotency; other types and broken fields are 400 naming the field', async () => {
		const idempotencyKey = F.uuid();
		await submit(F.kyb(), { idempotencyKey });
		await submit(F.kyb(), { idempotencyKey });
		expect(suite.sim.state.businessChecks).toHaveLength(2);
		expectProblem(
			await submit(F.kyb({ type: 'BUSINESS_SELF_ASSESSMENT' })),
			400,
			'type must be one of KYB',
		);
		expectProblem(await submit(F.kyb({ type: 'KYC' })), 400, 'type must be one of KYB');
		const old = new Date(Date.now() - 25 * 31 * 86400000).toISOString();
		F.expectFieldError(await submit(F.kyb({ check_confirmed_at: old })), 'check_confirmed_at');
		F.expectFieldError(
			await submit(F.kyb({ originally_confirmed_at: '2020-01-01' })),
			'originally_confirmed_at',
		);
		const { originally_confirmed_at: _o, ...noOriginal } = F.kyb();
		F.expectFieldError(await submit(noOriginal), 'originally_confirmed_at');
		F.expectFieldError(
			await submit(F.kyb({ data_download_link: 'file:///srv/kyb/geheim.zip' })),
			'data_download_link',
			'geheim',
		);
		F.expectFieldError(await submit(F.kyb({ document_type: 'KYB_DOCUMENTS' })), 'document_type');
		expect(suite.sim.state.businessChecks).toHaveLength(2);
	});

	test('GET list: {data}, all in submission order; GET one; 404s; scopes', async () => {
		const first = await api.kyb(business.id);
		const second = await api.kyb(business.id);
		const other = await api.business();
		await api.kyb(other.id);
		const list = await api.get(`/businesses/${business.id}/checks`);
		expect(list.json).toEqual({ data: suite.sim.state.businessChecks.slice(0, 2) });
		expect(list.json.data.map((check) => check.id)).toEqual([first, second]);
		expectProblem(
			await api.get(`/businesses/${business.id}/checks`, 'list_history=true'),
			400,
			'Unknown query parameter: list_history',
		);
		expectProblem(
			await api.get(`/businesses/${other.id}/checks/${first}`),
			404,
			`Check ${first} not found`,
		);
		const unknown = F.uuid();
		expectProblem(await submit(F.kyb(), undefined, unknown), 404, `Business ${unknown} not found`);
		expectProblem(
			await api.get(`/businesses/${unknown}/checks`),
			404,
			`Business ${unknown} not found`,
		);
		const read = await suite.client.token('checks:read');
		expect(
			(await api.get(`/businesses/${business.id}/checks/${first}`, undefined, read)).status,
		).toBe(200);
		expectProblem(
			await suite.client.post(`/businesses/${business.id}/checks`, read, F.kyb(), {
				idempotencyKey: null,
			}),
			403,
			'Missing required scope: checks:admin',
		);
	});

	test('decided after checkDelayMs by checkOutcome: BUSINESS_CHECK.PASSED / FAILED', async () => {
		suite.sim.setConfig({ checkDelayMs: 5, checkOutcome: 'FAILED' });
		await api.kyb(business.id);
		await F.waitFor(() => suite.sim.state.businessChecks[0].status === 'FAILED');
		suite.sim.setConfig({ checkOutcome: 'PASSED' });
		await api.kyb(business.id);
		await F.waitFor(() => suite.sim.state.businessChecks[1].status === 'PASSED');
		expect(api.eventTypes().filter((t) => t.startsWith('BUSINESS_CHECK.'))).toEqual([
			'BUSINESS_CHECK.CREATED',
			'BUSINESS_CHECK.FAILED',
			'BUSINESS_CHECK.CREATED',
			'BUSINESS_CHECK.PASSED',
		]);
	});
});

describe('business activation: a PASSED KYB check and the three roles', () => {
	const ROLES = ['ULTIMATE_BENEFICIAL_OWNER', 'LEGAL_REPRESENTATIVE', 'CONTRACTING_EXECUTIVE'];
	const addRoles = async (businessId, types = ROLES) => {
		const ids = [];
		for (const role_type of types)
			ids.push(
				(
					await api.role({
						user_id: F.uuid(),
						entity_type: 'BUSINESS',
						entity_id: businessId,
						role_type,
					})
				).id,
			);
		return ids;
	};

	test.each([
		['LIMITED_LIABILITY_COMPANY', F.company],
		['SOLE_TRADER', F.soleTrader],
	])('%s: ACTIVE, then its account groups, then their accounts', async (_type, body) => {
		suite.sim.setConfig({ activationDelayMs: 5, checkDelayMs: 5 });
		const business = await api.created('/businesses', body());
		const group = await api.group({ business_id: business.id, type: 'BUSINESS' });
		const account = await api.account({
			business_id: business.id,
			account_group_id: group.id,
			type: 'TRADING',
		});
		await api.kyb(business.id);
		await addRoles(business.id);
		await F.waitFor(() => suite.sim.state.accounts[0].status === 'ACTIVE');
		await F.pause(20);
		expect(suite.sim.state.businesses[0].status).toBe('ACTIVE');
		expect(suite.sim.state.accountGroups[0].status).toBe('ACTIVE');
		const types = api.eventTypes();
		const at = (type) => types.indexOf(type);
		expect(at('BUSINESS.ACTIVATED')).toBeGreaterThan(at('BUSINESS_CHECK.PASSED'));
		expect(at('BUSINESS.ACTIVATED')).toBeGreaterThan(types.lastIndexOf('ROLE.ACTIVATED'));
		expect(types.slice(at('BUSINESS.ACTIVATED'))).toEqual([
			'BUSINESS.ACTIVATED',
			'ACCOUNT_GROUP.ACTIVATED',
			'ACCOUNT.ACTIVATED',
		]);
		expect(suite.sim.state.events.at(-1).object.id).toBe(account.id);
	});

	test('stays INACTIVE without one of the roles, with a FAILED or newer IN_PROGRESS KYB check', async () => {
		const business = await api.business();
		const group = await api.group({ business_id: business.id, type: 'BUSINESS' });
		const roles = await addRoles(business.id, ROLES.slice(0, 2));
		for (const roleId of roles) suite.sim.setStatus({ roleId, status: 'ACTIVE' });
		const kybId = await api.kyb(business.id);
		suite.sim.setStatus({ checkId: kybId, status: 'PASSED' });
		expect(suite.sim.state.businesses[0].status).toBe('INACTIVE');

		const [executive] = await addRoles(business.id, ['CONTRACTING_EXECUTIVE']);
		await api.kyb(business.id); // the newest KYB check is IN_PROGRESS
		suite.sim.setStatus({ roleId: executive, status: 'ACTIVE' });
		expect(suite.sim.state.businesses[0].status).toBe('INACTIVE');
		const failed = await api.kyb(business.id);
		suite.sim.setStatus({ checkId: failed, status: 'FAILED' });
		expect(suite.sim.state.businesses[0].status).toBe('INACTIVE');
		expect(suite.sim.state.accountGroups[0]).toMatchObject({
			id: group.id,
			status: 'PENDING_APPROVAL',
		});

		const passed = await api.kyb(business.id);
		suite.sim.setStatus({ checkId: passed, status: 'PASSED' });
		expect(suite.sim.state.businesses[0].status).toBe('ACTIVE');
		expect(suite.sim.state.accountGroups[0].status).toBe('ACTIVE');
	});

	test('a group of an ACTIVE business: ACTIVE after activationDelayMs; seeding and the admin API', async () => {
		const [seeded] = suite.sim.seed({ businesses: { count: 1 } }).businesses;
		expect(suite.sim.state.businesses[0]).toMatchObject({
			id: seeded,
			status: 'ACTIVE',
			business_type: 'LIMITED_LIABILITY_COMPANY',
			contact_email: 'seeded.business.0001@example.invalid',
			identification: { company_name: 'Seeded Business 0001' },
		});
		suite.sim.setConfig({ activationDelayMs: 5 });
		await api.group({ business_id: seeded, type: 'BUSINESS' });
		await F.waitFor(() => suite.sim.state.accountGroups[0].status === 'ACTIVE');

		const res = await admin(suite.sim.url, 'POST', 'seed', {
			businesses: { count: 2, businessType: 'SOLE_TRADER', status: 'INACTIVE' },
		});
		const [sole] = res.json.businesses;
		expect(suite.sim.state.businesses[1].identification).toEqual({
			company_name: 'Seeded Business 0002',
			legal_designation: 'EINZELUNTERNEHMER',
		});
		const moved = await admin(suite.sim.url, 'POST', 'status', {
			businessId: sole,
			status: 'ACTIVE',
		});
		expect(moved.json.resource).toMatchObject({ id: sole, status: 'ACTIVE' });
		suite.sim.setStatus({ businessId: sole, status: 'OFFBOARDING' });
		expect(api.eventTypes().slice(-2)).toEqual([
			'BUSINESS.ACTIVATED',
			'BUSINESS.OFFBOARDING_INITIATED',
		]);
		expectProblem(
			await admin(suite.sim.url, 'POST', 'seed', {
				businesses: { count: 1, businessType: 'GMBH' },
			}),
			400,
			/businesses.businessType must be one of LIMITED_LIABILITY_COMPANY, SOLE_TRADER/,
		);
		expectProblem(
			await admin(suite.sim.url, 'POST', 'status', { businessId: sole, status: 'CLOSED' }),
			400,
		);
	});
});
