'use strict';

/**
 * The onboarding chain: checks and identifiers make a user ACTIVE, which activates its account
 * groups, their accounts and its roles; every transition is a webhook event delivered to a
 * subscription. Owners the simulator does not know keep the timed activation.
 */

const { startReceiver } = require('./receiver');
const F = require('./onboarding-fixtures');

const { suite, api } = F.useOnboarding({ webhookBatchDelayMs: 5 });

const userStatus = (id) => suite.sim.state.users.find((u) => u.id === id).status;
const ALL_ACTIVE = {
	user: ['ACTIVE'],
	groups: ['ACTIVE'],
	accounts: ['ACTIVE'],
	roles: ['ACTIVE'],
};
const statuses = () => ({
	user: suite.sim.state.users.map((u) => u.status),
	groups: suite.sim.state.accountGroups.map((g) => g.status),
	accounts: suite.sim.state.accounts.map((a) => a.status),
	roles: suite.sim.state.roles.map((r) => r.status),
});

/** A user with a group, an account in it and a role on a business. */
async function onboardingUser(fields) {
	const user = await api.user(fields);
	const group = await api.group({ user_id: user.id, type: 'PERSONAL' });
	const account = await api.account({
		user_id: user.id,
		account_group_id: group.id,
		type: 'TRADING',
	});
	const role = await api.role({
		user_id: user.id,
		entity_type: 'BUSINESS',
		entity_id: F.uuid(),
		role_type: 'TRADER',
	});
	return { user, group, account, role };
}

