'use strict';

/** Accounts: create (user and business), activation with the group, lists, rename, close, seeding. */

const { admin, expectProblem, UUID_RE } = require('./helpers');
const F = require('./onboarding-fixtures');

const { suite, api } = F.useOnboarding();

let owner;
let group;
beforeEach(async () => {
	owner = F.uuid(); // a user the simulator does not know
	group = await api.group({ user_id: owner, type: 'PERSONAL' });
});

const create = (fields = {}, options) =>
	api.post(
		'/accounts',
		{ user_id: owner, account_group_id: group.id, type: 'TRADING', ...fields },
		options,
	);
const account = (id) => suite.sim.state.accounts.find((a) => a.id === id);

describe('POST /accounts', () => {
	test('a user account: 200, numbered in its group, the group users copied, PENDING_APPROVAL', async () => {
		const res = await create();
		expect(res.status).toBe(200);
		expect(res.json).toEqual(
			F.created(
				{
					account_group_id: group.id,
					type: 'TRADING',
					users: [{ id: owner, type: 'OWNER' }],
					account_number: 1,
					name: '',
				},
				'PENDING_APPROVAL',
			),
		);
		expect(suite.sim.state.events.at(-1)).toMatchObject({
			type: 'ACCOUNT.CREATED',
			object: res.json,
		});
		const second = await create({ type: 'PORTFOLIO', name: 'Savings for later' });
		expect(second.json).toMatchObject({
			account_number: 2,
			type: 'PORTFOLIO',
			name: 'Savings for later',
		});
		const elsewhere = await api.group({ user_id: owner, type: 'ISA' });
		expect((await create({ account_group_id: elsewhere.id })).json.account_number).toBe(1);
	});

	test('a business account: business_id instead of users; the child of a CHILD group', async () => {
		const business = F.uuid();
		const businessGroup = await api.group({ business_id: business, type: 'BUSINESS' });
		const res = await api.post('/accounts', {
			business_id: business.toUpperCase(),
			account_group_id: businessGroup.id,
			type: 'TRADING',
		});
		expect(res.status).toBe(200);
		expect(res.json).toMatchObject({ business_id: business, account_number: 1 });
		expect(res.json).not.toHaveProperty('users');
		const child = F.uuid();
		const childGroup = await api.group({ user_id: child, type: 'CHILD' });
		const childAccount = await create({ user_id: child, account_group_id: childGroup.id });
		expect(childAccount.json.users).toEqual([{ id: child, type: 'CHILD' }]);
	});

	test('404 for an unknown group; 400 for an owner that is not the group’s; 409 when it is closing', async () => {
		const unknown = F.uuid();
		expectProblem(
			await create({ account_group_id: unknown }),
			404,
			`Account group ${unknown} not found`,
		);
		const stranger = F.uuid();
		const res = await create({ user_id: stranger });
		expectProblem(res, 400, 'user_id is not an owner of the account group');
		expect(res.text).not.toContain(stranger);
		const guardian = F.uuid();
		await api.role({
			user_id: guardian,
			entity_type: 'ACCOUNT_GROUP',
			entity_id: group.id,
			role_type: 'GUARDIAN',
		});
		expectProblem(
			await create({ user_id: guardian }),
			400,
			'user_id is not an owner of the account group',
		);
		const { user_id: _u, ...rest } = {
			user_id: owner,
			account_group_id: group.id,
			type: 'TRADING',
		};
		expectProblem(
			await api.post('/accounts', { ...rest, business_id: F.uuid() }),
			400,
			'business_id is not the business of the account group',
		);
		expect((await api.del(`/account_groups/${group.id}`)).status).toBe(202);
		expectProblem(
			await create(),
			409,
			'An operation is not available for the current state of the resource: the account group is CLOSING',
			'conflict',
		);
		suite.sim.setStatus({ accountGroupId: group.id, status: 'CLOSED' });
		expectProblem(await create(), 409, /the account group is CLOSED$/);
		expect(suite.sim.state.accounts).toHaveLength(0);
	});

	test.each([
		[{ business_id: F.uuid() }, 'user_id', 'Exactly one of user_id or business_id must be given'],
		[{ user_id: undefined }, 'user_id', 'Exactly one of user_id or business_id must be given'],
		[{ user_id: 'erika' }, 'user_id', 'user_id must be a UUID'],
		[{ account_group_id: 'group-1' }, 'account_group_id', 'account_group_id must be a UUID'],
		[{ type: 'SAVINGS' }, 'type', 'type must be one of TRADING, PORTFOLIO'],
		[{ type: undefined }, 'type', 'type is required'],
		[{ name: 'Geheimdepot '.repeat(9) }, 'name', 'name must be a string of at most 100 characters'],
		[{ status: 'ACTIVE' }, 'status', 'Unknown field: status'],
	])('%p is a 400 naming %s', async (fields, field, detail) => {
		const body = { user_id: owner, account_group_id: group.id, type: 'TRADING', ...fields };
		for (const [key, value] of Object.entries(fields)) if (value === undefined) delete body[key];
		const res = await api.post('/accounts', body);
		expectProblem(res, 400, detail, 'bad_request');
		expect(detail.includes(field)).toBe(true);
		expect(res.text).not.toContain('Geheimdepot');
	});

	test('the idempotency key is required and replays; accounts:admin to create', async () => {
		expectProblem(
			await create({}, { idempotencyKey: null }),
			400,
			'The idempotency-key header is required',
		);
		const idempotencyKey = F.uuid();
		const first = await create({}, { idempotencyKey });
		const again = await create({}, { idempotencyKey });
		expect(again.headers['upvest-idempotent-replay']).toBe('true');
		expect(again.json).toEqual(first.json);
		expect(suite.sim.state.accounts).toHaveLength(1);
		const read = await suite.client.token('accounts:read');
		expectProblem(
			await suite.client.post('/accounts', read, {
				user_id: owner,
				account_group_id: group.id,
				type: 'TRADING',
			}),
			403,
			'Missing required scope: accounts:admin',
		);
	});
});

