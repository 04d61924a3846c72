/**
 * Deliveries from the local simulator's webhook engine (signed with draft 6 as Upvest signs them)
 * into the Upvest Trigger, run through n8n-core's real WebhookContext: what starts a workflow,
 * what is acknowledged and dropped, and what is refused with 401.
 */
import type { INodeParameters } from 'n8n-workflow';

import {
	testClient,
	usePooledSimulator,
	type DeliveryRecord,
	type InjectionKind,
} from '../../support/simulator';
import { TriggerHarness, triggerCredentials } from '../../support/trigger-harness';
import { waitFor } from '../../support/wait';
import { makeClient } from '../../simulator/helpers';

const suite = usePooledSimulator(24);
const harnesses: TriggerHarness[] = [];
afterEach(async () => {
	jest.restoreAllMocks();
	await Promise.all(harnesses.splice(0).map(async (harness) => await harness.close()));
});

interface TriggerSetup {
	categories?: string[];
	eventTypes?: string[];
	options?: INodeParameters;
}

async function activeTrigger(setup: TriggerSetup = {}) {
	suite.sim.setConfig({ webhookBatchDelayMs: 30, webhookRetryScale: 0.01 });
	const harness = await TriggerHarness.start({
		credentials: triggerCredentials(suite),
		parameters: {
			categories: setup.categories ?? ['ACCOUNT_GROUP', 'ROLE'],
			eventTypes: setup.eventTypes ?? [],
			options: setup.options ?? {},
		},
	});
	harnesses.push(harness);
	await harness.activate();
	return harness;
}

const answered = (filter: (delivery: DeliveryRecord) => boolean = () => true) =>
	suite.sim.deliveries.filter((delivery) => delivery.status !== null && filter(delivery));

async function deliveredOnce(count = 1): Promise<DeliveryRecord[]> {
	return await waitFor(`${count} answered deliveries`, () => {
		const done = answered((delivery) => delivery.status === 200 && !delivery.injected);
		return done.length >= count && done;
	});
}

const group = (n: number) => ({ id: `00000000-0000-4000-8000-00000000000${n}`, status: 'ACTIVE' });
const verifyKeyCalls = () =>
	suite.sim.requests.filter((request) => request.path === '/auth/verify_keys').length;

