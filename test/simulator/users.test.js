'use strict';

/** Users beyond the create call: get, the list, offboarding, seeding and admin status moves. */

const { admin, expectProblem } = require('./helpers');
const F = require('./onboarding-fixtures');

const { suite, api } = F.useOnboarding();

describe('GET /users/{user_id} and GET /users', () => {
	test('a user as created; any case of its id; 404 and 400', async () => {
		const user = await api.user();
		const res = await api.get(`/users/${user.id.toUpperCase()}`);
		expect(res.status).toBe(200);
		expect(res.json).toEqual(user);
		const id = F.uuid();
		expectProblem(await api.get(`/users/${id}`), 404, `User ${id} not found`, 'not_found');
		expectProblem(await api.get('/users/erika'), 400, 'user_id must be a UUID');
	});

	test('the list envelope, sorting and paging; bad queries are 400 naming the parameter', async () => {
		const ids = suite.sim.seed({ users: { count: 5, status: 'INACTIVE' } }).users;
		const all = await api.get('/users');
		expect(all.status).toBe(200);
		expect(all.json.meta).toEqual({
			offset: 0,
			limit: 100,
			count: 5,
			total_count: 5,
			sort: 'created_at',
			order: 'ASC',
		});
		expect(all.json.data.map((user) => user.id)).toEqual(ids);
		const page = await api.get('/users', 'offset=1&limit=2&order=DESC');
		expect(page.json.data.map((user) => user.id)).toEqual([ids[3], ids[2]]);
		const byUpdate = (await api.get('/users', 'sort=updated_at')).json.data.map((u) => u.id);
		expect(byUpdate).not.toEqual(ids);
		expect([...byUpdate].sort()).toEqual([...ids].sort());
		expectProblem(await api.get('/users', 'limit=0'), 400, /^limit must be an integer/);
		expectProblem(await api.get('/users', 'sort=last_name'), 400, /^sort must be one of/);
		expectProblem(await api.get('/users', 'status=ACTIVE'), 400, 'Unknown query parameter: status');
		expectProblem(await api.get('/users', 'offset=1&offset=2'), 400, 'offset must be given once');
	});

	test('users:read or users:admin to read', async () => {
		const user = await api.user();
		const read = await suite.client.token('users:read');
		expect((await api.get(`/users/${user.id}`, undefined, read)).status).toBe(200);
		const accounts = await suite.client.token('accounts:read');
		expectProblem(
			await api.get('/users', undefined, accounts),
			403,
			'Missing required scope: users:read',
		);
	});
});

describe('DELETE /users/{user_id}: offboarding', () => {
	test('202 without a body, OFFBOARDING at once, OFFBOARDED after closeDelayMs', async () => {
		suite.sim.setConfig({ closeDelayMs: 300 }); // long enough to read it OFFBOARDING
		const user = await api.user();
		const res = await api.del(`/users/${user.id}`);
		expect(res.status).toBe(202);
		expect(res.text).toBe('');
		const offboarding = (await api.get(`/users/${user.id}`)).json;
		expect(offboarding.status).toBe('OFFBOARDING');
		expect(offboarding.updated_at > user.updated_at).toBe(true);
		await F.waitFor(() => suite.sim.state.users[0].status === 'OFFBOARDED');
		expect(api.eventTypes()).toEqual([
			'USER.CREATED',
			'USER.OFFBOARDING_INITIATED',
			'USER.OFFBOARDED',
		]);
		const again = await api.del(`/users/${user.id}`);
		expect(again.status).toBe(202);
		expect(suite.sim.state.users[0].status).toBe('OFFBOARDED');
		expect(api.eventTypes()).toHaveLength(3);
	});

	test('a repeat while OFFBOARDING changes nothing; closeDelayMs null keeps it there', async () => {
		const user = await api.user();
		expect((await api.del(`/users/${user.id}`)).status).toBe(202);
		const first = (await api.get(`/users/${user.id}`)).json;
		expect((await api.del(`/users/${user.id}`)).status).toBe(202);
		await F.pause(30);
		expect((await api.get(`/users/${user.id}`)).json).toEqual(first);
		expect(api.eventTypes().filter((type) => type === 'USER.OFFBOARDING_INITIATED')).toHaveLength(
			1,
		);
	});

	test('OFFBOARDED only once the last account group the user owns has closed', async () => {
		const user = await api.user();
		const a = await api.group({ user_id: user.id, type: 'PERSONAL' });
		const b = await api.group({ user_id: user.id, type: 'ISA' });
		await api.group({ user_id: F.uuid(), type: 'PERSONAL' }); // someone else's
		suite.sim.setConfig({ closeDelayMs: 10 });
		expect((await api.del(`/users/${user.id}`)).status).toBe(202);
		await F.pause(40);
		expect(suite.sim.state.users[0].status).toBe('OFFBOARDING');
		expect((await api.del(`/account_groups/${a.id}`)).status).toBe(202);
		await F.waitFor(() => suite.sim.state.accountGroups[0].status === 'CLOSED');
		await F.pause(40);
		expect(suite.sim.state.users[0].status).toBe('OFFBOARDING');
		suite.sim.setStatus({ accountGroupId: b.id, status: 'CLOSED' });
		await F.waitFor(() => suite.sim.state.users[0].status === 'OFFBOARDED');
		const types = api.eventTypes();
		expect(types.indexOf('USER.OFFBOARDED')).toBeGreaterThan(
			types.lastIndexOf('ACCOUNT_GROUP.CLOSED'),
		);
	});

	test('404 for an unknown user, 400 for a bad id, 403 without users:admin', async () => {
		const id = F.uuid();
		expectProblem(await api.del(`/users/${id}`), 404, `User ${id} not found`);
		expectProblem(await api.del('/users/x'), 400, 'user_id must be a UUID');
		const user = await api.user();
		const read = await suite.client.token('users:read');
		expectProblem(
			await api.del(`/users/${user.id}`, read),
			403,
			'Missing required scope: users:admin',
		);
	});
});

