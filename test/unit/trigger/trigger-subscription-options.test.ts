/**
 * The subscription options of the Upvest Trigger (Delivery Delay, Max Delivery Size, Exclude
 * Categories) through n8n-core's real HookContext against the simulator: what is registered,
 * what is refused before anything is sent, how a re-activation brings an existing subscription in
 * step, and why a lost answer never leaves two subscriptions although POST /webhooks takes no
 * idempotency key.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { usePooledSimulator } from '../../support/simulator';
import { TriggerHarness, triggerCredentials } from '../../support/trigger-harness';

const suite = usePooledSimulator(16);
const harnesses: TriggerHarness[] = [];
afterEach(async () => {
	await Promise.all(harnesses.splice(0).map(async (harness) => await harness.close()));
});

async function trigger(categories: string[], options: IDataObject) {
	const harness = await TriggerHarness.start({
		credentials: triggerCredentials(suite),
		parameters: { categories, eventTypes: [], options } as INodeParameters,
	});
	harnesses.push(harness);
	return harness;
}

const webhookCalls = (method: string) =>
	suite.sim.requests.filter(
		(request) => request.method === method && request.path.startsWith('/webhooks'),
	);

test('delay, size and excluded categories are registered as Upvest names them', async () => {
	const harness = await trigger(['ALL'], {
		deliveryDelaySeconds: 5,
		maxDeliveryBytes: 10240,
		excludeCategories: ['ORDER', 'POSITION'],
	});
	await harness.activate();
	expect(suite.sim.state.webhooks).toEqual([
		expect.objectContaining({
			type: ['ALL'],
			exclude_type: ['ORDER', 'POSITION'],
			config: expect.objectContaining({ delay: '5s', max_package_size: 10240 }),
		}),
	]);
	const [post] = webhookCalls('POST');
	expect(JSON.parse(post.body)).toEqual({
		title: 'n8n Upvest trigger test',
		url: harness.webhookUrl,
		type: ['ALL'],
		exclude_type: ['ORDER', 'POSITION'],
		config: { delay: '5s', max_package_size: 10240 },
	});
	// Upvest documents no idempotency key for POST /webhooks.
	expect(post.idempotencyKey).toBeUndefined();
});

test('without options only title, URL and categories are sent', async () => {
	const harness = await trigger(['USER_CHECK', 'USER'], {});
	await harness.activate();
	expect(JSON.parse(webhookCalls('POST')[0].body)).toEqual({
		title: 'n8n Upvest trigger test',
		url: harness.webhookUrl,
		type: ['USER_CHECK', 'USER'],
	});
});

test.each([
	[
		{ deliveryDelaySeconds: 0 },
		['ALL'],
		/Delivery Delay \(Seconds\) must be a whole number from 1 to 30/,
	],
	[
		{ deliveryDelaySeconds: 31 },
		['ALL'],
		/Delivery Delay \(Seconds\) must be a whole number from 1 to 30/,
	],
	[{ deliveryDelaySeconds: 2.5 }, ['ALL'], /Delivery Delay/],
	[
		{ maxDeliveryBytes: 99 },
		['ALL'],
		/Max Delivery Size \(Bytes\) must be a whole number from 100 to 1048576/,
	],
	[{ maxDeliveryBytes: 1048577 }, ['ALL'], /Max Delivery Size/],
	[
		{ excludeCategories: ['ORDER'] },
		['USER'],
		/Exclude Categories applies only to an All subscription/,
	],
	[
		{ excludeCategories: ['ALL'] },
		['ALL'],
		/Exclude Categories holds a value Upvest does not know/,
	],
])('%j with %j is refused before anything is registered', async (options, categories, message) => {
	const harness = await trigger(categories, options);
	await expect(harness.activate()).rejects.toThrow(message);
	expect(webhookCalls('POST')).toHaveLength(0);
	expect(suite.sim.state.webhooks).toHaveLength(0);
});

test('re-activation with changed options updates the subscription once; unchanged, nothing', async () => {
	const harness = await trigger(['ALL'], { deliveryDelaySeconds: 2 });
	await harness.activate();
	await harness.activate('init');
	expect(webhookCalls('PATCH')).toHaveLength(0);

	harness.setParameters({
		categories: ['ALL'],
		eventTypes: [],
		options: { deliveryDelaySeconds: 10, excludeCategories: ['REPORT'] },
	});
	await harness.activate('update');
	const patches = webhookCalls('PATCH');
	expect(patches.map((request) => JSON.parse(request.body) as IDataObject)).toEqual([
		{ exclude_type: ['REPORT'], config: expect.objectContaining({ delay: '10s' }) },
	]);
	expect(suite.sim.state.webhooks).toHaveLength(1);
	expect(suite.sim.state.webhooks[0]).toMatchObject({
		exclude_type: ['REPORT'],
		config: expect.objectContaining({ delay: '10s' }),
	});
});

test('the answer to POST /webhooks is lost: the resend finds the subscription, none is doubled', async () => {
	suite.sim.setFaults([{ path: '/webhooks', method: 'POST', kind: 'drop-after-create', count: 1 }]);
	const harness = await trigger(['USER_CHECK'], {});
	await harness.activate();
	expect(suite.sim.state.webhooks).toHaveLength(1);
	expect(webhookCalls('POST')).toHaveLength(1);
	expect(harness.nodeStaticData).toMatchObject({ webhookId: suite.sim.state.webhooks[0].id });
});
