'use strict';

/** User checks: submitting KYC, POR and INSTRUMENT_FIT, the field rules, lists and decisions. */

const { admin, expectProblem, UUID_RE } = require('./helpers');
const F = require('./onboarding-fixtures');

const { suite, api } = F.useOnboarding();

let user;
beforeEach(async () => {
	user = await api.user();
});

const submit = (body, options, userId = user.id) =>
	api.submit(`/users/${userId}/checks`, body, options);
const checks = (query, userId = user.id) => api.get(`/users/${userId}/checks`, query);

describe('POST /users/{user_id}/checks', () => {
	test.each([
		['KYC', F.kyc({ confirmed_address: F.address(), kyc_update: true })],
		['POR', F.por()],
		['INSTRUMENT_FIT', F.instrumentFit()],
	])('%s: 202 with the id only; stored IN_PROGRESS; USER_CHECK.CREATED', async (type, body) => {
		const res = await submit(body);
		expect(res.status).toBe(202);
		expect(res.json).toEqual({ id: expect.stringMatching(UUID_RE) });
		const stored = (await api.get(`/users/${user.id}/checks/${res.json.id}`)).json;
		const { type: _type, ...fields } = body;
		expect(stored).toEqual({
			id: res.json.id,
			user_id: user.id,
			type,
			...fields,
			status: 'IN_PROGRESS',
		});
		expect(stored).not.toHaveProperty('created_at');
		const event = suite.sim.state.events.at(-1);
		expect(event).toMatchObject({ type: 'USER_CHECK.CREATED', object: stored });
	});

	test('no idempotency: the same key twice submits two checks, and no key is checked', async () => {
		const idempotencyKey = F.uuid();
		const first = await submit(F.kyc(), { idempotencyKey });
		const second = await submit(F.kyc(), { idempotencyKey });
		expect([first.status, second.status]).toEqual([202, 202]);
		expect(second.headers['upvest-idempotent-replay']).toBeUndefined();
		expect(second.json.id).not.toBe(first.json.id);
		expect((await submit(F.kyc(), { idempotencyKey: 'not-a-uuid' })).status).toBe(202);
		expect(suite.sim.state.userChecks).toHaveLength(3);
	});

	test('other check types are a 400 naming type', async () => {
		const detail = 'type must be one of KYC, POR, INSTRUMENT_FIT';
		for (const type of ['GUARDIAN', 'USER_SELF_ASSESSMENT', 'US_WITHHOLDING_TAX_STATUS', 'kyc', 7])
			expectProblem(await submit({ ...F.kyc(), type }), 400, detail);
		const { type: _t, ...noType } = F.kyc();
		expectProblem(await submit(noType), 400, 'type is required');
		expect(suite.sim.state.userChecks).toHaveLength(0);
	});

	const skewed = (seconds) => new Date(Date.now() + seconds * 1000).toISOString();
	const monthsAgo = (months, extraDays = 0) => {
		const d = new Date();
		d.setUTCMonth(d.getUTCMonth() - months);
		d.setUTCDate(d.getUTCDate() + extraDays);
		return d.toISOString();
	};
	test.each([
		[F.kyc({ check_confirmed_at: monthsAgo(24, -1) }), 'check_confirmed_at'],
		[F.kyc({ check_confirmed_at: skewed(120) }), 'check_confirmed_at'],
		[
			F.kyc({ check_confirmed_at: '2026-03-01T10:00:00' }),
			'check_confirmed_at',
			'2026-03-01T10:00:00',
		],
		[F.kyc({ check_confirmed_at: undefined }), 'check_confirmed_at'],
		[
			F.kyc({ data_download_link: 'ftp://files.example.com/secret-kyc.zip' }),
			'data_download_link',
			'secret-kyc',
		],
		[
			F.kyc({ data_download_link: `https://files.example.com/${'k'.repeat(1000)}` }),
			'data_download_link',
			'kkkkkkkk',
		],
		[F.kyc({ document_type: 'BIRTH_CERTIFICATE' }), 'document_type', 'BIRTH_CERTIFICATE'],
		[F.kyc({ document_expiration_date: undefined }), 'document_expiration_date'],
		[F.kyc({ document_type: 'ID_CARD', nationality: undefined }), 'nationality'],
		[F.kyc({ document_expiration_date: '2031-02-31' }), 'document_expiration_date', '2031-02-31'],
		[F.kyc({ nationality: 'Deutsch' }), 'nationality', 'Deutsch'],
		[F.kyc({ provider: '' }), 'provider'],
		[F.kyc({ provider: 'p'.repeat(101) }), 'provider', 'pppppppp'],
		[F.kyc({ method: 'SELFIE' }), 'method', 'SELFIE'],
		[
			F.kyc({ confirmed_address: F.address({ postcode: '#Hidden1' }) }),
			'confirmed_address.postcode',
			'Hidden1',
		],
		[F.kyc({ kyc_update: 'yes' }), 'kyc_update'],
		[F.kyc({ role_id: F.uuid() }), 'role_id'],
		[F.por({ issuance_date: '2999-12-31' }), 'issuance_date', '2999-12-31'],
		[F.por({ confirmed_address: undefined }), 'confirmed_address'],
		[F.por({ document_type: 'PASSPORT' }), 'document_type'],
		[F.por({ method: 'VIDEO_ID' }), 'method'],
		[F.instrumentFit({ instrument_suitability: {} }), 'instrument_suitability.suitability'],
		[
			F.instrumentFit({ instrument_suitability: { suitability: 'high' } }),
			'instrument_suitability.suitability',
			'high',
		],
	])('%p is a 400 naming %s, not its value', async (body, field, secret = undefined) => {
		for (const [key, value] of Object.entries(body)) if (value === undefined) delete body[key];
		F.expectFieldError(await submit(body), field, secret);
		expect(suite.sim.state.userChecks).toHaveLength(0);
	});

	test('what is allowed: within the clock skew, 24 months old, no expiry for 2+2 proofs', async () => {
		expect((await submit(F.kyc({ check_confirmed_at: skewed(10) }))).status).toBe(202);
		expect((await submit(F.kyc({ check_confirmed_at: monthsAgo(24, 1) }))).status).toBe(202);
		const twoPlusTwo = F.kyc({
			document_type: 'TWO_PLUS_TWO_VERIFICATION_PROOF',
			method: 'TWO_PLUS_TWO_VERIFICATION',
		});
		delete twoPlusTwo.document_expiration_date;
		delete twoPlusTwo.nationality;
		expect((await submit(twoPlusTwo)).status).toBe(202);
		// an hour ago, written in UTC+02:00
		const wall = new Date(Date.now() + 3600000).toISOString().slice(0, 23);
		expect((await submit(F.kyc({ check_confirmed_at: `${wall}+02:00` }))).status).toBe(202);
		const inTwoMinutes = new Date(Date.now() + 7320000).toISOString().slice(0, 19);
		F.expectFieldError(
			await submit(F.kyc({ check_confirmed_at: `${inTwoMinutes}+02:00` })),
			'check_confirmed_at',
		);
	});

	test('404 for an unknown user; 400 for a bad id; checks:admin to submit', async () => {
		const id = F.uuid();
		expectProblem(await submit(F.kyc(), undefined, id), 404, `User ${id} not found`);
		expectProblem(await submit(F.kyc(), undefined, 'erika'), 400, 'user_id must be a UUID');
		const usersOnly = await suite.client.token('users:admin checks:read');
		expectProblem(
			await suite.client.post(`/users/${user.id}/checks`, usersOnly, F.kyc()),
			403,
			'Missing required scope: checks:admin',
		);
	});
});

