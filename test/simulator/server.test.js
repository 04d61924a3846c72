'use strict';

/** Server basics and the admin API over real HTTP (port 0, loopback). */

const crypto = require('node:crypto');
const { startSimulator } = require('../../simulator/server');

const { send, admin, expectProblem, useSimulator } = require('./helpers');

const uuid = () => crypto.randomUUID();

const suite = useSimulator({ checkReferences: false, tokenTtlSeconds: 1799, latencyMs: 0 });

describe('server basics', () => {
	test('listens on loopback only and refuses other hosts', async () => {
		expect(suite.sim.url).toBe(`http://127.0.0.1:${suite.sim.port}`);
		await expect(startSimulator({ host: '0.0.0.0' })).rejects.toThrow(/loopback-only/);
	});

	test('unknown paths are 404 and wrong methods 405, as problem+json', async () => {
		expectProblem(
			await send(suite.sim.url, { path: '/orders' }),
			404,
			'No endpoint at /orders',
			'not_found',
		);
		const res = await send(suite.sim.url, { method: 'PUT', path: '/account_groups' });
		expectProblem(res, 405, 'Method PUT is not allowed on /account_groups', 'method_not_allowed');
		expect(res.headers.allow).toBe('POST, GET');
		expect(res.json.title).toBe('Method Not Allowed');
	});

	test('bodies over 1 MB are rejected with 413', async () => {
		const res = await send(suite.sim.url, {
			method: 'POST',
			path: '/account_groups',
			headers: { 'content-type': 'application/json' },
			body: Buffer.alloc(1024 * 1024 + 1, 0x20),
		});
		expectProblem(res, 413, undefined, 'payload_too_large');
		expect(suite.sim.requests.at(-1).status).toBe(413);
	});
});

describe('admin API', () => {
	test('health, state, requests?since, config, reset', async () => {
		expect((await admin(suite.sim.url, 'GET', 'health')).json).toEqual({ ok: true });

		const token = await suite.ecdsa.token('accounts:admin');
		await suite.ecdsa.post('/account_groups', token, { user_id: uuid(), type: 'PERSONAL' });
		await send(suite.sim.url, { path: '/nothing-here?x=1' });

		const state = (await admin(suite.sim.url, 'GET', 'state')).json;
		expect(state).toMatchObject({ tokensIssued: 1, requestCount: 3, roles: [] });
		expect(state.accountGroups).toHaveLength(1);

		const all = (await admin(suite.sim.url, 'GET', 'requests')).json;
		expect(all.map((r) => r.seq)).toEqual([1, 2, 3]);
		expect(all[2]).toMatchObject({
			method: 'GET',
			path: '/nothing-here',
			query: 'x=1',
			status: 404,
			signature: null,
		});
		expect(all[1]).toMatchObject({
			path: '/account_groups',
			status: 200,
			tokenRequest: false,
			replayed: false,
			signature: { valid: true },
			headers: expect.objectContaining({ 'upvest-signature-version': '15' }),
			receivedAt: expect.any(String),
		});
		expect((await admin(suite.sim.url, 'GET', 'requests?since=2')).json.map((r) => r.seq)).toEqual([
			3,
		]);
		// admin traffic itself is not recorded
		expect(suite.sim.requests).toHaveLength(3);

		const cfg = await admin(suite.sim.url, 'POST', 'config', {
			latencyMs: 0,
			tokenTtlSeconds: 42,
			checkReferences: true,
		});
		expect(cfg.json.config).toMatchObject({
			latencyMs: 0,
			tokenTtlSeconds: 42,
			checkReferences: true,
		});
		expect((await suite.ecdsa.tokenRequest()).json.expires_in).toBe(42);
		expectProblem(
			await admin(suite.sim.url, 'POST', 'config', { latencyMs: -1 }),
			400,
			'latencyMs must be a non-negative integer',
		);
		expectProblem(
			await admin(suite.sim.url, 'POST', 'config', { bogus: 1 }),
			400,
			'unknown config option bogus',
		);

		expect((await admin(suite.sim.url, 'POST', 'reset')).json).toEqual({ ok: true });
		expect((await admin(suite.sim.url, 'GET', 'state')).json).toEqual({
			users: [],
			userChecks: [],
			identifiers: [],
			taxResidencies: {},
			businesses: [],
			businessChecks: [],
			accountGroups: [],
			accounts: [],
			roles: [],
			tokensIssued: 0,
			requestCount: 0,
			webhooks: [],
			events: [],
			deliveryCount: 0,
		});
		expect(suite.sim.requests).toHaveLength(0);
		// tokens are gone after a reset
		expectProblem(
			await suite.ecdsa.post('/account_groups', token, { user_id: uuid(), type: 'PERSONAL' }),
			401,
		);
	});

	test('unknown admin endpoints and methods', async () => {
		expectProblem(await admin(suite.sim.url, 'GET', 'nope'), 404);
		expectProblem(await admin(suite.sim.url, 'GET', 'reset'), 405);
		expectProblem(
			await admin(suite.sim.url, 'POST', 'faults', { faults: 'x' }),
			400,
			'faults must be an array',
		);
	});
});
