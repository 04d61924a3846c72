'use strict';

/**
 * Upvest's list paging on seeded data: envelope, offset/limit edges, page sizes below the limit,
 * sorting with stable ties, query validation, and a 10,000-item walk.
 */

const crypto = require('node:crypto');

const { writeArtifact } = require('../../scripts/artifacts');
const { admin, expectProblem, useSimulator } = require('./helpers');

const uuid = () => crypto.randomUUID();

let token;

const suite = useSimulator({ maxPageSize: 1000, activationDelayMs: null });

beforeEach(async () => {
	token = await suite.client.token('accounts:read roles:read');
});

const list = async (path, query) => {
	const res = await suite.client.call('GET', path, token, { query });
	expect(res.status).toBe(200);
	return res.json;
};
const ids = (page) => page.data.map((item) => item.id);

/** Every item of a list by offset, the way a suite.client loops on total_count. */
async function walk(path, limit, extra = '') {
	const seen = [];
	let total;
	for (let offset = 0; total === undefined || offset < total; ) {
		const page = await list(path, `offset=${offset}&limit=${limit}${extra}`);
		total = page.meta.total_count;
		if (page.meta.count === 0) break;
		seen.push(...ids(page));
		offset += page.meta.count;
	}
	return { seen, total };
}

test('an empty list', async () => {
	for (const path of ['/account_groups', '/roles']) {
		expect(await list(path)).toEqual({
			meta: { offset: 0, limit: 100, count: 0, total_count: 0, sort: 'created_at', order: 'ASC' },
			data: [],
		});
	}
});

test('exactly one page, then an offset past the end', async () => {
	const seeded = suite.sim.seed({ accountGroups: { count: 5 } }).accountGroups;
	const page = await list('/account_groups', 'limit=5');
	expect(page.meta).toMatchObject({ offset: 0, limit: 5, count: 5, total_count: 5 });
	expect(ids(page)).toEqual(seeded);
	const after = await list('/account_groups', 'offset=5&limit=5');
	expect(after.meta).toMatchObject({ offset: 5, count: 0, total_count: 5 });
	expect(after.data).toEqual([]);
});

test('a total that is not a multiple of the page size', async () => {
	const seeded = suite.sim.seed({ roles: { count: 23 } }).roles;
	const pages = [];
	for (let offset = 0; offset < 23; offset += 10) {
		pages.push(await list('/roles', `offset=${offset}&limit=10`));
	}
	expect(pages.map((page) => page.meta.count)).toEqual([10, 10, 3]);
	expect(pages.flatMap(ids)).toEqual(seeded);
});

test('maxPageSize: pages shorter than the limit before the end; meta.limit is what was asked', async () => {
	suite.sim.setConfig({ maxPageSize: 7 });
	const seeded = suite.sim.seed({ accountGroups: { count: 20 } }).accountGroups;
	const page = await list('/account_groups', 'limit=10');
	expect(page.meta).toEqual({
		offset: 0,
		limit: 10,
		count: 7,
		total_count: 20,
		sort: 'created_at',
		order: 'ASC',
	});
	const { seen } = await walk('/account_groups', 10);
	expect(seen).toEqual(seeded);
});

test('sort and order: created_at and updated_at differ; DESC is the exact reverse', async () => {
	const seeded = suite.sim.seed({ accountGroups: { count: 12 } }).accountGroups;
	const byCreated = await list('/account_groups', 'sort=created_at');
	expect(ids(byCreated)).toEqual(seeded);
	const byUpdated = await list('/account_groups', 'sort=updated_at&order=ASC');
	expect(byUpdated.meta).toMatchObject({ sort: 'updated_at', order: 'ASC' });
	const updated = byUpdated.data.map((group) => group.updated_at);
	expect(updated).toEqual([...updated].sort());
	expect(ids(byUpdated)).not.toEqual(seeded);
	expect(new Set(ids(byUpdated))).toEqual(new Set(seeded));
	const desc = await list('/account_groups', 'sort=updated_at&order=DESC');
	expect(ids(desc)).toEqual([...ids(byUpdated)].reverse());
});

