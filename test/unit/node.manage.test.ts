/**
 * The read and manage operations (Get, Get Many, Close, Deactivate) through n8n-core's real
 * execution against the simulator: the requests they send, what they output, 404s and scopes,
 * and the account-group resource locator with values saved before it was one.
 */
import type { INodeParameters } from 'n8n-workflow';

import {
	ACCOUNT_GROUPS,
	BUSINESSES,
	UNKNOWN_ID as UNKNOWN,
	USERS,
	accountGroup,
	role,
} from '../support/node-builders';
import { useNodeSuite } from '../support/node-suite';

const node = useNodeSuite(48);

const [USER] = USERS;
const [BUSINESS] = BUSINESSES;
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const fromList = (value: string) => ({ __rl: true, mode: 'list', value });

function seedGroups(count: number, owner: { userId?: string; businessId?: string } = {}) {
	return node.sim.seed({ accountGroups: { count, ...owner } }).accountGroups;
}

describe('Account Group → Get', () => {
	test('gets each item’s group by ID, chosen by ID, from the list, or as a plain string', async () => {
		const ids = seedGroups(3);
		const result = await node.run(accountGroup('get', { accountGroupId: '={{ $json.group }}' }), [
			{ group: ids[0] },
		]);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual([ids[0]]);

		for (const value of [byId(ids[1]), fromList(ids[2]), ids[1], byId(ids[2].toUpperCase())]) {
			const run = await node.run(accountGroup('get', { accountGroupId: value }), [{}]);
			expect(run.error).toBeUndefined();
			expect(run.items[0].json).toEqual(
				JSON.parse(
					JSON.stringify(node.sim.state.accountGroups.find((g) => g.id === run.items[0].json.id)),
				),
			);
		}
		const gets = node.apiRecords().filter((record) => record.method === 'GET');
		expect(gets.map((record) => record.path)).toEqual([
			`/account_groups/${ids[0]}`,
			`/account_groups/${ids[1]}`,
			`/account_groups/${ids[2]}`,
			`/account_groups/${ids[1]}`,
			`/account_groups/${ids[2]}`,
		]);
		for (const record of gets) {
			expect(record.signature.valid).toBe(true);
			expect(record.body).toBe('');
			expect(record.idempotencyKey).toBeUndefined();
		}
		node.expectNoLeak(result);
	});

	test('an unknown ID is Upvest’s 404, named with the item; Continue On Fail keeps the others', async () => {
		const [known] = seedGroups(1);
		const result = await node.run(
			accountGroup('get', { accountGroupId: '={{ $json.group }}' }),
			[{ group: UNKNOWN }, { group: known }],
			{ continueOnFail: true },
		);
		expect(result.items[0].json).toMatchObject({
			error: 'Upvest answered 404 Not Found [item 0]',
			httpCode: '404',
		});
		expect(String(result.items[0].json.description)).toContain(
			`Account group ${UNKNOWN} not found`,
		);
		expect(result.items[1].json.id).toBe(known);
		// A 404 is an answer, not a fault: it is not retried.
		expect(node.apiRecords().filter((record) => record.status === 404)).toHaveLength(1);

		const stopped = await node.run(accountGroup('get', { accountGroupId: byId(UNKNOWN) }), [{}]);
		expect(stopped.error?.message).toBe('Upvest answered 404 Not Found [item 0]');
	});

	test('a malformed ID is refused before anything is sent, naming field and item', async () => {
		// A typed value is checked by n8n itself (the By ID mode's pattern); one from an
		// expression is checked by the node.
		await expect(
			node.run(accountGroup('get', { accountGroupId: byId('not-a-uuid') }), [{}]),
		).rejects.toThrow('The workflow has issues');
		const mapped = await node.run(
			accountGroup('get', { accountGroupId: byId('={{ $json.group }}') }),
			[{ group: 'not-a-uuid' }],
		);
		expect(mapped.error?.message).toBe(
			'Account Group ID must be a UUID, got text of 10 characters [item 0]',
		);
		expect(node.apiRecords()).toHaveLength(0);
	});

	test('a credential without an accounts scope: the 403 says which scope to add', async () => {
		const [id] = seedGroups(1);
		const store = node.newStore();
		store.data.scopes = 'roles:read';
		const result = await node.run(accountGroup('get', { accountGroupId: byId(id) }), [{}], {
			store,
		});
		expect(result.error?.message).toBe('Upvest answered 403 Forbidden [item 0]');
		expect(result.error?.description).toContain('Missing required scope: accounts:read');
		expect(result.error?.description).toContain(
			'Add accounts:read (or accounts:admin) to the Scopes of the Upvest credential',
		);
	});

	test('a read-only credential (accounts:read) is enough to read', async () => {
		const [id] = seedGroups(1);
		const store = node.newStore();
		store.data.scopes = 'accounts:read';
		const result = await node.run(accountGroup('get', { accountGroupId: byId(id) }), [{}], {
			store,
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.id).toBe(id);
	});
});

describe('Account Group → Close', () => {
	test('sends DELETE, outputs Upvest’s 202 answer (no body: the id), and a second close is a 409', async () => {
		const ids = seedGroups(2);
		const result = await node.run(accountGroup('close', { accountGroupId: '={{ $json.group }}' }), [
			{ group: ids[0] },
			{ group: ids[1] },
		]);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual(
			ids.map((id) => ({ id, closeRequested: true })),
		);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(node.apiRecords().map((record) => [record.method, record.path, record.status])).toEqual([
			['DELETE', `/account_groups/${ids[0]}`, 202],
			['DELETE', `/account_groups/${ids[1]}`, 202],
		]);
		expect(node.sim.state.accountGroups.map((group) => group.status)).toEqual([
			'CLOSING',
			'CLOSING',
		]);

		const again = await node.run(accountGroup('close', { accountGroupId: byId(ids[0]) }), [{}]);
		expect(again.error?.message).toBe(
			'Upvest answered 409 Conflict: the account group’s status does not allow closing it [item 0]',
		);
		expect(again.error?.description).toContain('CLOSING');
	});

	test('an unknown ID is a 404 and nothing changes', async () => {
		const [id] = seedGroups(1);
		const result = await node.run(accountGroup('close', { accountGroupId: byId(UNKNOWN) }), [{}]);
		expect(result.error?.message).toBe('Upvest answered 404 Not Found [item 0]');
		expect(node.sim.state.accountGroups.find((group) => group.id === id)?.status).toBe('ACTIVE');
	});

	test('a broken connection after the close is retried; the retry sees 409 and says so', async () => {
		const [id] = seedGroups(1);
		node.sim.setFaults([
			{ path: '/account_groups/*', method: 'DELETE', kind: 'drop-after-create', count: 1 },
		]);
		const result = await node.run(accountGroup('close', { accountGroupId: byId(id) }), [{}]);
		// The group is closing either way; the user learns it from the 409's detail.
		expect(node.sim.state.accountGroups[0].status).toBe('CLOSING');
		expect(node.apiRecords()).toHaveLength(2);
		expect(result.error?.message).toBe(
			'Upvest answered 409 Conflict: the account group’s status does not allow closing it after 2 attempts [item 0]',
		);
	});
});

describe('Role → Get and Deactivate', () => {
	test('get a business role by ID; deactivate it (202 without a body); again 202; unknown IDs 404', async () => {
		const [roleId] = node.sim.seed({ roles: { count: 1, entityType: 'BUSINESS' } }).roles;
		const got = await node.run(role('get', { roleId }), [{}]);
		expect(got.error).toBeUndefined();
		expect(got.items[0].json).toMatchObject({ id: roleId, status: 'ACTIVE' });

		const deactivated = await node.run(role('deactivate', { roleId: '={{ $json.role }}' }), [
			{ role: roleId },
		]);
		expect(deactivated.error).toBeUndefined();
		expect(deactivated.items[0].json).toEqual({ id: roleId, deactivated: true });
		expect(node.sim.state.roles[0].status).toBe('DEACTIVATED');
		expect(node.apiRecords().map((record) => [record.method, record.path])).toEqual([
			['GET', `/roles/${roleId}`],
			['DELETE', `/roles/${roleId}`],
		]);

		const again = await node.run(role('deactivate', { roleId }), [{}]);
		expect(again.error).toBeUndefined();
		expect(again.items[0].json).toEqual({ id: roleId, deactivated: true });
		for (const operation of ['get', 'deactivate']) {
			const missing = await node.run(role(operation, { roleId: UNKNOWN }), [{}]);
			expect(missing.error?.message).toBe('Upvest answered 404 Not Found [item 0]');
		}
	});

	test('a Role ID that is not a UUID is refused before sending', async () => {
		const result = await node.run(role('deactivate', { roleId: 'guardian-of-anna' }), [{}], {
			continueOnFail: true,
		});
		expect(result.items[0].json.error).toBe(
			'Role ID must be a UUID, got text of 16 characters [item 0]',
		);
		expect(node.apiRecords()).toHaveLength(0);
	});
});

describe('Get Many: what is asked and what comes out', () => {
	test('account groups of anyone, of a user and of a business, with sort and order', async () => {
		const mine = seedGroups(3, { userId: USER });
		const business = seedGroups(2, { businessId: BUSINESS });
		seedGroups(4);
		const all = await node.run(
			accountGroup('getAll', { returnAll: true, options: { sort: 'updated_at', order: 'DESC' } }),
			[{}],
		);
		expect(all.error).toBeUndefined();
		expect(all.items).toHaveLength(9);
		// Newest update first; equal timestamps keep creation order reversed, as DESC reverses ASC.
		const byUpdate = node.sim.state.accountGroups
			.map((group, created) => ({ group, created }))
			.sort(
				(a, b) =>
					String(a.group.updated_at).localeCompare(String(b.group.updated_at)) ||
					a.created - b.created,
			)
			.reverse()
			.map(({ group }) => group.id);
		expect(all.items.map((item) => item.json.id)).toEqual(byUpdate);

		const users = await node.run(
			accountGroup('getAll', { ownedBy: 'user', userId: USER, returnAll: true }),
			[{}],
		);
		expect(users.items.map((item) => item.json.id)).toEqual(mine);
		const businesses = await node.run(
			accountGroup('getAll', { ownedBy: 'business', businessId: BUSINESS, limit: 10 }),
			[{}],
		);
		expect(businesses.items.map((item) => item.json.id)).toEqual(business);
		expect(node.apiRecords().map((record) => `${record.path}?${record.query}`)).toEqual([
			'/account_groups?sort=updated_at&order=DESC&offset=0&limit=1000',
			`/users/${USER}/account_groups?offset=0&limit=1000`,
			`/businesses/${BUSINESS}/account_groups?offset=0&limit=10`,
		]);
		for (const record of node.apiRecords()) expect(record.signature.valid).toBe(true);
	});

	test('one input item per user: each list is paired to its item', async () => {
		const other = USERS[1];
		const first = seedGroups(2, { userId: USER });
		const second = seedGroups(1, { userId: other });
		const result = await node.run(
			accountGroup('getAll', { ownedBy: 'user', userId: '={{ $json.user }}', returnAll: true }),
			[{ user: USER }, { user: other }],
		);
		expect(result.items.map((item) => [item.json.id, item.pairedItem])).toEqual([
			[first[0], { item: 0 }],
			[first[1], { item: 0 }],
			[second[0], { item: 1 }],
		]);
	});

	test('roles with the User ID and Entity ID filters', async () => {
		const [group] = ACCOUNT_GROUPS;
		const guardians = node.sim.seed({ roles: { count: 2, userId: USER, entityId: group } }).roles;
		node.sim.seed({ roles: { count: 3 } });
		const filtered = await node.run(
			role('getAll', { returnAll: true, filters: { userId: USER, entityId: group } }),
			[{}],
		);
		expect(filtered.items.map((item) => item.json.id)).toEqual(guardians);
		const all = await node.run(role('getAll', { limit: 4 }), [{}]);
		expect(all.items).toHaveLength(4);
		expect(node.apiRecords().map((record) => record.query)).toEqual([
			`user_id=${USER}&entity_id=${group}&offset=0&limit=1000`,
			'offset=0&limit=4',
		]);
	});

	test('bad Limit, filters and sort values name the field and the item; nothing is sent', async () => {
		const cases: Array<[INodeParameters, string]> = [
			[
				accountGroup('getAll', { limit: 0 }),
				'Limit must be a whole number from 1 to 1000000, got a whole number [item 0]',
			],
			[
				accountGroup('getAll', { ownedBy: 'user', userId: 'anna' }),
				'User ID must be a UUID, got text of 4 characters [item 0]',
			],
			[
				role('getAll', { returnAll: true, filters: { entityId: 'x' } }),
				'Entity ID must be a UUID, got text of 1 character [item 0]',
			],
			[
				accountGroup('getAll', { returnAll: true, options: { order: '={{ "UP" }}' } }),
				'Order is not allowed (text of 2 characters) [item 0]',
			],
		];
		for (const [parameters, message] of cases) {
			const result = await node.run(parameters, [{}]);
			expect(result.error?.message).toBe(message);
		}
		expect(node.apiRecords()).toHaveLength(0);
	});
});
