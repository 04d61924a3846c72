/**
 * The Upvest Trigger's webhook registration through n8n-core's real HookContext, against the
 * local simulator's /webhooks: create, reuse, update, clean up, delete, test URL, scopes, URLs.
 */
import type { IDataObject } from 'n8n-workflow';

import { usePooledSimulator } from '../../support/simulator';
import { TriggerHarness, triggerCredentials } from '../../support/trigger-harness';

const PARAMETERS = { categories: ['ACCOUNT_GROUP', 'ROLE'], eventTypes: [], options: {} };

const suite = usePooledSimulator(24);
const harnesses: TriggerHarness[] = [];
afterEach(async () => {
	await Promise.all(harnesses.splice(0).map(async (harness) => await harness.close()));
});

const credentials = (scopes?: string, overrides?: IDataObject) =>
	triggerCredentials(suite, scopes, overrides);

async function trigger(options: { scopes?: string; name?: string; publicBaseUrl?: string } = {}) {
	const harness = await TriggerHarness.start({
		credentials: credentials(options.scopes),
		parameters: PARAMETERS,
		workflowName: options.name,
		publicBaseUrl: options.publicBaseUrl,
	});
	harnesses.push(harness);
	return harness;
}

const calls = (method: string, path: string) =>
	suite.sim.requests.filter((request) => request.method === method && request.path === path).length;

const subscriptionsAt = (url: string) => suite.sim.state.webhooks.filter((sub) => sub.url === url);

describe('activation', () => {
	test('creates one subscription for the production URL, titled after the workflow', async () => {
		const harness = await trigger({ name: 'Onboarding follow-up' });
		await harness.activate();
		expect(suite.sim.state.webhooks).toEqual([
			expect.objectContaining({
				title: 'n8n Onboarding follow-up',
				url: harness.webhookUrl,
				type: ['ACCOUNT_GROUP', 'ROLE'],
				enabled: true,
			}),
		]);
		expect(harness.nodeStaticData).toEqual({
			webhookId: suite.sim.state.webhooks[0].id,
			webhookUrl: harness.webhookUrl,
		});
		// Every call was signed and authorised: the simulator verified each one.
		expect(suite.sim.requests.every((request) => request.status < 300)).toBe(true);
	});

	test('a title is cut to the 32 characters of letters, digits, spaces and ()[]{}.- Upvest accepts', async () => {
		const harness = await trigger({ name: `Kunden: Über_${'x'.repeat(150)}` });
		await harness.activate();
		expect(suite.sim.state.webhooks[0].title).toBe(`n8n Kunden ber ${'x'.repeat(17)}`);
	});

	test('activating again, restarting n8n or losing static data reuses the subscription', async () => {
		const harness = await trigger();
		await harness.activate();
		const id = suite.sim.state.webhooks[0].id;
		await harness.activate('activate');
		await harness.activate('init');
		harness.storedStaticData = {};
		await harness.activate('init');
		expect(suite.sim.state.webhooks.map((sub) => sub.id)).toEqual([id]);
		expect(calls('POST', '/webhooks')).toBe(1);
		expect(harness.nodeStaticData.webhookId).toBe(id);
	});

	test('changed categories update the same subscription instead of adding one', async () => {
		const harness = await trigger();
		await harness.activate();
		harness.setParameters({ ...PARAMETERS, categories: ['ALL', 'USER'] });
		await harness.activate('update');
		expect(suite.sim.state.webhooks).toEqual([expect.objectContaining({ type: ['ALL'] })]);
		expect(calls('PATCH', `/webhooks/${suite.sim.state.webhooks[0].id}`)).toBe(1);
		await harness.activate('update');
		expect(calls('PATCH', `/webhooks/${suite.sim.state.webhooks[0].id}`)).toBe(1);
	});

	test('extra subscriptions for the same URL are removed, the stored one is kept', async () => {
		const harness = await trigger();
		const workflow = harness.workflow();
		await harness.runHook('create', workflow, 'webhook', 'activate');
		await harness.runHook('create', workflow, 'webhook', 'activate');
		await harness.runHook('create', workflow, 'webhook', 'activate');
		expect(subscriptionsAt(harness.webhookUrl)).toHaveLength(3);
		const stored = suite.sim.state.webhooks[1].id;
		harness.storedStaticData = { 'node:Upvest Trigger': { webhookId: stored } };
		await harness.activate();
		expect(suite.sim.state.webhooks.map((sub) => sub.id)).toEqual([stored]);
	});

	test('finds its subscription on a later page of GET /webhooks, leaving the others alone', async () => {
		suite.sim.setConfig({ maxPageSize: 1 });
		const others = [await trigger(), await trigger(), await trigger()];
		const harness = await trigger();
		await harness.activate();
		for (const other of others) await other.activate();
		const before = suite.sim.state.webhooks.map((sub) => sub.id);
		harness.storedStaticData = {};
		await harness.activate('init');
		expect(suite.sim.state.webhooks.map((sub) => sub.id)).toEqual(before);
		expect(harness.nodeStaticData.webhookId).toBe(before[0]);
		// Four subscriptions, one per page: the node paged through all of them.
		const pages = suite.sim.requests.filter((r) => r.method === 'GET' && r.path === '/webhooks');
		expect(pages.length).toBeGreaterThanOrEqual(4);
	});

	test('a disabled subscription is enabled again when reused', async () => {
		const harness = await trigger();
		await harness.activate();
		suite.sim.state.webhooks[0].enabled = false;
		await harness.activate('init');
		expect(suite.sim.state.webhooks).toEqual([expect.objectContaining({ enabled: true })]);
	});
});

