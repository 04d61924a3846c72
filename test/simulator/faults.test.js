'use strict';

/** Fault injection (admin API and setFaults) over real HTTP. */

const crypto = require('node:crypto');
const { startSimulator } = require('../../simulator/server');

const { send, admin, useSimulator } = require('./helpers');

const uuid = () => crypto.randomUUID();

let token;

const suite = useSimulator({ latencyMs: 0 });

beforeEach(async () => {
	token = await suite.client.token('accounts:admin roles:admin');
});

const createGroup = (body = { user_id: uuid(), type: 'PERSONAL' }, options) =>
	suite.client.post('/account_groups', token, body, options);

test('status fault: problem+json without processing, limited by count', async () => {
	const set = await admin(suite.sim.url, 'POST', 'faults', {
		faults: [{ path: '/account_groups', method: 'POST', kind: 'status', status: 503, count: 1 }],
	});
	expect(set.status).toBe(200);
	expect(set.json.faults).toEqual([
		{ kind: 'status', path: '/account_groups', method: 'POST', status: 503, count: 1, applied: 0 },
	]);

	const idempotencyKey = uuid();
	const body = { user_id: uuid(), type: 'PERSONAL' };
	const failed = await createGroup(body, { idempotencyKey });
	expect(failed.status).toBe(503);
	expect(failed.headers['content-type']).toBe('application/problem+json');
	expect(failed.json).toMatchObject({
		type: 'https://docs.upvest.co/errors/service_unavailable',
		status: 503,
		title: 'Service Unavailable',
		request_id: failed.headers['upvest-request-id'],
	});
	expect(suite.sim.state.accountGroups).toHaveLength(0);
	expect(suite.sim.requests.at(-1)).toMatchObject({
		status: 503,
		fault: 'status:503',
		signature: null,
	});

	// retry with the same key: processed normally, not a replay
	const retry = await createGroup(body, { idempotencyKey });
	expect(retry.status).toBe(200);
	expect(retry.headers['upvest-idempotent-replay']).toBeUndefined();
	expect(suite.sim.requests.at(-1).fault).toBeUndefined();
	expect((await admin(suite.sim.url, 'GET', 'faults')).json.faults[0].applied).toBe(1);
});

test('429 with Retry-After', async () => {
	suite.sim.setFaults([{ path: '/account_groups', kind: 'status', status: 429, retryAfter: 2 }]);
	const res = await createGroup();
	expect(res.status).toBe(429);
	expect(res.headers['retry-after']).toBe('2');
	expect(res.json).toMatchObject({
		title: 'Too Many Requests',
		type: 'https://docs.upvest.co/errors/too_many_requests',
	});
});

test('a status fault with `detail` answers that detail (e.g. an API echoing a submitted value)', async () => {
	const detail = 'first_name Maximilian is not allowed';
	const set = suite.sim.setFaults([
		{ path: '/users', method: 'POST', kind: 'status', status: 400, detail },
	]);
	expect(set.faults[0].detail).toBe(detail);
	const res = await suite.client.post('/users', token, { first_name: 'Maximilian' });
	expect(res.status).toBe(400);
	expect(res.json).toMatchObject({ status: 400, title: 'Bad Request', detail });
	suite.sim.setFaults([{ kind: 'status', status: 503 }]);
	expect((await createGroup()).json.detail).toBe('Fault injected by the Upvest simulator');
});

test.each([500, 504])('status %i fault', async (status) => {
	suite.sim.setFaults([{ kind: 'status', status }]);
	const res = await createGroup();
	expect(res.status).toBe(status);
	expect(res.headers['retry-after']).toBeUndefined();
});

test('faults on /auth/token', async () => {
	suite.sim.setFaults([{ path: '/auth/token', kind: 'status', status: 503, count: 1 }]);
	expect((await suite.client.tokenRequest()).status).toBe(503);
	expect((await suite.client.tokenRequest()).status).toBe(200);
	expect(suite.sim.requests.filter((r) => r.tokenRequest).map((r) => r.fault)).toEqual([
		undefined,
		'status:503',
		undefined,
	]);
});

test('method and path filters', async () => {
	suite.sim.setFaults([
		{ path: '/account_groups', method: 'GET', kind: 'status', status: 500 },
		{ path: '/roles', kind: 'status', status: 500 },
	]);
	expect((await createGroup()).status).toBe(200);
});