describe('activation with the account group', () => {
	test('in a PENDING_APPROVAL group the account waits; the group’s activation activates it', async () => {
		// the group's timer runs long enough for the account to be created while it is pending
		suite.sim.setConfig({ activationDelayMs: 400 });
		const pending = await api.group({ user_id: owner, type: 'ISA' });
		const res = await create({ account_group_id: pending.id });
		expect(suite.sim.state.accountGroups[1].status).toBe('PENDING_APPROVAL');
		await F.waitFor(() => account(res.json.id).status === 'ACTIVE');
		const types = api.eventTypes();
		expect(types.indexOf('ACCOUNT.ACTIVATED')).toBe(
			types.lastIndexOf('ACCOUNT_GROUP.ACTIVATED') + 1,
		);
	});

	test('in an ACTIVE group: ACTIVE after activationDelayMs (null: never)', async () => {
		suite.sim.setStatus({ accountGroupId: group.id, status: 'ACTIVE' });
		const waiting = (await create()).json;
		await F.pause(30);
		expect(account(waiting.id).status).toBe('PENDING_APPROVAL');
		suite.sim.setConfig({ activationDelayMs: 10 });
		const timed = (await create()).json;
		await F.waitFor(() => account(timed.id).status === 'ACTIVE');
		expect(account(waiting.id).status).toBe('PENDING_APPROVAL');
		expect(account(timed.id).updated_at > timed.updated_at).toBe(true);
	});

	test('a group moved ACTIVE by the admin API activates its PENDING_APPROVAL accounts only', async () => {
		const a = (await create()).json;
		const b = (await create()).json;
		expect((await api.del(`/accounts/${b.id}`)).status).toBe(202);
		suite.sim.setStatus({ accountGroupId: group.id, status: 'ACTIVE' });
		expect([account(a.id).status, account(b.id).status]).toEqual(['ACTIVE', 'CLOSING']);
	});
});

