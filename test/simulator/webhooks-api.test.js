'use strict';

/** Webhook subscriptions (/webhooks) and verification keys (GET /auth/verify_keys) over HTTP. */

const crypto = require('node:crypto');
const { startSimulator } = require('../../simulator/server');
const { admin, expectProblem, useSimulator, UUID_RE } = require('./helpers');

const uuid = () => crypto.randomUUID();
const BASE64URL_66 = /^[A-Za-z0-9_-]{88}$/;

let adminToken;
let readToken;

const suite = useSimulator({ strictWebhookUrls: false, maxPageSize: 1000 });

beforeEach(async () => {
	adminToken = await suite.client.token('webhooks:admin');
	readToken = await suite.client.token('webhooks:read');
});

const body = (fields = {}) => ({
	title: 'n8n',
	url: 'http://127.0.0.1:9/upvest',
	type: ['ACCOUNT_GROUP'],
	...fields,
});
const create = (fields, options) =>
	suite.client.post('/webhooks', adminToken, body(fields), { idempotencyKey: null, ...options });
const get = (path, query, token = readToken) => suite.client.call('GET', path, token, { query });
const patch = (id, changes, token = adminToken) =>
	suite.client.write('PATCH', `/webhooks/${id}`, token, changes);
const remove = (id, token = adminToken) => suite.client.call('DELETE', `/webhooks/${id}`, token);