describe('seeding and the admin API', () => {
	test('seeded users carry obviously fake data, ACTIVE by default, no events', async () => {
		const [first, second] = suite.sim.seed({ users: { count: 2 } }).users;
		const [a, b] = suite.sim.state.users;
		expect(a).toMatchObject({
			id: first,
			first_name: 'Seeded',
			last_name: 'User 0001',
			email: 'seeded.user.0001@example.invalid',
			status: 'ACTIVE',
		});
		expect(b).toMatchObject({ id: second, last_name: 'User 0002' });
		expect(suite.sim.state.events).toHaveLength(0);
		const res = await admin(suite.sim.url, 'POST', 'seed', {
			users: { count: 1, status: 'OFFBOARDING', createdFrom: '2026-01-01T00:00:00Z' },
		});
		expect(res.json.users).toHaveLength(1);
		expect(suite.sim.state.users[2]).toMatchObject({
			status: 'OFFBOARDING',
			created_at: '2026-01-01T00:00:00.000Z',
		});
		for (const [spec, detail] of [
			[{ users: { count: 1, status: 'BANNED' } }, /users.status must be one of INACTIVE, ACTIVE/],
			[{ users: { count: 1, firstName: 'X' } }, /users.firstName is not a seed option/],
		])
			expectProblem(await admin(suite.sim.url, 'POST', 'seed', spec), 400, detail);
	});

	test('status moves emit their events; ACTIVE activates what waits for the user', async () => {
		const user = await api.user();
		const group = await api.group({ user_id: user.id, type: 'PERSONAL' });
		const moved = await admin(suite.sim.url, 'POST', 'status', {
			userId: user.id,
			status: 'ACTIVE',
		});
		expect(moved.json.resource).toMatchObject({ id: user.id, status: 'ACTIVE' });
		expect(suite.sim.state.accountGroups[0]).toMatchObject({ id: group.id, status: 'ACTIVE' });
		suite.sim.setStatus({ userId: user.id, status: 'INACTIVE' });
		expect(api.eventTypes().slice(-3)).toEqual([
			'USER.ACTIVATED',
			'ACCOUNT_GROUP.ACTIVATED',
			'USER.DEACTIVATED',
		]);
		expectProblem(
			await admin(suite.sim.url, 'POST', 'status', { userId: user.id, status: 'GONE' }),
			400,
			'status must be one of INACTIVE, ACTIVE, OFFBOARDING, OFFBOARDED',
		);
		expectProblem(
			await admin(suite.sim.url, 'POST', 'status', { userId: F.uuid(), status: 'ACTIVE' }),
			404,
			/^User .* not found$/,
		);
		expectProblem(
			await admin(suite.sim.url, 'POST', 'status', { userId: user.id, roleId: F.uuid() }),
			400,
			/^give one of accountGroupId, roleId, userId, accountId, businessId, checkId$/,
		);
	});
});