describe('deciding checks', () => {
	test('after checkDelayMs as checkOutcome says, with USER_CHECK.PASSED or FAILED', async () => {
		suite.sim.setConfig({ checkDelayMs: 300 }); // both are submitted before either is decided
		const passed = (await submit(F.por())).json.id;
		suite.sim.setConfig({ checkOutcome: 'FAILED' });
		const failed = (await submit(F.por())).json.id;
		await F.waitFor(() => suite.sim.state.userChecks.every((c) => c.status !== 'IN_PROGRESS'));
		expect(suite.sim.state.userChecks.map((c) => [c.id, c.status])).toEqual([
			[passed, 'PASSED'],
			[failed, 'FAILED'],
		]);
		const events = suite.sim.state.events.filter((e) => e.type.startsWith('USER_CHECK.'));
		expect(events.map((e) => [e.type, e.object.status])).toEqual([
			['USER_CHECK.CREATED', 'IN_PROGRESS'],
			['USER_CHECK.CREATED', 'IN_PROGRESS'],
			['USER_CHECK.PASSED', 'PASSED'],
			['USER_CHECK.FAILED', 'FAILED'],
		]);
	});

	test('checkDelayMs null: IN_PROGRESS until the admin API decides it', async () => {
		const id = (await submit(F.kyc())).json.id;
		await F.pause(30);
		expect(suite.sim.state.userChecks[0].status).toBe('IN_PROGRESS');
		const res = await admin(suite.sim.url, 'POST', 'status', { checkId: id, status: 'FAILED' });
		expect(res.json.resource).toMatchObject({ id, status: 'FAILED' });
		suite.sim.setStatus({ checkId: id, status: 'IN_PROGRESS' });
		expect(api.eventTypes().slice(-2)).toEqual(['USER_CHECK.CREATED', 'USER_CHECK.FAILED']);
		expectProblem(
			await admin(suite.sim.url, 'POST', 'status', { checkId: id, status: 'DONE' }),
			400,
			'status must be one of IN_PROGRESS, PASSED, FAILED',
		);
		expectProblem(
			await admin(suite.sim.url, 'POST', 'status', { checkId: F.uuid(), status: 'PASSED' }),
			404,
		);
	});
});