describe('deactivation', () => {
	test('deletes the subscription and forgets it', async () => {
		const harness = await trigger();
		await harness.activate();
		expect(await harness.deactivate()).toBe(true);
		expect(suite.sim.state.webhooks).toEqual([]);
		expect(harness.nodeStaticData).toEqual({});
	});

	test('a subscription already gone (404) counts as deleted', async () => {
		const harness = await trigger();
		await harness.activate();
		const stored = harness.storedStaticData;
		const id = harness.nodeStaticData.webhookId;
		await harness.deactivate();
		harness.storedStaticData = stored;
		expect(await harness.deactivate()).toBe(true);
		const deletes = suite.sim.requests.filter((r) => r.path === `/webhooks/${id}`);
		expect(deletes.map((request) => request.status)).toEqual([204, 404]);
		expect(harness.nodeStaticData).toEqual({});
	});

	test('without a stored id, the subscriptions for its URL are found and deleted', async () => {
		const other = await trigger();
		await other.activate();
		const harness = await trigger();
		await harness.activate();
		harness.storedStaticData = {};
		expect(await harness.deactivate()).toBe(true);
		expect(suite.sim.state.webhooks.map((sub) => sub.url)).toEqual([other.webhookUrl]);
	});

	test('deactivate, then activate: still exactly one subscription', async () => {
		const harness = await trigger();
		await harness.activate();
		await harness.deactivate();
		await harness.activate();
		expect(subscriptionsAt(harness.webhookUrl)).toHaveLength(1);
	});
});

describe('"Listen for test event"', () => {
	test('registers the test URL beside the production one, and removes only it', async () => {
		const harness = await trigger();
		await harness.activate();
		await harness.listenForTestEvent();
		expect(suite.sim.state.webhooks.map((sub) => sub.url).sort()).toEqual(
			[harness.webhookUrl, harness.testWebhookUrl].sort(),
		);
		expect(await harness.stopListening()).toBe(true);
		expect(suite.sim.state.webhooks.map((sub) => sub.url)).toEqual([harness.webhookUrl]);
		expect(harness.nodeStaticData.webhookUrl).toBe(harness.webhookUrl);
	});
});

describe('what activation refuses, and how it says so', () => {
	test('without webhooks:admin, the error names the scope to add', async () => {
		const harness = await trigger({ scopes: 'accounts:admin roles:admin' });
		const error = await harness.activate().then(
			() => undefined,
			(thrown: Error & { description?: string; httpCode?: string }) => thrown,
		);
		expect(error?.httpCode).toBe('403');
		expect(error?.description).toContain('webhooks:admin');
		expect(error?.description).toContain('Scopes');
		expect(suite.sim.state.webhooks).toEqual([]);
	});

	test('Sandbox with an http://127.0.0.1 webhook URL: no call, an error saying how to fix it', async () => {
		const harness = await TriggerHarness.start({
			credentials: credentials('webhooks:admin', { environment: 'sandbox' }),
			parameters: PARAMETERS,
		});
		harnesses.push(harness);
		const before = suite.sim.requests.length;
		await expect(harness.activate()).rejects.toThrow(/WEBHOOK_URL.*restart n8n/);
		await expect(harness.activate()).rejects.toThrow(harness.webhookUrl);
		expect(suite.sim.requests.length).toBe(before);
	});

	test('an empty category list is refused before any call', async () => {
		const harness = await trigger();
		harness.setParameters({ ...PARAMETERS, categories: [] });
		await expect(harness.activate()).rejects.toThrow('Choose at least one category');
		expect(suite.sim.requests).toEqual([]);
	});

	test('with the Custom environment a simulator that insists on https answers 400', async () => {
		suite.sim.setConfig({ strictWebhookUrls: true });
		const harness = await trigger();
		await expect(harness.activate()).rejects.toMatchObject({ httpCode: '400' });
		expect(suite.sim.state.webhooks).toEqual([]);
	});
});
