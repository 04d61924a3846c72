'use strict';

/** Account groups beyond the create call: get, lists, close, status lifecycle and scopes. */

const crypto = require('node:crypto');

const { admin, expectProblem, useSimulator } = require('./helpers');

const uuid = () => crypto.randomUUID();
const waitFor = async (check, timeoutMs = 5000) => {
	const started = Date.now();
	while (!check()) {
		if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
};

let adminToken;
let readToken;

const suite = useSimulator({ activationDelayMs: null, closeDelayMs: null, maxPageSize: 1000 });

beforeEach(async () => {
	adminToken = await suite.client.token('accounts:admin roles:admin');
	readToken = await suite.client.token('accounts:read roles:read');
});

const createGroup = async (body = { user_id: uuid(), type: 'PERSONAL' }) => {
	const res = await suite.client.post('/account_groups', adminToken, body);
	expect(res.status).toBe(200);
	return res.json;
};
const get = (path, token = readToken, query) => suite.client.call('GET', path, token, { query });
const close = (id, token = adminToken) =>
	suite.client.call('DELETE', `/account_groups/${id}`, token);

describe('GET /account_groups/{account_group_id}', () => {
	test('answers the group as created, with users and their types', async () => {
		const owner = uuid();
		const created = await createGroup({ user_id: owner, type: 'PERSONAL' });
		const res = await get(`/account_groups/${created.id}`);
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe('application/json');
		expect(res.json).toEqual(created);
		expect(res.json).toMatchObject({
			users: [{ id: owner, type: 'OWNER' }],
			status: 'PENDING_APPROVAL',
			type: 'PERSONAL',
			user_id: owner,
		});
		// the id is matched case-insensitively, as UUIDs are
		expect((await get(`/account_groups/${created.id.toUpperCase()}`)).json.id).toBe(created.id);
		expect(suite.sim.requests.at(-1)).toMatchObject({ method: 'GET', signature: { valid: true } });
	});

	test('the owner of a CHILD group is the child; a GUARDIAN role adds the guardian', async () => {
		const child = uuid();
		const guardian = uuid();
		const group = await createGroup({ user_id: child, type: 'CHILD' });
		const role = await suite.client.post('/roles', adminToken, {
			user_id: guardian,
			entity_type: 'ACCOUNT_GROUP',
			entity_id: group.id,
			role_type: 'GUARDIAN',
		});
		expect(role.status).toBe(200);
		const res = await get(`/account_groups/${group.id}`);
		expect(res.json.users).toEqual([
			{ id: child, type: 'CHILD' },
			{ id: guardian, type: 'GUARDIAN' },
		]);
		expect(res.json.updated_at > group.updated_at).toBe(true);
	});

	test('404 for an unknown id, 400 for an id that is not a UUID', async () => {
		const id = uuid();
		expectProblem(await get(`/account_groups/${id}`), 404, `Account group ${id} not found`);
		expectProblem(
			await get('/account_groups/not-a-uuid'),
			400,
			'account_group_id must be a UUID',
			'bad_request',
		);
	});

	test('scopes: accounts:read or accounts:admin; the 403 names accounts:read', async () => {
		const group = await createGroup();
		expect((await get(`/account_groups/${group.id}`, adminToken)).status).toBe(200);
		const rolesOnly = await suite.client.token('roles:read');
		expectProblem(
			await get(`/account_groups/${group.id}`, rolesOnly),
			403,
			'Missing required scope: accounts:read',
			'forbidden',
		);
		expectProblem(await get('/account_groups', rolesOnly), 403, /accounts:read$/);
	});

	test('unauthenticated and unsigned reads are refused like writes', async () => {
		const group = await createGroup();
		expectProblem(await get(`/account_groups/${group.id}`, 'ory_at_nope'), 401);
		const tampered = await suite.client.call('GET', `/account_groups/${group.id}`, readToken, {
			mutate: ({ headers, body }) => ({ headers: { ...headers, accept: 'text/html' }, body }),
		});
		expectProblem(tampered, 401, /^Signature is incorrect/);
		const noClient = await suite.client.call('GET', `/account_groups/${group.id}`, readToken, {
			mutate: ({ headers, body }) => {
				const { 'upvest-client-id': _dropped, ...rest } = headers;
				return { headers: rest, body };
			},
		});
		expectProblem(noClient, 400, 'Missing Client ID', 'missing_client_id');
	});
});

describe('status lifecycle', () => {
	test('PENDING_APPROVAL, then ACTIVE after activationDelayMs, updated_at moving', async () => {
		suite.sim.setConfig({ activationDelayMs: 30 });
		const group = await createGroup();
		expect(group.status).toBe('PENDING_APPROVAL');
		await waitFor(() => suite.sim.state.accountGroups[0].status === 'ACTIVE');
		const res = await get(`/account_groups/${group.id}`);
		expect(res.json.status).toBe('ACTIVE');
		expect(res.json.created_at).toBe(group.created_at);
		expect(res.json.updated_at > group.updated_at).toBe(true);
	});

	test('activationDelayMs null keeps a group pending until moved by the admin API', async () => {
		const group = await createGroup();
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect((await get(`/account_groups/${group.id}`)).json.status).toBe('PENDING_APPROVAL');
		const moved = await admin(suite.sim.url, 'POST', 'status', {
			accountGroupId: group.id,
			status: 'ACTIVE',
		});
		expect(moved.status).toBe(200);
		expect(moved.json.resource).toMatchObject({ id: group.id, status: 'ACTIVE' });
		expect((await get(`/account_groups/${group.id}`)).json.status).toBe('ACTIVE');
	});

	test('DELETE answers 202 without a body, the group CLOSING; CLOSED after closeDelayMs', async () => {
		suite.sim.setConfig({ closeDelayMs: 300 }); // long enough to see CLOSING on a busy machine
		const group = await createGroup();
		const res = await close(group.id);
		expect(res.status).toBe(202);
		expect(res.text).toBe('');
		expect(res.headers['content-type']).toBeUndefined();
		const closing = (await get(`/account_groups/${group.id}`)).json;
		expect(closing.status).toBe('CLOSING');
		expect(closing.updated_at > group.updated_at).toBe(true);
		await waitFor(() => suite.sim.state.accountGroups[0].status === 'CLOSED');
		const closed = (await get(`/account_groups/${group.id}`)).json;
		expect(closed.updated_at > closing.updated_at).toBe(true);
	});

	test('closing a CLOSING or CLOSED group is a 409 naming its status', async () => {
		const group = await createGroup();
		expect((await close(group.id)).status).toBe(202);
		expectProblem(
			await close(group.id),
			409,
			`Account group ${group.id} cannot be closed: its status is CLOSING`,
			'conflict',
		);
		suite.sim.setStatus({ accountGroupId: group.id, status: 'CLOSED' });
		expectProblem(await close(group.id), 409, /its status is CLOSED$/);
		expect((await close(uuid())).status).toBe(404);
		expectProblem(await close('123'), 400, 'account_group_id must be a UUID');
	});

	test('closing needs accounts:admin; a pending activation does not reopen a closed group', async () => {
		suite.sim.setConfig({ activationDelayMs: 40 });
		const group = await createGroup();
		expectProblem(await close(group.id, readToken), 403, 'Missing required scope: accounts:admin');
		expect((await close(group.id)).status).toBe(202);
		await new Promise((resolve) => setTimeout(resolve, 80));
		expect(suite.sim.state.accountGroups[0].status).toBe('CLOSING');
	});

	test('the admin API refuses unknown statuses and ids', async () => {
		const group = await createGroup();
		expectProblem(
			await admin(suite.sim.url, 'POST', 'status', { accountGroupId: group.id, status: 'OPEN' }),
			400,
			/^status must be one of PENDING_APPROVAL, ACTIVE, CLOSING, CLOSED, LOCKED$/,
		);
		expectProblem(
			await admin(suite.sim.url, 'POST', 'status', { accountGroupId: uuid(), status: 'ACTIVE' }),
			404,
			/not found$/,
		);
		expectProblem(await admin(suite.sim.url, 'POST', 'status', { status: 'ACTIVE' }), 400);
	});
});

describe('lists of account groups', () => {
	test('GET /account_groups: every group, in the list envelope', async () => {
		const first = await createGroup();
		const second = await createGroup({ business_id: uuid(), type: 'BUSINESS' });
		const res = await get('/account_groups');
		expect(res.status).toBe(200);
		expect(res.json).toEqual({
			meta: { offset: 0, limit: 100, count: 2, total_count: 2, sort: 'created_at', order: 'ASC' },
			data: [first, second],
		});
	});

	test('GET /users/{user_id}/account_groups: the groups naming the user, as owner, child or guardian', async () => {
		const parent = uuid();
		const own = await createGroup({ user_id: parent, type: 'PERSONAL' });
		const childGroup = await createGroup({ user_id: uuid(), type: 'CHILD' });
		await createGroup();
		await suite.client.post('/roles', adminToken, {
			user_id: parent,
			entity_type: 'ACCOUNT_GROUP',
			entity_id: childGroup.id,
			role_type: 'GUARDIAN',
		});
		const res = await get(`/users/${parent}/account_groups`);
		expect(res.status).toBe(200);
		expect(res.json.meta).toMatchObject({ count: 2, total_count: 2 });
		expect(res.json.data.map((group) => group.id)).toEqual([own.id, childGroup.id]);
		expect((await get(`/users/${uuid()}/account_groups`)).json).toMatchObject({
			meta: { count: 0, total_count: 0 },
			data: [],
		});
		expectProblem(await get('/users/x/account_groups'), 400, 'user_id must be a UUID');
	});

	test('GET /businesses/{business_id}/account_groups: that business only', async () => {
		const business = uuid();
		const mine = await createGroup({ business_id: business, type: 'BUSINESS' });
		await createGroup({ business_id: uuid(), type: 'BUSINESS' });
		await createGroup();
		const res = await get(`/businesses/${business.toUpperCase()}/account_groups`);
		expect(res.json.data).toEqual([mine]);
		expect(res.json.meta.total_count).toBe(1);
		expectProblem(await get('/businesses/x/account_groups'), 400, 'business_id must be a UUID');
	});

	test('list queries are validated on every list', async () => {
		for (const path of [
			'/account_groups',
			`/users/${uuid()}/account_groups`,
			`/businesses/${uuid()}/account_groups`,
		]) {
			expectProblem(await get(path, readToken, 'limit=1001'), 400, /^limit/);
			expectProblem(await get(path, readToken, 'sort=title'), 400, /^sort must be one of/);
			expectProblem(await get(path, readToken, 'user_id=x'), 400, /user_id/);
		}
	});
});
