'use strict';

/** Roles beyond the create call: get, the list and its filters, deactivation, lifecycle, scopes. */

const crypto = require('node:crypto');

const { expectProblem, useSimulator } = require('./helpers');

const uuid = () => crypto.randomUUID();

let adminToken;
let readToken;

const suite = useSimulator(
	{ activationDelayMs: null, closeDelayMs: null, maxPageSize: 1000 },
	{ key: 'ecdsa' },
);

beforeEach(async () => {
	adminToken = await suite.client.token('roles:admin accounts:admin');
	readToken = await suite.client.token('roles:read');
});

const createRole = async (fields = {}) => {
	const res = await suite.client.post('/roles', adminToken, {
		user_id: uuid(),
		entity_type: 'ACCOUNT_GROUP',
		entity_id: uuid(),
		role_type: 'GUARDIAN',
		...fields,
	});
	expect(res.status).toBe(200);
	return res.json;
};
const get = (path, query, token = readToken) => suite.client.call('GET', path, token, { query });
const deactivate = (id, token = adminToken) => suite.client.call('DELETE', `/roles/${id}`, token);

describe('GET /roles/{role_id}', () => {
	test('answers the role as created, PENDING', async () => {
		const role = await createRole({ custody_type: 'JOINT_CUSTODY' });
		expect(role).toMatchObject({ status: 'PENDING', custody_type: 'JOINT_CUSTODY' });
		const res = await get(`/roles/${role.id}`);
		expect(res.status).toBe(200);
		expect(res.json).toEqual(role);
	});

	test('404 unknown, 400 not a UUID, 403 without a roles scope', async () => {
		const id = uuid();
		expectProblem(await get(`/roles/${id}`), 404, `Role ${id} not found`, 'not_found');
		expectProblem(await get('/roles/abc'), 400, 'role_id must be a UUID', 'bad_request');
		const accountsOnly = await suite.client.token('accounts:read');
		expectProblem(
			await get(`/roles/${id}`, undefined, accountsOnly),
			403,
			'Missing required scope: roles:read',
		);
		expect((await get(`/roles/${id}`, undefined, adminToken)).status).toBe(404);
	});

	test('ACTIVE after activationDelayMs', async () => {
		suite.sim.setConfig({ activationDelayMs: 20 });
		const role = await createRole();
		const started = Date.now();
		while (suite.sim.state.roles[0].status !== 'ACTIVE' && Date.now() - started < 5000) {
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		const res = await get(`/roles/${role.id}`);
		expect(res.json.status).toBe('ACTIVE');
		expect(res.json.updated_at > role.updated_at).toBe(true);
	});
});

describe('DELETE /roles/{role_id}', () => {
	const businessRole = (fields = {}) =>
		createRole({ entity_type: 'BUSINESS', role_type: 'LEGAL_REPRESENTATIVE', ...fields });

	test('a business role: 202 without a body, DEACTIVATED, one ROLE.DEACTIVATED', async () => {
		const role = await businessRole();
		suite.sim.setStatus({ roleId: role.id, status: 'ACTIVE' });
		const res = await deactivate(role.id);
		expect(res.status).toBe(202);
		expect(res.text).toBe('');
		const after = (await get(`/roles/${role.id}`)).json;
		expect(after.status).toBe('DEACTIVATED');
		expect(after.updated_at > role.updated_at).toBe(true);
		// idempotent: a repeat is 202 again and changes nothing
		const again = await deactivate(role.id);
		expect(again.status).toBe(202);
		expect(again.text).toBe('');
		expect((await get(`/roles/${role.id}`)).json).toEqual(after);
		const events = suite.sim.state.events.map((event) => event.type);
		expect(events.filter((type) => type === 'ROLE.DEACTIVATED')).toHaveLength(1);
	});

	test('a role on an account group is 403 Forbidden; it stays as it was', async () => {
		const role = await createRole();
		const res = await deactivate(role.id);
		expectProblem(res, 403, 'The caller is not allowed to take the requested action.', 'forbidden');
		expect(res.json.title).toBe('Forbidden');
		expect((await get(`/roles/${role.id}`)).json).toEqual(role);
		expect(suite.sim.state.events.map((event) => event.type)).toEqual(['ROLE.CREATED']);
	});

	test('a pending business role can be deactivated and stays DEACTIVATED', async () => {
		suite.sim.setConfig({ activationDelayMs: 30 });
		const role = await businessRole({ role_type: 'SOLE_TRADER' });
		expect((await deactivate(role.id)).status).toBe(202);
		await new Promise((resolve) => setTimeout(resolve, 60));
		expect(suite.sim.state.roles[0].status).toBe('DEACTIVATED');
	});

	test('404, 400 and 403 (roles:admin)', async () => {
		expect((await deactivate(uuid())).status).toBe(404);
		expectProblem(await deactivate('nope'), 400, 'role_id must be a UUID');
		const role = await businessRole();
		expectProblem(await deactivate(role.id, readToken), 403, 'Missing required scope: roles:admin');
	});

	test('the admin API knows PENDING, ACTIVE and DEACTIVATED only', async () => {
		const role = await businessRole();
		expect(() => suite.sim.setStatus({ roleId: role.id, status: 'INACTIVE' })).toThrow(
			'status must be one of PENDING, ACTIVE, DEACTIVATED',
		);
	});
});

describe('GET /roles', () => {
	test('all roles in the envelope; user_id and entity_id narrow it', async () => {
		const user = uuid();
		const group = uuid();
		const a = await createRole({ user_id: user });
		const b = await createRole({ entity_id: group });
		const c = await createRole({ user_id: user, entity_id: group });
		const d = await createRole({ entity_type: 'BUSINESS', role_type: 'TRADER' });

		const all = await get('/roles');
		expect(all.status).toBe(200);
		expect(all.json.meta).toEqual({
			offset: 0,
			limit: 100,
			count: 4,
			total_count: 4,
			sort: 'created_at',
			order: 'ASC',
		});
		expect(all.json.data).toEqual([a, b, c, d]);

		const ids = async (query) => (await get('/roles', query)).json.data.map((role) => role.id);
		expect(await ids(`user_id=${user}`)).toEqual([a.id, c.id]);
		expect(await ids(`entity_id=${group.toUpperCase()}`)).toEqual([b.id, c.id]);
		expect(await ids(`user_id=${user}&entity_id=${group}`)).toEqual([c.id]);
		expect(await ids(`user_id=${uuid()}`)).toEqual([]);
		expect((await get('/roles', `entity_id=${group}&limit=1`)).json.meta).toMatchObject({
			count: 1,
			total_count: 2,
			limit: 1,
		});
	});

	test('bad filters and unknown parameters are 400 naming them', async () => {
		expectProblem(await get('/roles', 'user_id=me'), 400, 'user_id must be a UUID');
		expectProblem(await get('/roles', 'entity_id='), 400, 'entity_id must be a UUID');
		expectProblem(await get('/roles', 'entity_type=BUSINESS'), 400, /entity_type/);
		expectProblem(
			await get('/roles', `user_id=${uuid()}&user_id=${uuid()}`),
			400,
			'user_id must be given once',
		);
	});
});