test('paths with a variable part: `*` for one segment, pathPrefix, with the method filter', async () => {
	const group = (await createGroup()).json;
	const readToken = await suite.client.token('accounts:read');
	const get = (path) => suite.client.call('GET', path, readToken);
	const close = (id) => suite.client.call('DELETE', `/account_groups/${id}`, token);

	suite.sim.setFaults([{ path: '/account_groups/*', method: 'GET', kind: 'status', status: 503 }]);
	expect((await get(`/account_groups/${group.id}`)).status).toBe(503);
	expect((await get('/account_groups')).status).toBe(200); // no segment for the *
	expect((await get(`/users/${uuid()}/account_groups`)).status).toBe(200);
	expect((await close(uuid())).status).toBe(404); // DELETE is not filtered in

	suite.sim.setFaults([{ path: '/users/*/account_groups', kind: 'status', status: 500, count: 1 }]);
	expect((await get(`/users/${uuid()}/account_groups`)).status).toBe(500);
	expect((await get(`/users/${uuid()}/account_groups`)).status).toBe(200);

	suite.sim.setFaults([
		{ pathPrefix: '/account_groups', method: 'DELETE', kind: 'drop-after-create' },
	]);
	await expect(close(group.id)).rejects.toThrow(/socket hang up|ECONNRESET/);
	expect(suite.sim.state.accountGroups[0].status).toBe('CLOSING'); // processed, answer lost
	expect(suite.sim.requests.at(-1)).toMatchObject({ method: 'DELETE', fault: 'drop-after-create' });

	suite.sim.setFaults([{ pathPrefix: '/roles', kind: 'latency', latencyMs: 60 }]);
	const started = Date.now();
	expect((await suite.client.call('GET', `/roles/${uuid()}`, token)).status).toBe(404);
	expect(Date.now() - started).toBeGreaterThanOrEqual(55);
	expect(suite.sim.requests.at(-1).fault).toBe('latency:60');
	expect(suite.sim.setFaults([{ pathPrefix: '/roles', kind: 'drop-before' }]).faults[0]).toEqual({
		kind: 'drop-before',
		pathPrefix: '/roles',
		applied: 0,
	});
});

test('drop-before: connection closed, nothing processed', async () => {
	suite.sim.setFaults([{ path: '/account_groups', kind: 'drop-before', count: 1 }]);
	const idempotencyKey = uuid();
	const body = { user_id: uuid(), type: 'PERSONAL' };
	await expect(createGroup(body, { idempotencyKey })).rejects.toThrow(/socket hang up|ECONNRESET/);
	expect(suite.sim.state.accountGroups).toHaveLength(0);
	expect(suite.sim.requests.at(-1)).toMatchObject({ status: null, fault: 'drop-before' });

	const retry = await createGroup(body, { idempotencyKey });
	expect(retry.status).toBe(200);
	expect(retry.headers['upvest-idempotent-replay']).toBeUndefined();
});

test('drop-after-create: resource stored, answer lost; the retry replays it', async () => {
	suite.sim.setFaults([{ path: '/account_groups', kind: 'drop-after-create', count: 1 }]);
	const idempotencyKey = uuid();
	const body = { user_id: uuid(), type: 'LEGAL_ENTITY' };
	await expect(createGroup(body, { idempotencyKey })).rejects.toThrow(/socket hang up|ECONNRESET/);
	expect(suite.sim.state.accountGroups).toHaveLength(1);
	expect(suite.sim.requests.at(-1)).toMatchObject({
		status: null,
		fault: 'drop-after-create',
		signature: { valid: true },
	});

	const retry = await createGroup(body, { idempotencyKey });
	expect(retry.status).toBe(200);
	expect(retry.headers['upvest-idempotent-replay']).toBe('true');
	expect(retry.json).toEqual(suite.sim.state.accountGroups[0]);
	expect(suite.sim.state.accountGroups).toHaveLength(1);
	expect(suite.sim.requests.at(-1).replayed).toBe(true);
});