describe('POST /webhooks', () => {
	test('201 with the subscription, enabled', async () => {
		const config = { delay: '5s', max_package_size: 10240 };
		const res = await create({ type: ['ROLE', 'ACCOUNT_GROUP'], config });
		expect(res.status).toBe(201);
		expect(res.json).toEqual({
			id: expect.stringMatching(UUID_RE),
			created_at: expect.any(String),
			updated_at: expect.any(String),
			title: 'n8n',
			url: 'http://127.0.0.1:9/upvest',
			enabled: true,
			type: ['ROLE', 'ACCOUNT_GROUP'],
			config,
		});
		expect((await create({ type: ['ALL'] })).json.config).toEqual({});
		expect(suite.sim.state.webhooks).toHaveLength(2);
	});

	test('an idempotency key is honoured when sent, not required', async () => {
		const idempotencyKey = uuid();
		const first = await create({}, { idempotencyKey });
		const again = await create({}, { idempotencyKey });
		expect(again.status).toBe(201);
		expect(again.headers['upvest-idempotent-replay']).toBe('true');
		expect(again.json).toEqual(first.json);
		expect(suite.sim.state.webhooks).toHaveLength(1);
		expect((await create({ title: 'other' }, { idempotencyKey })).status).toBe(422);
	});

	test.each([
		[{ title: '' }, 'title must be 1 to 32 characters: letters, digits, spaces and ()[]{}.-'],
		[{ title: 'x'.repeat(33) }, /^title must be 1 to 32 characters/],
		[{ title: 'n8n: my workflow' }, /^title must be 1 to 32 characters/],
		[{ title: 'n8n_workflow' }, /^title must be 1 to 32 characters/],
		[{ title: 'n8n/workflow#1' }, /^title must be 1 to 32 characters/],
		[{ title: undefined }, 'title is required'],
		[{ url: undefined }, 'url is required'],
		[{ url: 'not a url' }, 'url must be an absolute URL'],
		[{ url: 'ftp://example.com/x' }, 'url must be an http or https URL'],
		[{ url: `https://example.com/${'x'.repeat(1000)}` }, /^url must be a string of 1 to 1000/],
		[{ type: undefined }, 'type is required'],
		[{ type: [] }, 'type must be a non-empty array of event categories'],
		[{ type: ['PIZZA'] }, /^type must hold only ALL, BUSINESS, ROLE, USER, /],
		[{ type: 'ALL' }, /^type must be a non-empty array/],
		[{ config: { delay: '0s' } }, 'config.delay must be 1s to 30s (^([1-9]|[12][0-9]|30)s$)'],
		[{ config: { delay: '31s' } }, /^config.delay must be 1s to 30s/],
		[{ config: { delay: '100s' } }, /^config.delay must be 1s to 30s/],
		[{ config: { delay: '1m' } }, /^config.delay must be 1s to 30s/],
		[{ config: { delay: '05s' } }, /^config.delay must be 1s to 30s/],
		[{ config: { delay: 5 } }, /^config.delay must be 1s to 30s/],
		[{ exclude_type: 'ORDER' }, /^exclude_type must be an array of distinct categories: BUSINESS,/],
		[{ exclude_type: ['ALL'] }, /^exclude_type must be an array of distinct categories/],
		[{ exclude_type: ['ORDER', 'ORDER'] }, /^exclude_type must be an array of distinct/],
		[{ exclude_type: ['BUSINESS_CHECK'] }, /^exclude_type must be an array of distinct/],
		[{ config: { max_package_size: 99 } }, /^config.max_package_size must be an integer from 100/],
		[{ config: { max_package_size: 1048577 } }, /^config.max_package_size/],
		[{ config: { retries: 3 } }, 'Unknown field: config.retries'],
		[{ config: [] }, 'config must be an object'],
		[{ enabled: false }, 'Unknown field: enabled'],
	])('%p is a 400 naming the field', async (fields, detail) => {
		expectProblem(await create(fields), 400, detail, 'bad_request');
		expect(suite.sim.state.webhooks).toHaveLength(0);
	});

	test('every category of the API specification is taken (BUSINESS_CHECK is none)', async () => {
		const categories = ['BUSINESS', 'ROLE', 'USER', 'USER_CHECK', 'ORDER', 'CASH_BALANCE'];
		const newer = ['INSTRUMENT', 'SAVINGS_PLAN', 'TAX_COLLECTION', 'TOPUP', 'ISA_TRANSFER'];
		expect((await create({ type: [...categories, ...newer] })).status).toBe(201);
		expectProblem(await create({ type: ['BUSINESS_CHECK'] }), 400, /^type must hold only/);
	});

	test('titles: 1 to 32 letters, digits, spaces and ()[]{}.-', async () => {
		for (const title of ['x', 'n8n Onboarding (prod) [v2] {a}.-', 'x'.repeat(32)])
			expect((await create({ title })).status).toBe(201);
	});

	test('config.delay: 1s to 30s; max_package_size 100 to 1048576; both answered as given', async () => {
		for (const config of [
			{ delay: '1s', max_package_size: 100 },
			{ delay: '9s' },
			{ delay: '10s', max_package_size: 1048576 },
			{ delay: '29s' },
			{ delay: '30s' },
		])
			expect((await create({ config })).json.config).toEqual(config);
	});

	test('exclude_type: stored and answered on POST and PATCH; absent unless given', async () => {
		const plain = (await create({ type: ['ALL'] })).json;
		expect(plain).not.toHaveProperty('exclude_type');
		const excluded = await create({ type: ['ALL'], exclude_type: ['ORDER', 'ROLE'] });
		expect(excluded.status).toBe(201);
		expect(excluded.json.exclude_type).toEqual(['ORDER', 'ROLE']);
		const patched = await patch(plain.id, { exclude_type: ['USER_CHECK'] });
		expect(patched.json.exclude_type).toEqual(['USER_CHECK']);
		expect((await get(`/webhooks/${plain.id}`)).json.exclude_type).toEqual(['USER_CHECK']);
		expect((await patch(plain.id, { exclude_type: [] })).json.exclude_type).toEqual([]);
		// taken (and ignored for delivery) without ALL too
		expect((await create({ type: ['USER'], exclude_type: ['USER'] })).status).toBe(201);
		expectProblem(await patch(plain.id, { exclude_type: ['ALL'] }), 400, /^exclude_type/);
	});

	test('strictWebhookUrls: only https with a DNS host name, as Upvest', async () => {
		suite.sim.setConfig({ strictWebhookUrls: true });
		const detail = 'url must be an https URL with a DNS host name (no IP address)';
		expectProblem(await create({ url: 'http://hooks.example.com/x' }), 400, detail);
		expectProblem(await create({ url: 'https://127.0.0.1/x' }), 400, detail);
		expectProblem(await create({ url: 'https://[::1]/x' }), 400, detail);
		expect((await create({ url: 'https://hooks.example.com/upvest' })).status).toBe(201);
		const id = suite.sim.state.webhooks[0].id;
		expectProblem(await patch(id, { url: 'http://hooks.example.com/x' }), 400, detail);
	});

	test('scopes: webhooks:admin to write', async () => {
		expectProblem(
			await suite.client.post('/webhooks', readToken, body()),
			403,
			'Missing required scope: webhooks:admin',
		);
	});
});