describe('verified deliveries', () => {
	test('a batch becomes one item per event, oldest first, answered 200', async () => {
		const harness = await activeTrigger();
		const emitted = [1, 2, 3].map(
			(n) => suite.sim.emitEvent('ACCOUNT_GROUP.CREATED', group(n)).event,
		);
		const [delivery] = await deliveredOnce();
		expect(delivery.eventIds).toEqual(emitted.map((event) => event.id));
		expect(JSON.parse(delivery.answer ?? '')).toEqual({ received: 3, passedOn: 3 });
		expect(harness.executions).toHaveLength(1);
		expect(harness.executions[0].items).toEqual(
			emitted.map((event) => ({ ...event, webhook_id: harness.nodeStaticData.webhookId })),
		);
		expect(verifyKeyCalls()).toBe(1);
	});

	test('events of types not chosen are acknowledged (200) and start nothing', async () => {
		const harness = await activeTrigger({
			categories: ['ACCOUNT_GROUP'],
			eventTypes: ['ACCOUNT_GROUP.ACTIVATED'],
		});
		suite.sim.emitEvent('ACCOUNT_GROUP.CREATED', group(1));
		const [first] = await deliveredOnce();
		expect(JSON.parse(first.answer ?? '')).toEqual({ received: 1, passedOn: 0 });
		expect(harness.executions).toEqual([]);

		const activated = suite.sim.emitEvent('ACCOUNT_GROUP.ACTIVATED', group(1)).event;
		suite.sim.emitEvent('ACCOUNT_GROUP.CLOSED', group(1));
		await deliveredOnce(2);
		expect(harness.executions.map((run) => run.items.map((item) => item.id))).toEqual([
			[activated.id],
		]);
	});

	test('events of a category not chosen are not even subscribed to', async () => {
		const harness = await activeTrigger({ categories: ['ROLE'] });
		suite.sim.emitEvent('ACCOUNT_GROUP.CREATED', group(1));
		const role = suite.sim.emitEvent('ROLE.CREATED', { id: 'r-1' }).event;
		const [delivery] = await deliveredOnce();
		expect(delivery.eventIds).toEqual([role.id]);
		expect(harness.executions.map((run) => run.items.map((item) => item.type))).toEqual([
			['ROLE.CREATED'],
		]);
	});

	test('a redelivery of events already passed on is answered 200 and starts nothing', async () => {
		const harness = await activeTrigger();
		suite.sim.emitEvent('ROLE.ACTIVATED', { id: 'r-1' });
		const [delivery] = await deliveredOnce();
		const redelivery = await suite.sim.inject({ webhookId: delivery.webhookId, kind: 'duplicate' });
		expect(redelivery.status).toBe(200);
		expect(JSON.parse(redelivery.body ?? '')).toEqual({ received: 1, passedOn: 0 });
		expect(harness.executions).toHaveLength(1);
		expect(Object.keys(harness.nodeStaticData.seenEvents as object)).toEqual(delivery.eventIds);
	});

	test('a redelivery before n8n saved the static data is dropped by the in-process memory', async () => {
		const harness = await activeTrigger();
		harness.saveStaticData = false;
		suite.sim.emitEvent('ROLE.ACTIVATED', { id: 'r-1' });
		const [delivery] = await deliveredOnce();
		const redelivery = await suite.sim.inject({ webhookId: delivery.webhookId, kind: 'duplicate' });
		expect(redelivery.status).toBe(200);
		expect(harness.nodeStaticData.seenEvents).toBeUndefined();
		expect(harness.executions).toHaveLength(1);
	});

	test('a rotated key: one refetch of the verify keys, once the refetch interval allows it', async () => {
		const harness = await activeTrigger();
		suite.sim.emitEvent('ROLE.CREATED', { id: 'r-1' });
		await deliveredOnce();
		suite.sim.rotateWebhookKey({ dropOld: true });

		// Within 30 s of the last fetch the new kid is refused without asking Upvest again.
		suite.sim.emitEvent('ROLE.ACTIVATED', { id: 'r-1' });
		const refused = await waitFor('a refused attempt', () => answered((d) => d.status === 401)[0]);
		expect(JSON.parse(refused.answer ?? '')).toMatchObject({ check: 'keyid' });
		expect(verifyKeyCalls()).toBe(1);

		// Later, Upvest's retry triggers one refetch and is accepted.
		const realNow = Date.now.bind(Date);
		jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 31_000);
		await deliveredOnce(2);
		expect(verifyKeyCalls()).toBe(2);
		expect(harness.executions.map((run) => run.items[0].type)).toEqual([
			'ROLE.CREATED',
			'ROLE.ACTIVATED',
		]);
	});
});

