'use strict';

/**
 * Webhook deliveries to a receiver on 127.0.0.1: events from what happens to account groups and
 * roles, categories, batching and order, retries with backoff that hold later events back,
 * re-signing, disabled and deleted subscriptions, the test event.
 */

const crypto = require('node:crypto');
const { admin, expectProblem, useSimulator } = require('./helpers');
const { startReceiver } = require('./receiver');
const { checkDelivery } = require('./v6-check');

const uuid = () => crypto.randomUUID();
const NANO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/;
const HOOK_PATH = '/hooks/upvest';

let token;
let receiver;

const suite = useSimulator({
	activationDelayMs: null,
	closeDelayMs: null,
	webhookBatchDelayMs: 20,
	webhookRetryScale: 0.01,
	resignRetries: true,
	webhookTimeoutMs: 10000,
});

beforeEach(async () => {
	token = await suite.client.token('webhooks:admin accounts:admin roles:admin');
	receiver = await startReceiver();
});

afterEach(async () => {
	suite.sim.reset(); // stops retries before the receiver goes
	await receiver.close();
});

async function subscribe(type = ['ALL'], fields = {}) {
	const res = await suite.client.post(
		'/webhooks',
		token,
		{ title: 'test', url: `${receiver.url}${HOOK_PATH}`, type, ...fields },
		{ idempotencyKey: null },
	);
	expect(res.status).toBe(201);
	return res.json;
}
const createGroup = async () =>
	(await suite.client.post('/account_groups', token, { user_id: uuid(), type: 'PERSONAL' })).json;