describe('GET /users/{user_id}/checks', () => {
	test('the latest check per type by default; list_history=true: all, in submission order', async () => {
		const kyc1 = (await submit(F.kyc())).json.id;
		const por = (await submit(F.por())).json.id;
		const kyc2 = (await submit(F.kyc({ provider: 'POSTIDENT' }))).json.id;
		const fit = (await submit(F.instrumentFit())).json.id;
		const ids = async (query) => {
			const res = await checks(query);
			expect(res.status).toBe(200);
			expect(Object.keys(res.json)).toEqual(['data']);
			return res.json.data.map((check) => check.id);
		};
		expect(await ids()).toEqual([por, kyc2, fit]);
		expect(await ids('list_history=false')).toEqual([por, kyc2, fit]);
		expect(await ids('list_history=true')).toEqual([kyc1, por, kyc2, fit]);
		expect(await ids('type=KYC')).toEqual([kyc2]);
		expect(await ids('type=KYC&list_history=true')).toEqual([kyc1, kyc2]);
		expect(await ids('type=COMPLIANCE')).toEqual([]);
		expect((await checks()).json.data[1]).toEqual(suite.sim.state.userChecks[2]);
		const other = await api.user();
		expect((await checks(undefined, other.id)).json).toEqual({ data: [] });
	});

	test('bad or unknown parameters are 400 naming them; 404 for an unknown user', async () => {
		expectProblem(await checks('list_history=yes'), 400, 'list_history must be one of true, false');
		expectProblem(await checks('type=PIZZA'), 400, /^type must be one of KYC, INSTRUMENT_FIT, POR/);
		expectProblem(await checks('limit=10'), 400, 'Unknown query parameter: limit');
		expectProblem(await checks('type=KYC&type=POR'), 400, 'type must be given once');
		const id = F.uuid();
		expectProblem(await checks(undefined, id), 404, `User ${id} not found`);
	});

	test('GET …/checks/{check_id}: 404 for an unknown check or one of another user', async () => {
		const id = (await submit(F.kyc())).json.id;
		const other = await api.user();
		expectProblem(await api.get(`/users/${other.id}/checks/${id}`), 404, `Check ${id} not found`);
		const unknown = F.uuid();
		expectProblem(
			await api.get(`/users/${user.id}/checks/${unknown}`),
			404,
			`Check ${unknown} not found`,
		);
		expectProblem(await api.get(`/users/${user.id}/checks/x`), 400, 'check_id must be a UUID');
		const read = await suite.client.token('checks:read');
		expect((await api.get(`/users/${user.id}/checks/${id}`, undefined, read)).status).toBe(200);
		const usersRead = await suite.client.token('users:read');
		expectProblem(
			await api.get(`/users/${user.id}/checks`, undefined, usersRead),
			403,
			'Missing required scope: checks:read',
		);
	});
});