describe('user → account group → account, and the user’s roles', () => {
	test('every transition is delivered to a subscription, in order', async () => {
		const receiver = await startReceiver();
		try {
			const sub = await api.submit('/webhooks', {
				title: 'onboarding',
				url: `${receiver.url}/hook`,
				type: ['ALL'],
			});
			expect(sub.status).toBe(201);
			suite.sim.setConfig({ checkDelayMs: 5, closeDelayMs: 5 });
			const { user, group, account } = await onboardingUser();
			await api.check(user.id, F.kyc());
			await F.waitFor(() => userStatus(user.id) === 'ACTIVE');
			expect(statuses()).toEqual(ALL_ACTIVE);
			expect((await api.patch(`/accounts/${account.id}`, { name: 'Main' })).status).toBe(200);
			expect((await api.del(`/accounts/${account.id}`)).status).toBe(202);
			expect((await api.del(`/account_groups/${group.id}`)).status).toBe(202);
			expect((await api.del(`/users/${user.id}`)).status).toBe(202);
			await F.waitFor(() => userStatus(user.id) === 'OFFBOARDED');

			const types = api.eventTypes();
			expect(types.slice(0, 11)).toEqual([
				'USER.CREATED',
				'ACCOUNT_GROUP.CREATED',
				'ACCOUNT.CREATED',
				'ROLE.CREATED',
				'USER_CHECK.CREATED',
				'USER_CHECK.PASSED',
				'USER.ACTIVATED',
				'ACCOUNT_GROUP.ACTIVATED',
				'ACCOUNT.ACTIVATED',
				'ROLE.ACTIVATED',
				'ACCOUNT.UPDATED',
			]);
			// closing runs on timers: each CLOSED after its CLOSING_INITIATED, OFFBOARDED last
			const rest = types.slice(11);
			expect([...rest].sort()).toEqual([
				'ACCOUNT.CLOSED',
				'ACCOUNT.CLOSING_INITIATED',
				'ACCOUNT_GROUP.CLOSED',
				'ACCOUNT_GROUP.CLOSING_INITIATED',
				'USER.OFFBOARDED',
				'USER.OFFBOARDING_INITIATED',
			]);
			const at = (type) => rest.indexOf(type);
			expect(at('ACCOUNT.CLOSED')).toBeGreaterThan(at('ACCOUNT.CLOSING_INITIATED'));
			expect(at('ACCOUNT_GROUP.CLOSED')).toBeGreaterThan(at('ACCOUNT_GROUP.CLOSING_INITIATED'));
			expect(rest.at(-1)).toBe('USER.OFFBOARDED');
			await F.waitFor(
				() => receiver.received.flatMap((r) => JSON.parse(r.body).payload).length === types.length,
			);
			const delivered = receiver.received.flatMap((r) => JSON.parse(r.body).payload);
			expect(delivered.map((event) => event.type)).toEqual(types);
			expect(delivered.every((event) => event.webhook_id === sub.json.id)).toBe(true);
			const activated = delivered.find((event) => event.type === 'USER.ACTIVATED');
			expect(activated.object).toMatchObject({
				id: user.id,
				status: 'ACTIVE',
				first_name: 'Erika',
			});
		} finally {
			suite.sim.reset();
			await receiver.close();
		}
	});

	test('checks that FAILED leave everything waiting; a later PASSED check activates', async () => {
		suite.sim.setConfig({ checkDelayMs: 5, checkOutcome: 'FAILED' });
		const { user } = await onboardingUser();
		await api.check(user.id);
		await F.waitFor(() => suite.sim.state.userChecks[0].status === 'FAILED');
		expect(statuses()).toEqual({
			user: ['INACTIVE'],
			groups: ['PENDING_APPROVAL'],
			accounts: ['PENDING_APPROVAL'],
			roles: ['PENDING'],
		});
		// the timed activation does not apply to a user the simulator knows
		suite.sim.setConfig({ activationDelayMs: 5, checkOutcome: 'PASSED' });
		await F.pause(30);
		expect(statuses().groups).toEqual(['PENDING_APPROVAL']);
		await api.check(user.id);
		await F.waitFor(() => userStatus(user.id) === 'ACTIVE');
		expect(statuses()).toEqual(ALL_ACTIVE);
	});

	test('the latest check of a type counts: PASSED, then a newer one FAILED', async () => {
		const { user } = await onboardingUser({ nationalities: ['PL'] });
		const passed = await api.check(user.id);
		suite.sim.setStatus({ checkId: passed, status: 'PASSED' });
		const failed = await api.check(user.id);
		suite.sim.setStatus({ checkId: failed, status: 'FAILED' });
		await api.submit(`/users/${user.id}/identifiers`, {
			type: 'NATIONAL_ID',
			issuing_country: 'PL',
			identifier: '85010112345',
		});
		expect(userStatus(user.id)).toBe('INACTIVE');
	});

	test('TOL users need KYC and INSTRUMENT_FIT (requiredUserChecks); POR is not required', async () => {
		const user = await api.created('/users', F.tolUser());
		for (const body of [F.kyc(), F.por()])
			suite.sim.setStatus({ checkId: await api.check(user.id, body), status: 'PASSED' });
		expect(userStatus(user.id)).toBe('INACTIVE');
		suite.sim.setStatus({ checkId: await api.check(user.id, F.instrumentFit()), status: 'PASSED' });
		expect(userStatus(user.id)).toBe('ACTIVE');
	});

	test('requiredUserChecks is configurable: none at all activates at creation', async () => {
		suite.sim.setConfig({ requiredUserChecks: { BYOL: [], TOL: ['POR'] } });
		const byol = await api.user();
		expect(byol.status).toBe('INACTIVE'); // the answer shows the user as created
		expect(userStatus(byol.id)).toBe('ACTIVE');
		expect(api.eventTypes()).toEqual(['USER.CREATED', 'USER.ACTIVATED']);
		const tol = await api.created('/users', F.tolUser());
		suite.sim.setStatus({ checkId: await api.check(tol.id, F.kyc()), status: 'PASSED' });
		expect(userStatus(tol.id)).toBe('INACTIVE');
		suite.sim.setStatus({ checkId: await api.check(tol.id, F.por()), status: 'PASSED' });
		expect(userStatus(tol.id)).toBe('ACTIVE');
	});
});