describe('reading, renaming and closing accounts', () => {
	test('GET /accounts/{id}; the lists of all, of a user and of a business', async () => {
		const mine = (await create()).json;
		const business = F.uuid();
		const businessGroup = await api.group({ business_id: business, type: 'BUSINESS' });
		const theirs = await api.account({
			business_id: business,
			account_group_id: businessGroup.id,
			type: 'PORTFOLIO',
		});
		expect((await api.get(`/accounts/${mine.id.toUpperCase()}`)).json).toEqual(mine);
		const unknown = F.uuid();
		expectProblem(await api.get(`/accounts/${unknown}`), 404, `Account ${unknown} not found`);
		expectProblem(await api.get('/accounts/x'), 400, 'account_id must be a UUID');

		const all = await api.get('/accounts');
		expect(all.json).toEqual({
			meta: { offset: 0, limit: 100, count: 2, total_count: 2, sort: 'created_at', order: 'ASC' },
			data: [mine, theirs],
		});
		expect((await api.get(`/users/${owner}/accounts`)).json.data).toEqual([mine]);
		expect((await api.get(`/users/${F.uuid()}/accounts`)).json.data).toEqual([]);
		expect((await api.get(`/businesses/${business}/accounts`)).json.data).toEqual([theirs]);
		expect((await api.get('/accounts', 'sort=updated_at&order=DESC')).json.data).toEqual([
			theirs,
			mine,
		]);
		for (const path of [
			'/accounts',
			`/users/${owner}/accounts`,
			`/businesses/${business}/accounts`,
		]) {
			expectProblem(await api.get(path, 'limit=1001'), 400, /^limit/);
			expectProblem(
				await api.get(path, 'sort=name'),
				400,
				/^sort must be one of created_at, updated_at$/,
			);
			expectProblem(await api.get(path, 'type=TRADING'), 400, 'Unknown query parameter: type');
		}
		expectProblem(await api.get('/users/x/accounts'), 400, 'user_id must be a UUID');
		expectProblem(await api.get('/businesses/x/accounts'), 400, 'business_id must be a UUID');
		const roles = await suite.client.token('roles:read');
		expectProblem(
			await api.get('/accounts', undefined, roles),
			403,
			'Missing required scope: accounts:read',
		);
	});

	test('PATCH sets the name only: 200, ACCOUNT.UPDATED; no idempotency key needed or honoured', async () => {
		const made = (await create()).json;
		const path = `/accounts/${made.id}`;
		const res = await api.patch(path, { name: 'Holiday' });
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ ...made, name: 'Holiday', updated_at: expect.any(String) });
		expect(res.json.updated_at > made.updated_at).toBe(true);
		expect(suite.sim.state.events.at(-1)).toMatchObject({
			type: 'ACCOUNT.UPDATED',
			object: res.json,
		});
		const unchanged = await api.patch(path, {});
		expect(unchanged.json).toEqual(res.json);
		expect(api.eventTypes().filter((type) => type === 'ACCOUNT.UPDATED')).toHaveLength(1);
		const keyed = await suite.client.write(
			'PATCH',
			path,
			api.token,
			{ name: 'Again' },
			{ idempotencyKey: 'x' },
		);
		expect(keyed.status).toBe(200);
		F.expectFieldError(
			await api.patch(path, { name: 'Verstecktes Konto '.repeat(6) }),
			'name',
			'Verstecktes',
		);
		F.expectFieldError(await api.patch(path, { type: 'PORTFOLIO' }), 'type');
		expectProblem(await api.patch(`/accounts/${F.uuid()}`, { name: 'x' }), 404);
	});

	test('DELETE: 202 without a body, CLOSING, CLOSED after closeDelayMs; 409 when closing, closed or locked', async () => {
		suite.sim.setConfig({ closeDelayMs: 300 }); // long enough to see CLOSING on a busy machine
		const made = (await create()).json;
		const res = await api.del(`/accounts/${made.id}`);
		expect(res.status).toBe(202);
		expect(res.text).toBe('');
		expect(account(made.id).status).toBe('CLOSING');
		expectProblem(
			await api.del(`/accounts/${made.id}`),
			409,
			'An operation is not available for the current state of the resource: the account is CLOSING',
			'conflict',
		);
		await F.waitFor(() => account(made.id).status === 'CLOSED');
		expectProblem(await api.del(`/accounts/${made.id}`), 409, /the account is CLOSED$/);
		expect(api.eventTypes().slice(-2)).toEqual(['ACCOUNT.CLOSING_INITIATED', 'ACCOUNT.CLOSED']);
		const locked = (await create()).json;
		suite.sim.setStatus({ accountId: locked.id, status: 'LOCKED' });
		expect(api.eventTypes().at(-1)).toBe('ACCOUNT.LOCKED');
		expectProblem(await api.del(`/accounts/${locked.id}`), 409, /the account is LOCKED$/);
		expectProblem(await api.del(`/accounts/${F.uuid()}`), 404);
		const read = await suite.client.token('accounts:read');
		expectProblem(
			await api.del(`/accounts/${locked.id}`, read),
			403,
			'Missing required scope: accounts:admin',
		);
	});
});

describe('seeding accounts', () => {
	test('in a known group (its owners, numbered on), for a business, or for new users', async () => {
		await create();
		const inGroup = suite.sim.seed({ accounts: { count: 2, accountGroupId: group.id } }).accounts;
		expect(inGroup.map((id) => account(id).account_number)).toEqual([2, 3]);
		expect(account(inGroup[0])).toMatchObject({
			users: [{ id: owner, type: 'OWNER' }],
			status: 'ACTIVE',
			type: 'TRADING',
		});
		const business = F.uuid();
		const res = await admin(suite.sim.url, 'POST', 'seed', {
			accounts: { count: 3, businessId: business, type: 'PORTFOLIO', status: 'PENDING_APPROVAL' },
		});
		expect(res.json.accounts).toHaveLength(3);
		expect((await api.get(`/businesses/${business}/accounts`)).json.meta.total_count).toBe(3);
		const [lone] = suite.sim.seed({ accounts: { count: 1 } }).accounts;
		expect(account(lone).users).toEqual([{ id: expect.stringMatching(UUID_RE), type: 'OWNER' }]);
		for (const [spec, detail] of [
			[
				{ accounts: { count: 1, userId: F.uuid(), businessId: F.uuid() } },
				/give userId or businessId/,
			],
			[
				{ accounts: { count: 1, type: 'SAVINGS' } },
				/accounts.type must be one of TRADING, PORTFOLIO/,
			],
			[{ accounts: { count: 1, accountGroupId: 'x' } }, 'accounts.accountGroupId must be a UUID'],
		])
			expectProblem(await admin(suite.sim.url, 'POST', 'seed', spec), 400, detail);
		expect(suite.sim.state.events.filter((e) => e.type === 'ACCOUNT.CREATED')).toHaveLength(1);
	});
});
