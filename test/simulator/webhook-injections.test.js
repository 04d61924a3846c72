'use strict';

/**
 * Injected deliveries for receiver tests: each kind is one extra POST to the subscription's URL
 * with exactly one thing wrong (or a genuine redelivery), answered with what the receiver said.
 */

const { admin, expectProblem, useSimulator } = require('./helpers');
const { startReceiver } = require('./receiver');
const { checkDelivery } = require('./v6-check');

const HOOK_PATH = '/hooks/upvest';
const HOUR = 3600;

let token;
let receiver;
let sub;
let keys;

const suite = useSimulator({
	activationDelayMs: null,
	webhookBatchDelayMs: 10,
	webhookRetryScale: 0.01,
});

beforeEach(async () => {
	token = await suite.client.token('webhooks:admin');
	receiver = await startReceiver();
	const res = await suite.client.post(
		'/webhooks',
		token,
		{ title: 'receiver under test', url: `${receiver.url}${HOOK_PATH}`, type: ['ALL'] },
		{ idempotencyKey: null },
	);
	sub = res.json;
	keys = (await suite.client.call('GET', '/auth/verify_keys', token)).json;
});

afterEach(async () => {
	suite.sim.reset();
	await receiver.close();
});

const inject = async (kind, extra = {}) => {
	const res = await admin(suite.sim.url, 'POST', 'inject', { webhookId: sub.id, kind, ...extra });
	expect(res.status).toBe(200);
	return res.json;
};
const lastReceived = () => receiver.received.at(-1);
const now = () => Math.floor(Date.now() / 1000);

/** One genuine delivery first, for the kinds that repeat it. */
async function delivered() {
	suite.sim.emitEvent('USER.CREATED', { id: 'u-1' });
	const [request] = await receiver.waitFor(1);
	return request;
}

test('forged: a published kid, signed by another key', async () => {
	receiver.answers.push(401);
	const result = await inject('forged');
	expect(result).toMatchObject({ ok: true, kind: 'forged', webhookId: sub.id, status: 401 });
	expect(result.body).toBe('answered 401');
	const checked = checkDelivery(lastReceived(), keys);
	expect(checked.params.keyid).toBe(keys.keys[0].kid);
	expect(checked).toMatchObject({ ok: false, error: 'signature does not verify' });
});

test('unknown-key: a kid the JWKS does not have', async () => {
	await inject('unknown-key');
	const checked = checkDelivery(lastReceived(), keys);
	expect(checked).toMatchObject({ ok: false, error: 'unknown kid' });
});

test('tampered: the body changed after signing, same length', async () => {
	await inject('tampered');
	const request = lastReceived();
	expect(request.headers['content-length']).toBe(String(Buffer.byteLength(request.body)));
	expect(checkDelivery(request, keys)).toMatchObject({
		ok: false,
		error: 'digest does not match the body',
	});
});

test.each([
	['stale', -HOUR],
	['future', HOUR],
])('%s: validly signed, created an hour off', async (kind, offset) => {
	await inject(kind);
	const checked = checkDelivery(lastReceived(), keys);
	expect(checked.ok).toBe(true);
	expect(Math.abs(checked.params.created - (now() + offset))).toBeLessThan(60);
	expect(checked.params.expires - checked.params.created).toBe(60);
});

test('missing-headers: no signature headers at all', async () => {
	await inject('missing-headers');
	const { headers } = lastReceived();
	expect(headers.signature).toBeUndefined();
	expect(headers['signature-input']).toBeUndefined();
	expect(headers.digest).toMatch(/^SHA-256=/);
});

test('unsigned-digest: a valid signature that does not cover the digest', async () => {
	await inject('unsigned-digest');
	const checked = checkDelivery(lastReceived(), keys);
	expect(checked.ok).toBe(true);
	expect(checked.components).toEqual(['content-length', 'content-type', '@method', '@path']);
});

test('replayed: the last delivered request again, byte for byte', async () => {
	const original = await delivered();
	const result = await inject('replayed');
	const replay = lastReceived();
	expect(receiver.received).toHaveLength(2);
	expect(replay.body).toBe(original.body);
	for (const name of ['signature', 'signature-input', 'digest', 'content-length', 'content-type'])
		expect(replay.headers[name]).toBe(original.headers[name]);
	expect(result.eventIds).toEqual(JSON.parse(original.body).payload.map((event) => event.id));
});

test('duplicate: the last delivered events again with a fresh valid signature', async () => {
	const original = await delivered();
	await inject('duplicate');
	const again = lastReceived();
	expect(again.body).toBe(original.body);
	expect(again.headers['signature-input']).not.toBe(original.headers['signature-input']);
	expect(checkDelivery(again, keys).ok).toBe(true);
});

test('injected events: a fresh WEBHOOK.TEST by default, or the type and object asked', async () => {
	await inject('forged');
	const [event] = JSON.parse(lastReceived().body).payload;
	expect(event).toMatchObject({ type: 'WEBHOOK.TEST', object: sub, webhook_id: sub.id });
	const object = { id: 'ag-1', status: 'ACTIVE' };
	const result = await inject('stale', { type: 'ACCOUNT_GROUP.ACTIVATED', object });
	const [asked] = JSON.parse(lastReceived().body).payload;
	expect(asked).toMatchObject({ type: 'ACCOUNT_GROUP.ACTIVATED', object, id: result.eventIds[0] });
	// injected events are not events of the simulator
	expect(suite.sim.state.events).toHaveLength(0);
});

test('every injection is in the delivery log, marked with its kind; the queue is untouched', async () => {
	await delivered();
	for (const kind of ['forged', 'duplicate']) await inject(kind);
	const log = (await admin(suite.sim.url, 'GET', 'deliveries')).json;
	expect(log.map((d) => [d.injected, d.kind, d.status])).toEqual([
		[false, undefined, 200],
		[true, 'forged', 200],
		[true, 'duplicate', 200],
	]);
	expect(log[1]).toMatchObject({ webhookId: sub.id, attempt: 1, headers: expect.any(Object) });
	expect((await admin(suite.sim.url, 'GET', 'webhooks')).json[0].queue).toMatchObject({
		waiting: 0,
		failures: 0,
	});
});

test('a receiver that is down: the error comes back', async () => {
	await receiver.close();
	const result = await inject('forged');
	expect(result.status).toBeUndefined();
	expect(result.error).toMatch(/ECONNREFUSED/);
});

test('refusals: unknown kind, unknown webhook, nothing to replay yet', async () => {
	expectProblem(
		await admin(suite.sim.url, 'POST', 'inject', { webhookId: sub.id, kind: 'loud' }),
		400,
		/^kind must be one of forged, unknown-key, /,
	);
	expectProblem(
		await admin(suite.sim.url, 'POST', 'inject', { webhookId: 'nope', kind: 'forged' }),
		404,
		'Webhook nope not found',
	);
	for (const kind of ['replayed', 'duplicate']) {
		expectProblem(
			await admin(suite.sim.url, 'POST', 'inject', { webhookId: sub.id, kind }),
			409,
			/has no delivered request yet$/,
		);
	}
	expect(receiver.received).toHaveLength(0);
});

test('after a key rotation deliveries are signed with the new key', async () => {
	const rotated = suite.sim.rotateWebhookKey();
	const request = await delivered();
	const published = (await suite.client.call('GET', '/auth/verify_keys', token)).json;
	const checked = checkDelivery(request, published);
	expect(checked).toMatchObject({ ok: true, params: { keyid: rotated.kid } });
	expect(checkDelivery(request, keys)).toMatchObject({ ok: false, error: 'unknown kid' });
});