describe('reading, changing and deleting subscriptions', () => {
	test('GET /webhooks/{id}; 404 and 400', async () => {
		const created = (await create()).json;
		const res = await get(`/webhooks/${created.id}`);
		expect(res.status).toBe(200);
		expect(res.json).toEqual(created);
		const id = uuid();
		expectProblem(await get(`/webhooks/${id}`), 404, `Webhook ${id} not found`);
		expectProblem(await get('/webhooks/xyz'), 400, 'webhook_id must be a UUID');
		const accountsOnly = await suite.client.token('accounts:read');
		expectProblem(await get(`/webhooks/${id}`, undefined, accountsOnly), 403, /webhooks:read$/);
	});

	test('PATCH changes title, url, type, config and enabled; updated_at moves', async () => {
		const created = (await create({ config: { delay: '5s' } })).json;
		const changes = {
			title: 'renamed',
			url: 'http://localhost:9/other',
			type: ['ALL'],
			config: { max_package_size: 500 },
			enabled: false,
		};
		const res = await patch(created.id, changes);
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ ...created, ...changes, updated_at: expect.any(String) });
		expect(res.json.updated_at > created.updated_at).toBe(true);
		expect((await get(`/webhooks/${created.id}`)).json).toEqual(res.json);
		expect((await patch(created.id, {})).status).toBe(200);
		expectProblem(await patch(created.id, { enabled: 'yes' }), 400, 'enabled must be a boolean');
		expectProblem(await patch(created.id, { id: uuid() }), 400, 'Unknown field: id');
		expectProblem(await patch(uuid(), { title: 'x' }), 404);
		expectProblem(await patch(created.id, { title: 'x' }, readToken), 403, /webhooks:admin$/);
	});

	test('DELETE answers 204 without a body; then 404', async () => {
		const created = (await create()).json;
		expectProblem(await remove(created.id, readToken), 403);
		const res = await remove(created.id);
		expect(res.status).toBe(204);
		expect(res.text).toBe('');
		expect(res.headers['upvest-request-id']).toMatch(UUID_RE);
		expect(suite.sim.state.webhooks).toHaveLength(0);
		expectProblem(await remove(created.id), 404);
		expectProblem(await get(`/webhooks/${created.id}`), 404);
	});

	test('GET /webhooks: the list envelope, paging and every sort field', async () => {
		const titles = ['delta', 'alpha', 'charlie', 'bravo', 'echo'];
		const made = [];
		for (const title of titles) made.push((await create({ title })).json);
		await patch(made[2].id, { enabled: false });

		const all = await get('/webhooks');
		expect(all.json.meta).toEqual({
			offset: 0,
			limit: 100,
			count: 5,
			total_count: 5,
			sort: 'created_at',
			order: 'ASC',
		});
		const pageTwo = await get('/webhooks', 'offset=2&limit=2');
		expect(pageTwo.json.data.map((w) => w.title)).toEqual(['charlie', 'bravo']);
		const byTitle = await get('/webhooks', 'sort=title&order=DESC');
		expect(byTitle.json.data.map((w) => w.title)).toEqual([
			'echo',
			'delta',
			'charlie',
			'bravo',
			'alpha',
		]);
		const byEnabled = await get('/webhooks', 'sort=enabled');
		expect(byEnabled.json.data.map((w) => w.title)).toEqual([
			'charlie',
			'delta',
			'alpha',
			'bravo',
			'echo',
		]);
		expect((await get('/webhooks', 'sort=url')).status).toBe(200);
		expect((await get('/webhooks', 'sort=updated_at')).json.data.at(-1).title).toBe('charlie');
		expectProblem(
			await get('/webhooks', 'sort=id'),
			400,
			/^sort must be one of created_at, updated_at, title, url, enabled$/,
		);
		expectProblem(await get('/webhooks', 'limit=0'), 400, /^limit/);
	});
});