describe('the identifier the decisive nationality needs', () => {
	const passKyc = async (userId) =>
		suite.sim.setStatus({ checkId: await api.check(userId), status: 'PASSED' });
	// a made-up passport standard, so that CONCAT countries take an identifier too
	const identify = (userId, issuing_country, identifier) =>
		api.submit(`/users/${userId}/identifiers`, {
			type: 'PASSPORT',
			issuing_country,
			identifier,
			identifier_standard: 'PSPT',
		});

	test.each([
		[['DE'], null],
		[['AT', 'US'], null],
		[['US', 'PL'], 'PL'],
		[['PL', 'DE'], null], // DE is the first EEA nationality alphabetically
		[['FR', 'BE'], 'BE'],
		[['US', 'CA'], 'CA'], // no EEA nationality: the first alphabetically
		[['NO', 'GB'], 'NO'],
	])('nationalities %p need an identifier of %p', async (nationalities, needed) => {
		const user = await api.user({ nationalities });
		await passKyc(user.id);
		if (needed === null) {
			expect(userStatus(user.id)).toBe('ACTIVE');
			return;
		}
		expect(userStatus(user.id)).toBe('INACTIVE');
		const others = nationalities.filter((country) => country !== needed);
		for (const country of [...others, 'GB'])
			expect((await identify(user.id, country, 'X12345678')).status).toBe(200);
		expect(userStatus(user.id)).toBe('INACTIVE');
		expect((await identify(user.id, needed, 'X12345678')).status).toBe(200);
		expect(userStatus(user.id)).toBe('ACTIVE');
	});

	test('an identifier before the check counts as well', async () => {
		const user = await api.user({ nationalities: ['IT'] });
		await identify(user.id, 'IT', 'YA1234567');
		expect(userStatus(user.id)).toBe('INACTIVE');
		await passKyc(user.id);
		expect(userStatus(user.id)).toBe('ACTIVE');
	});
});

describe('resources of owners that are ACTIVE or unknown', () => {
	test('an ACTIVE known user: new groups, accounts and roles activate after activationDelayMs', async () => {
		const [userId] = suite.sim.seed({ users: { count: 1 } }).users;
		const group = await api.group({ user_id: userId, type: 'PERSONAL' });
		const role = await api.role({
			user_id: userId,
			entity_type: 'BUSINESS',
			entity_id: F.uuid(),
			role_type: 'TRADER',
		});
		await F.pause(20);
		expect([group.status, statuses().groups[0], statuses().roles[0]]).toEqual([
			'PENDING_APPROVAL',
			'PENDING_APPROVAL',
			'PENDING',
		]);
		suite.sim.setConfig({ activationDelayMs: 5 });
		await api.group({ user_id: userId, type: 'ISA' });
		await api.role({
			user_id: userId,
			entity_type: 'BUSINESS',
			entity_id: F.uuid(),
			role_type: 'TRADER',
		});
		await F.waitFor(() => statuses().groups[1] === 'ACTIVE' && statuses().roles[1] === 'ACTIVE');
		expect(role.status).toBe('PENDING');
	});

	test('unknown users keep the timed activation of groups and roles', async () => {
		suite.sim.setConfig({ activationDelayMs: 5 });
		await api.group({ user_id: F.uuid(), type: 'PERSONAL' });
		await api.role({
			user_id: F.uuid(),
			entity_type: 'BUSINESS',
			entity_id: F.uuid(),
			role_type: 'TRADER',
		});
		await F.waitFor(() => statuses().groups[0] === 'ACTIVE' && statuses().roles[0] === 'ACTIVE');
	});

	test('a known user’s business roles activate with the user, and then the business', async () => {
		const business = await api.business();
		const users = [await api.user(), await api.user(), await api.user()];
		const types = ['ULTIMATE_BENEFICIAL_OWNER', 'LEGAL_REPRESENTATIVE', 'CONTRACTING_EXECUTIVE'];
		for (let i = 0; i < 3; i++)
			await api.role({
				user_id: users[i].id,
				entity_type: 'BUSINESS',
				entity_id: business.id,
				role_type: types[i],
			});
		suite.sim.setStatus({ checkId: await api.kyb(business.id), status: 'PASSED' });
		for (const user of users) {
			expect(suite.sim.state.businesses[0].status).toBe('INACTIVE');
			suite.sim.setStatus({ checkId: await api.check(user.id), status: 'PASSED' });
		}
		expect(statuses().roles).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE']);
		expect(suite.sim.state.businesses[0].status).toBe('ACTIVE');
		expect(api.eventTypes().slice(-3)).toEqual([
			'USER.ACTIVATED',
			'ROLE.ACTIVATED',
			'BUSINESS.ACTIVATED',
		]);
	});
});