const jwks = async () => (await suite.client.call('GET', '/auth/verify_keys', token)).json;
const events = (requests) => requests.flatMap((request) => JSON.parse(request.body).payload);
const emit = (type, object = { id: uuid() }) => suite.sim.emitEvent(type, object);
/** Waits until the receiver holds `count` events in all. */
async function eventsArrived(count, timeoutMs = 5000) {
	const started = Date.now();
	while (events(receiver.received).length < count) {
		if (Date.now() - started > timeoutMs) throw new Error('events did not arrive in time');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	return events(receiver.received);
}
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('account group events: the object as the API shows it then, signed deliveries', async () => {
	const sub = await subscribe(['ACCOUNT_GROUP']);
	suite.sim.setConfig({ closeDelayMs: 0 });
	const group = await createGroup();
	suite.sim.setStatus({ accountGroupId: group.id, status: 'ACTIVE' });
	expect((await suite.client.call('DELETE', `/account_groups/${group.id}`, token)).status).toBe(
		202,
	);
	const got = await eventsArrived(4);
	expect(got.map((event) => [event.type, event.object.status])).toEqual([
		['ACCOUNT_GROUP.CREATED', 'PENDING_APPROVAL'],
		['ACCOUNT_GROUP.ACTIVATED', 'ACTIVE'],
		['ACCOUNT_GROUP.CLOSING_INITIATED', 'CLOSING'],
		['ACCOUNT_GROUP.CLOSED', 'CLOSED'],
	]);
	expect(got[0]).toEqual({
		id: expect.stringMatching(/^[0-9a-f-]{36}$/),
		created_at: expect.stringMatching(NANO_TIME),
		type: 'ACCOUNT_GROUP.CREATED',
		object: group,
		webhook_id: sub.id,
	});
	expect(new Set(got.map((event) => event.id)).size).toBe(4);
	const times = got.map((event) => event.created_at);
	expect(times).toEqual([...times].sort());

	const keys = await jwks();
	for (const request of receiver.received) {
		expect(request).toMatchObject({ method: 'POST', path: HOOK_PATH });
		expect(request.headers).toMatchObject({
			'content-type': 'application/json',
			'content-length': String(Buffer.byteLength(request.body)),
		});
		expect(request.headers['upvest-signature-version']).toBeUndefined();
		const checked = checkDelivery(request, keys);
		expect(checked).toMatchObject({
			ok: true,
			components: ['content-length', 'content-type', '@method', '@path', 'digest'],
		});
		expect(checked.params.keyid).toBe(keys.keys[0].kid);
		expect(checked.params.nonce).toMatch(/^\d{10}$/);
		expect(checked.params.expires - checked.params.created).toBe(60);
	}
});

test('role events, and each subscription gets only its categories', async () => {
	const roles = await subscribe(['ROLE']);
	const groups = await subscribe(['ACCOUNT_GROUP']);
	suite.sim.setConfig({ activationDelayMs: 0 });
	const role = (
		await suite.client.post('/roles', token, {
			user_id: uuid(),
			entity_type: 'BUSINESS',
			entity_id: uuid(),
			role_type: 'TRADER',
		})
	).json;
	await eventsArrived(2);
	expect((await suite.client.call('DELETE', `/roles/${role.id}`, token)).status).toBe(202);
	const got = await eventsArrived(3);
	expect(got.map((event) => event.type)).toEqual([
		'ROLE.CREATED',
		'ROLE.ACTIVATED',
		'ROLE.DEACTIVATED',
	]);
	expect(got.every((event) => event.webhook_id === roles.id)).toBe(true);
	expect(got[2].object).toMatchObject({ id: role.id, status: 'DEACTIVATED' });
	expect(suite.sim.deliveries.every((d) => d.webhookId !== groups.id)).toBe(true);
	expect(suite.sim.state.events.map((event) => event.webhook_ids)).toEqual([
		[roles.id],
		[roles.id],
		[roles.id],
	]);
});

test('any event from the admin API; one event id for every subscription', async () => {
	const users = await subscribe(['USER']);
	const all = await subscribe(['ALL']);
	await subscribe(['ACCOUNT_GROUP']);
	const object = { id: uuid(), status: 'ACTIVE' };
	const res = await admin(suite.sim.url, 'POST', 'events', { type: 'USER.ACTIVATED', object });
	expect(res.status).toBe(200);
	expect(res.json.webhookIds).toEqual([users.id, all.id]);
	const got = await eventsArrived(2);
	expect(got.map((event) => event.webhook_id).sort()).toEqual([users.id, all.id].sort());
	expect(new Set(got.map((event) => event.id))).toEqual(new Set([res.json.event.id]));
	expect(got[0]).toMatchObject({ type: 'USER.ACTIVATED', object });
	expectProblem(
		await admin(suite.sim.url, 'POST', 'events', { type: 'activated', object }),
		400,
		/CATEGORY.ACTION/,
	);
	expectProblem(
		await admin(suite.sim.url, 'POST', 'events', { type: 'USER.CREATED', object: 1 }),
		400,
		/object/,
	);
});

test('batching: events of the batch delay travel together, ordered by created_at', async () => {
	suite.sim.setConfig({ webhookBatchDelayMs: 300 });
	await subscribe();
	const sent = [];
	for (let i = 0; i < 5; i++) sent.push(emit('USER.CREATED').event.id);
	const [request] = await receiver.waitFor(1);
	const payload = JSON.parse(request.body).payload;
	expect(payload.map((event) => event.id)).toEqual(sent);
	expect(Object.keys(JSON.parse(request.body))).toEqual(['payload']);
	await pause(50);
	expect(receiver.received).toHaveLength(1);
});

test('max_package_size: batches stay within it, in order, nothing lost', async () => {
	suite.sim.setConfig({ webhookBatchDelayMs: 200 });
	await subscribe(['ALL'], { config: { max_package_size: 700 } });
	const sent = [];
	for (let i = 0; i < 7; i++) sent.push(emit('USER.UPDATED', { id: uuid(), n: i }).event.id);
	const got = await eventsArrived(7);
	expect(got.map((event) => event.id)).toEqual(sent);
	expect(receiver.received.length).toBeGreaterThan(1);
	for (const request of receiver.received)
		expect(Buffer.byteLength(request.body)).toBeLessThanOrEqual(700);
});

test('a failed delivery is retried with backoff, re-signed, and holds later events back', async () => {
	suite.sim.setConfig({ webhookRetryScale: 0.05 });
	receiver.answers.push(500, 503, 200);
	const sub = await subscribe();
	const first = emit('USER.CREATED').event.id;
	await receiver.waitFor(1);
	const second = emit('USER.UPDATED').event.id;
	await receiver.waitFor(4);
	await pause(50);
	const bodies = receiver.received.map((request) =>
		JSON.parse(request.body).payload.map((e) => e.id),
	);
	expect(bodies).toEqual([[first], [first], [first], [second]]);
	// the whole request again, byte for byte, with a fresh signature each time
	const [a, b, c] = receiver.received;
	expect(new Set([a.body, b.body, c.body]).size).toBe(1);
	expect(new Set([a, b, c].map((r) => r.headers['signature-input'])).size).toBe(3);
	const keys = await jwks();
	for (const request of receiver.received) expect(checkDelivery(request, keys).ok).toBe(true);
	// backoff 1, 2 s scaled by 0.05: the retries wait at least 50 and 100 ms
	expect(b.at - a.at).toBeGreaterThanOrEqual(45);
	expect(c.at - b.at).toBeGreaterThanOrEqual(95);

	const log = (await admin(suite.sim.url, 'GET', 'deliveries')).json;
	expect(log.map((d) => [d.attempt, d.status, d.eventIds])).toEqual([
		[1, 500, [first]],
		[2, 503, [first]],
		[3, 200, [first]],
		[1, 200, [second]],
	]);
	expect(log[0]).toMatchObject({
		seq: 1,
		webhookId: sub.id,
		url: `${receiver.url}${HOOK_PATH}`,
		eventTypes: ['USER.CREATED'],
		injected: false,
	});
	expect((await admin(suite.sim.url, 'GET', 'deliveries?since=3')).json.map((d) => d.seq)).toEqual([
		4,
	]);
});

test('resignRetries off: a retry is the same request again, signature included', async () => {
	suite.sim.setConfig({ resignRetries: false });
	receiver.answers.push(500);
	await subscribe();
	emit('USER.CREATED');
	const [a, b] = await receiver.waitFor(2);
	expect(b.headers.signature).toBe(a.headers.signature);
	expect(b.headers['signature-input']).toBe(a.headers['signature-input']);
	expect(b.body).toBe(a.body);
});

test('connection errors and timeouts count as failures and are retried', async () => {
	suite.sim.setConfig({ webhookTimeoutMs: 100 });
	receiver.answers.push('hang');
	await subscribe();
	emit('USER.CREATED');
	await receiver.waitFor(2, 5000);
	const [timedOut] = suite.sim.deliveries;
	expect(timedOut).toMatchObject({
		status: null,
		error: expect.stringMatching(/no answer within 100 ms/),
	});

	const closed = await startReceiver();
	await closed.close();
	await subscribe(['ALL'], { url: `${closed.url}/gone` });
	emit('USER.UPDATED');
	const started = Date.now();
	while (!suite.sim.deliveries.some((d) => d.url.startsWith(closed.url) && d.attempt === 2)) {
		if (Date.now() - started > 5000) throw new Error('no retry after a refused connection');
		await pause(10);
	}
	expect(suite.sim.deliveries.find((d) => d.url.startsWith(closed.url)).error).toMatch(
		/ECONNREFUSED/,
	);
});

test('only loopback hosts are delivered to', async () => {
	await subscribe(['ALL'], { url: 'https://hooks.example.com/upvest' });
	emit('USER.CREATED');
	while (suite.sim.deliveries.length === 0) await pause(10);
	expect(suite.sim.deliveries[0]).toMatchObject({
		status: null,
		error: expect.stringMatching(/loopback/),
	});
});

test('a disabled subscription queues; enabling it delivers what waited', async () => {
	const sub = await subscribe();
	await suite.client.write('PATCH', `/webhooks/${sub.id}`, token, { enabled: false });
	const ids = [emit('USER.CREATED').event.id, emit('USER.UPDATED').event.id];
	await pause(100);
	expect(receiver.received).toHaveLength(0);
	const queue = (await admin(suite.sim.url, 'GET', 'webhooks')).json[0].queue;
	expect(queue).toMatchObject({ waiting: 2, blocked: false });
	await suite.client.write('PATCH', `/webhooks/${sub.id}`, token, { enabled: true });
	expect((await eventsArrived(2)).map((event) => event.id)).toEqual(ids);
});

test('deleting a subscription drops its queue and its retries', async () => {
	receiver.fallback = 500;
	const sub = await subscribe();
	emit('USER.CREATED');
	await receiver.waitFor(2);
	expect((await suite.client.call('DELETE', `/webhooks/${sub.id}`, token)).status).toBe(204);
	await pause(30);
	const count = receiver.received.length;
	await pause(300);
	expect(receiver.received).toHaveLength(count);
});

test('POST /webhooks/{id}/test: 202, then one WEBHOOK.TEST event with the subscription', async () => {
	const sub = await subscribe(['ROLE']);
	const res = await suite.client.call('POST', `/webhooks/${sub.id}/test`, token);
	expect(res.status).toBe(202);
	expect(res.text).toBe('');
	const [event] = await eventsArrived(1);
	expect(event).toMatchObject({ type: 'WEBHOOK.TEST', object: sub, webhook_id: sub.id });
	expectProblem(await suite.client.call('POST', `/webhooks/${uuid()}/test`, token), 404);
	const readOnly = await suite.client.token('webhooks:read');
	expectProblem(
		await suite.client.call('POST', `/webhooks/${sub.id}/test`, readOnly),
		403,
		/webhooks:admin$/,
	);
});

test('a subscription URL with a query: @query is covered as well', async () => {
	await subscribe(['ALL'], { url: `${receiver.url}${HOOK_PATH}?source=upvest&x=1` });
	emit('USER.CREATED');
	const [request] = await receiver.waitFor(1);
	expect(request.path).toBe(`${HOOK_PATH}?source=upvest&x=1`);
	const checked = checkDelivery(request, await jwks());
	expect(checked).toMatchObject({
		ok: true,
		components: ['content-length', 'content-type', '@method', '@path', 'digest', '@query'],
	});
	expect(checked.base).toContain('\n@path: /hooks/upvest\n');
	expect(checked.base).toContain('\n@query: ?source=upvest&x=1\n');
});