describe('refused deliveries: 401 naming the check, no execution', () => {
	test.each<[InjectionKind, string]>([
		['forged', 'signature'],
		['unknown-key', 'keyid'],
		['tampered', 'digest'],
		['stale', 'freshness'],
		['future', 'freshness'],
		['missing-headers', 'signature-input'],
		['unsigned-digest', 'coverage'],
		['replayed', 'replay'],
	])('%s', async (kind, check) => {
		const harness = await activeTrigger();
		suite.sim.emitEvent('ROLE.CREATED', { id: 'r-1' });
		const [delivery] = await deliveredOnce();
		const before = harness.executions.length;

		const result = await suite.sim.inject({ webhookId: delivery.webhookId, kind });
		expect(result.status).toBe(401);
		const body = JSON.parse(result.body ?? '') as Record<string, unknown>;
		expect(body).toEqual({
			error: 'Webhook signature verification failed',
			check,
			reason: expect.any(String),
		});
		expect(harness.executions).toHaveLength(before);
		expect(harness.answers.at(-1)?.result).toEqual({ noWebhookResponse: true });
		// Nothing secret or key-like goes back to the sender.
		const { keys } = suite.sim.webhookKeys();
		for (const secret of [
			...keys.flatMap((key) => [key.x, key.y]),
			...suite.secrets().accessTokens,
			suite.client.clientSecret,
		]) {
			expect(result.body).not.toContain(secret);
		}
	});

	test('when the verify keys cannot be fetched (scope removed), deliveries are refused', async () => {
		const credentials = triggerCredentials(suite);
		const harness = await TriggerHarness.start({
			credentials,
			parameters: { categories: ['ROLE'], eventTypes: [], options: {} },
		});
		harnesses.push(harness);
		await harness.activate();
		credentials.data = { ...credentials.data, scopes: 'roles:admin', accessToken: '' };
		suite.sim.emitEvent('ROLE.CREATED', { id: 'r-1' });
		const refused = await waitFor('a refused attempt', () => answered((d) => d.status === 401)[0]);
		expect(JSON.parse(refused.answer ?? '')).toMatchObject({ check: 'verify-keys' });
		const keyCalls = suite.sim.requests.filter((r) => r.path === '/auth/verify_keys');
		expect(keyCalls.map((call) => call.status)).toContain(403);
		expect(harness.executions).toEqual([]);
	});

	test('the queue behind a refused delivery is not touched: later events still arrive', async () => {
		const harness = await activeTrigger();
		suite.sim.emitEvent('ROLE.CREATED', { id: 'r-1' });
		const [delivery] = await deliveredOnce();
		await suite.sim.inject({ webhookId: delivery.webhookId, kind: 'forged' });
		suite.sim.emitEvent('ROLE.ACTIVATED', { id: 'r-1' });
		await deliveredOnce(2);
		expect(harness.executions).toHaveLength(2);
	});

	test('with "Skip Signature Verification (Unsafe)" a forged delivery starts the workflow', async () => {
		const harness = await activeTrigger({
			categories: ['ALL'],
			options: { skipSignatureVerification: true },
		});
		const result = await suite.sim.inject({
			webhookId: harness.nodeStaticData.webhookId as string,
			kind: 'forged',
			type: 'USER.CREATED',
			object: { id: 'u-1' },
		});
		expect(result.status).toBe(200);
		expect(harness.executions.map((run) => run.items[0].type)).toEqual(['USER.CREATED']);
		expect(verifyKeyCalls()).toBe(0);
	});
});

describe('"Listen for test event"', () => {
	test('deliveries to the test URL verify against it and run in manual mode', async () => {
		suite.sim.setConfig({ webhookBatchDelayMs: 30 });
		const harness = await TriggerHarness.start({
			credentials: triggerCredentials(suite),
			parameters: { categories: ['ACCOUNT_GROUP'], eventTypes: [], options: {} },
		});
		harnesses.push(harness);
		await harness.listenForTestEvent();
		const [subscription] = suite.sim.state.webhooks;
		expect(subscription.url).toBe(harness.testWebhookUrl);

		const event = suite.sim.emitEvent('ACCOUNT_GROUP.CREATED', group(1)).event;
		await deliveredOnce();
		expect(harness.executions).toEqual([
			{ mode: 'manual', items: [expect.objectContaining({ id: event.id })] },
		]);

		// Upvest's own test call (POST /webhooks/{id}/test) reaches the listening workflow too.
		const api = makeClient(suite.sim.url, {
			...testClient,
			clientId: suite.client.clientId,
			clientSecret: suite.client.clientSecret,
			ecdsa: { ...testClient.ecdsa, keyId: suite.client.ecdsaKeyId },
		});
		const token = (await api.token('webhooks:admin')) as string;
		const test = await api.call('POST', `/webhooks/${subscription.id}/test`, token);
		expect(test.status).toBe(202);
		await deliveredOnce(2);
		expect(harness.executions.map((run) => run.items[0].type)).toEqual([
			'ACCOUNT_GROUP.CREATED',
			'WEBHOOK.TEST',
		]);
		await harness.stopListening();
		expect(suite.sim.state.webhooks).toEqual([]);
	});
});