test('latency fault and configured latency add up', async () => {
	suite.sim.setFaults([{ path: '/account_groups', kind: 'latency', latencyMs: 150 }]);
	let started = Date.now();
	expect((await createGroup()).status).toBe(200);
	expect(Date.now() - started).toBeGreaterThanOrEqual(145);
	expect(suite.sim.requests.at(-1).fault).toBe('latency:150');

	await admin(suite.sim.url, 'POST', 'config', { latencyMs: 100 });
	started = Date.now();
	const res = await send(suite.sim.url, { method: 'PUT', path: '/account_groups' });
	expect(res.status).toBe(405);
	expect(Date.now() - started).toBeGreaterThanOrEqual(245);

	// latency combines with one terminal fault
	suite.sim.setConfig({ latencyMs: 0 });
	suite.sim.setFaults([
		{ kind: 'latency', latencyMs: 20 },
		{ kind: 'status', status: 503 },
	]);
	expect((await createGroup()).status).toBe(503);
	expect(suite.sim.requests.at(-1).fault).toBe('latency:20,status:503');
});

test('rate faults are deterministic for a seed', async () => {
	const run = async (seed) => {
		await admin(suite.sim.url, 'POST', 'faults', {
			seed,
			faults: [{ path: '/nowhere', kind: 'status', status: 500, rate: 0.5 }],
		});
		const statuses = [];
		for (let i = 0; i < 40; i++)
			statuses.push((await send(suite.sim.url, { path: '/nowhere' })).status);
		return statuses;
	};
	const first = await run(42);
	expect(await run(42)).toEqual(first);
	expect(first).toContain(500);
	expect(first).toContain(404);
	expect(await run(7)).not.toEqual(first);
});

test('rate 0 never and rate 1 always applies', async () => {
	suite.sim.setFaults([{ path: '/nowhere', kind: 'status', status: 500, rate: 0 }]);
	expect((await send(suite.sim.url, { path: '/nowhere' })).status).toBe(404);
	suite.sim.setFaults([{ path: '/nowhere', kind: 'status', status: 500, rate: 1 }]);
	expect((await send(suite.sim.url, { path: '/nowhere' })).status).toBe(500);
});

test('faults never apply to the admin API', async () => {
	suite.sim.setFaults([{ kind: 'drop-before' }, { kind: 'latency', latencyMs: 5000 }]);
	const started = Date.now();
	expect((await admin(suite.sim.url, 'GET', 'health')).status).toBe(200);
	expect(Date.now() - started).toBeLessThan(1000);
});

test('{faults: []} and reset clear the faults', async () => {
	suite.sim.setFaults([{ kind: 'status', status: 500 }]);
	await admin(suite.sim.url, 'POST', 'faults', { faults: [] });
	expect((await createGroup()).status).toBe(200);

	suite.sim.setFaults([{ kind: 'status', status: 500 }], 3);
	await admin(suite.sim.url, 'POST', 'reset');
	expect((await admin(suite.sim.url, 'GET', 'faults')).json).toEqual({ seed: 1, faults: [] });
});

test('invalid fault definitions are rejected', async () => {
	const bad = [
		[{ kind: 'explode' }, /kind must be one of/],
		[{ kind: 'status' }, /status must be an HTTP error status/],
		[{ kind: 'status', status: 200 }, /status must be an HTTP error status/],
		[{ kind: 'status', status: 503, rate: 2 }, /rate must be a number between 0 and 1/],
		[{ kind: 'status', status: 503, count: -1 }, /count must be a non-negative integer/],
		[{ kind: 'status', status: 429, retryAfter: 'soon' }, /retryAfter/],
		[{ kind: 'status', status: 400, detail: 42 }, /detail must be a string/],
		[{ kind: 'latency' }, /latencyMs must be a non-negative integer/],
		[{ kind: 'drop-before', path: 'account_groups' }, /path must start with \//],
		[{ kind: 'drop-before', pathPrefix: 'roles' }, /pathPrefix must start with \//],
	];
	for (const [fault, message] of bad) {
		expect(() => suite.sim.setFaults([fault])).toThrow(message);
		const res = await admin(suite.sim.url, 'POST', 'faults', { faults: [fault] });
		expect(res.status).toBe(400);
		expect(res.json.detail).toMatch(message);
	}
	expect(() => suite.sim.setFaults([], 1.5)).toThrow(/seed must be an integer/);
});

test('close() ends pending latency and open keep-alive sockets', async () => {
	const other = await startSimulator({ port: 0, latencyMs: 10000 });
	const pending = send(other.url, { path: '/x' }).catch((err) => err);
	await new Promise((r) => setTimeout(r, 50));
	const started = Date.now();
	await other.close();
	expect(Date.now() - started).toBeLessThan(1000);
	// the suite.client sees the connection reset (cross-realm Error, so check the message)
	expect(String((await pending).message)).toMatch(/socket hang up|ECONNRESET/);
});