describe('GET /auth/verify_keys', () => {
	test('the JWKS of the signing key: kid, EC, P-521, base64url coordinates', async () => {
		const res = await get('/auth/verify_keys');
		expect(res.status).toBe(200);
		expect(res.json).toEqual({
			keys: [
				{
					kid: expect.stringMatching(UUID_RE),
					kty: 'EC',
					crv: 'P-521',
					x: expect.stringMatching(BASE64URL_66),
					y: expect.stringMatching(BASE64URL_66),
				},
			],
		});
		// Node imports it as a P-521 public key
		const key = crypto.createPublicKey({ key: res.json.keys[0], format: 'jwk' });
		expect(key.asymmetricKeyDetails.namedCurve).toBe('secp521r1');
		expect((await get('/auth/verify_keys', undefined, adminToken)).status).toBe(200);
		const rolesOnly = await suite.client.token('roles:read');
		expectProblem(
			await get('/auth/verify_keys', undefined, rolesOnly),
			403,
			'Missing required scope: webhooks:read',
		);
		expectProblem(await get('/auth/verify_keys', undefined, 'ory_at_nope'), 401);
	});

	test('rotation: a new kid signs, the old one stays published unless dropped; reset restores', async () => {
		const before = (await get('/auth/verify_keys')).json.keys;
		const rotated = await admin(suite.sim.url, 'POST', 'keys/rotate', {});
		expect(rotated.status).toBe(200);
		expect(rotated.json.kid).not.toBe(before[0].kid);
		const after = (await get('/auth/verify_keys')).json.keys;
		expect(after.map((k) => k.kid)).toEqual([before[0].kid, rotated.json.kid]);
		expect((await admin(suite.sim.url, 'GET', 'keys')).json.kid).toBe(rotated.json.kid);

		const dropped = suite.sim.rotateWebhookKey({ dropOld: true });
		expect((await get('/auth/verify_keys')).json.keys.map((k) => k.kid)).toEqual([dropped.kid]);
		expectProblem(await admin(suite.sim.url, 'POST', 'keys/rotate', { dropOld: 'yes' }), 400);

		suite.sim.reset();
		readToken = await suite.client.token('webhooks:read');
		expect((await get('/auth/verify_keys')).json.keys).toEqual(before);
	});
});

describe('faults and a given signing key', () => {
	test('faults apply to the webhook endpoints too', async () => {
		suite.sim.setFaults([
			{ pathPrefix: '/webhooks', method: 'POST', kind: 'status', status: 503, count: 1 },
			{ path: '/auth/verify_keys', kind: 'status', status: 429, retryAfter: 1, count: 1 },
		]);
		expect((await create()).status).toBe(503);
		expect(suite.sim.state.webhooks).toHaveLength(0);
		expect((await create()).status).toBe(201);
		const limited = await get('/auth/verify_keys');
		expect(limited.status).toBe(429);
		expect(limited.headers['retry-after']).toBe('1');
		expect((await get('/auth/verify_keys')).status).toBe(200);
	});

	test('startSimulator({ webhookKey }) publishes and signs with that key', async () => {
		const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'secp521r1' });
		const kid = uuid();
		const own = await startSimulator({ port: 0, webhookKey: { kid, privateKey } });
		try {
			const jwk = crypto.createPublicKey(privateKey).export({ format: 'jwk' });
			expect(own.webhookKeys()).toEqual({
				kid,
				keys: [{ kid, kty: 'EC', crv: 'P-521', x: jwk.x, y: jwk.y }],
			});
		} finally {
			await own.close();
		}
		await expect(
			startSimulator({ port: 0, webhookKey: { privateKey: 'not a key' } }),
		).rejects.toThrow();
	});
});