test('ties keep creation order, so paging through equal timestamps is stable', async () => {
	const createdFrom = '2024-01-01T00:00:00.000Z';
	const first = suite.sim.seed({ roles: { count: 4, createdFrom, spacingMs: 1 } }).roles;
	const second = suite.sim.seed({ roles: { count: 4, createdFrom, spacingMs: 1 } }).roles;
	// item i of both seeds has the same created_at: ties, broken by creation order
	const expected = [0, 1, 2, 3].flatMap((i) => [first[i], second[i]]);
	expect((await walk('/roles', 3)).seen).toEqual(expected);
	expect((await walk('/roles', 3, '&order=DESC')).seen).toEqual([...expected].reverse());
});

test.each([
	['limit=0', 'limit must be an integer between 1 and 1000'],
	['limit=1001', 'limit must be an integer between 1 and 1000'],
	['limit=-1', 'limit must be an integer between 1 and 1000'],
	['limit=1.5', 'limit must be an integer between 1 and 1000'],
	['offset=-1', 'offset must be an integer >= 0'],
	['offset=abc', 'offset must be an integer >= 0'],
	['sort=id', 'sort must be one of created_at, updated_at'],
	['order=asc', 'order must be one of ASC, DESC'],
	['page=2', 'Unknown query parameter: page'],
	['limit=5&limit=6', 'limit must be given once'],
])('%s is a 400 naming the parameter', async (query, detail) => {
	const res = await suite.client.call('GET', '/account_groups', token, { query });
	expectProblem(res, 400, detail, 'bad_request');
});

test('limit 1000 and a large offset are fine', async () => {
	suite.sim.seed({ accountGroups: { count: 3 } });
	expect((await list('/account_groups', 'limit=1000')).meta.count).toBe(3);
	expect((await list('/account_groups', 'offset=999999999')).meta.count).toBe(0);
});

test('seed options: owner ids, status, timestamps; bad specs are refused', async () => {
	const user = uuid();
	const business = uuid();
	const seeded = await admin(suite.sim.url, 'POST', 'seed', {
		accountGroups: { count: 3, userId: user, type: 'ISA', status: 'CLOSED' },
		roles: { count: 2, entityType: 'BUSINESS', entityId: business, roleType: 'TRADER' },
	});
	expect(seeded.status).toBe(200);
	expect(seeded.json.accountGroups).toHaveLength(3);
	expect(seeded.json.roles).toHaveLength(2);
	const mine = await list(`/users/${user}/account_groups`);
	expect(mine.meta.total_count).toBe(3);
	expect(mine.data[0]).toMatchObject({
		users: [{ id: user, type: 'OWNER' }],
		type: 'ISA',
		status: 'CLOSED',
	});
	expect((await list('/roles', `entity_id=${business}`)).data[0]).toMatchObject({
		entity_type: 'BUSINESS',
		role_type: 'TRADER',
		status: 'ACTIVE',
	});
	suite.sim.seed({ accountGroups: { count: 2, businessId: business } });
	expect((await list(`/businesses/${business}/account_groups`)).meta.total_count).toBe(2);

	for (const [spec, detail] of [
		[{ accountGroups: { count: -1 } }, /count must be an integer/],
		[{ accountGroups: { count: 1, userId: 'x' } }, 'accountGroups.userId must be a UUID'],
		[{ accountGroups: { count: 1, color: 'red' } }, /color is not a seed option/],
		[{ roles: { count: 1, roleType: 'TRADER' } }, /roleType must be one of GUARDIAN, CHILD/],
		[{ roles: { count: 1, createdFrom: 'yesterday' } }, /createdFrom must be an ISO date-time/],
		[{ orders: { count: 1 } }, /orders is not seedable/],
	]) {
		expectProblem(await admin(suite.sim.url, 'POST', 'seed', spec), 400, detail);
	}
});

test('10,000 seeded account groups: seeded fast, walked in pages of 1000, each once', async () => {
	let started = performance.now();
	const seeded = suite.sim.seed({ accountGroups: { count: 10000 } }).accountGroups;
	const seedMs = performance.now() - started;
	started = performance.now();
	const { seen, total } = await walk('/account_groups', 1000, '&sort=updated_at&order=DESC');
	const walkMs = performance.now() - started;
	expect(total).toBe(10000);
	expect(seen).toHaveLength(10000);
	expect(new Set(seen)).toEqual(new Set(seeded));
	writeArtifact('simulator/paging.json', {
		seededItems: 10000,
		seedMs: Math.round(seedMs),
		seededPerSecond: Math.round(10000 / (seedMs / 1000)),
		pages: 10,
		walkMs: Math.round(walkMs),
	});
});
