'use strict';

/**
 * Which subscription gets which event: categories, `exclude_type` (only with ALL), the
 * BUSINESS_CHECK events that travel as BUSINESS, config.delay holding a batch back, and the
 * events of a business onboarding delivered.
 */

const crypto = require('node:crypto');
const { startReceiver } = require('./receiver');
const F = require('./onboarding-fixtures');

const uuid = () => crypto.randomUUID();

const { suite, api } = F.useOnboarding({ webhookBatchDelayMs: 5 });

let receiver;
beforeEach(async () => {
	receiver = await startReceiver();
});
afterEach(async () => {
	suite.sim.reset();
	await receiver.close();
});

async function subscribe(type, fields = {}) {
	const res = await api.submit('/webhooks', {
		title: 'categories test',
		url: `${receiver.url}/h`,
		type,
		...fields,
	});
	expect(res.status).toBe(201);
	return res.json.id;
}
/** Event types per subscription id, from the simulator's event log. */
const routed = () => {
	const by = {};
	for (const event of suite.sim.state.events)
		for (const id of event.webhook_ids) (by[id] ??= []).push(event.type);
	return by;
};

test('exclude_type leaves categories out of an ALL subscription; without ALL it is ignored', async () => {
	const all = await subscribe(['ALL'], { exclude_type: ['USER_CHECK', 'ROLE'] });
	const allAndRole = await subscribe(['ALL', 'ROLE'], { exclude_type: ['ROLE'] });
	const users = await subscribe(['USER', 'USER_CHECK'], { exclude_type: ['USER_CHECK'] });
	const user = await api.user();
	await api.check(user.id);
	await api.role({
		user_id: uuid(),
		entity_type: 'BUSINESS',
		entity_id: uuid(),
		role_type: 'TRADER',
	});
	expect(routed()).toEqual({
		[all]: ['USER.CREATED'],
		[allAndRole]: ['USER.CREATED', 'USER_CHECK.CREATED'],
		[users]: ['USER.CREATED', 'USER_CHECK.CREATED'],
	});
	// a PATCH changes what is excluded from then on
	expect((await api.patch(`/webhooks/${all}`, { exclude_type: ['USER'] })).status).toBe(200);
	await api.check(user.id);
	await api.user();
	expect(routed()[all]).toEqual(['USER.CREATED', 'USER_CHECK.CREATED']);
	await receiver.waitFor(1);
	const delivered = receiver.received.flatMap((r) => JSON.parse(r.body).payload);
	expect(
		delivered.filter((e) => e.webhook_id === all).every((e) => !e.type.startsWith('ROLE.')),
	).toBe(true);
});

test('BUSINESS_CHECK events go to BUSINESS and ALL subscriptions; excluding BUSINESS drops them', async () => {
	const business = await subscribe(['BUSINESS']);
	const all = await subscribe(['ALL']);
	const noBusiness = await subscribe(['ALL'], { exclude_type: ['BUSINESS'] });
	const checksOnly = await subscribe(['USER_CHECK']);
	const made = await api.business();
	suite.sim.setStatus({ checkId: await api.kyb(made.id), status: 'PASSED' });
	const expected = ['BUSINESS.CREATED', 'BUSINESS_CHECK.CREATED', 'BUSINESS_CHECK.PASSED'];
	expect(routed()).toEqual({ [business]: expected, [all]: expected });
	expect(routed()[noBusiness]).toBeUndefined();
	expect(routed()[checksOnly]).toBeUndefined();
	await receiver.waitFor(2);
});

test('config.delay holds a batch back that long (1s here)', async () => {
	await subscribe(['USER'], { config: { delay: '1s' } });
	const started = Date.now();
	await api.user();
	await api.user();
	const [request] = await receiver.waitFor(1, 5000);
	expect(request.at - started).toBeGreaterThanOrEqual(950);
	expect(JSON.parse(request.body).payload.map((e) => e.type)).toEqual([
		'USER.CREATED',
		'USER.CREATED',
	]);
});

test('a business onboarding: every transition is delivered to a subscription of its categories', async () => {
	const sub = await subscribe(['BUSINESS', 'ROLE', 'ACCOUNT_GROUP', 'ACCOUNT']);
	const business = await api.business();
	const group = await api.group({ business_id: business.id, type: 'BUSINESS' });
	await api.account({ business_id: business.id, account_group_id: group.id, type: 'TRADING' });
	for (const role_type of [
		'ULTIMATE_BENEFICIAL_OWNER',
		'LEGAL_REPRESENTATIVE',
		'CONTRACTING_EXECUTIVE',
	]) {
		const role = await api.role({
			user_id: uuid(),
			entity_type: 'BUSINESS',
			entity_id: business.id,
			role_type,
		});
		suite.sim.setStatus({ roleId: role.id, status: 'ACTIVE' });
	}
	suite.sim.setStatus({ checkId: await api.kyb(business.id), status: 'PASSED' });
	const expected = [
		'BUSINESS.CREATED',
		'ACCOUNT_GROUP.CREATED',
		'ACCOUNT.CREATED',
		...Array(3).fill(['ROLE.CREATED', 'ROLE.ACTIVATED']).flat(),
		'BUSINESS_CHECK.CREATED',
		'BUSINESS_CHECK.PASSED',
		'BUSINESS.ACTIVATED',
		'ACCOUNT_GROUP.ACTIVATED',
		'ACCOUNT.ACTIVATED',
	];
	expect(routed()[sub]).toEqual(expected);
	const delivered = () => receiver.received.flatMap((r) => JSON.parse(r.body).payload);
	await F.waitFor(() => delivered().length === expected.length);
	expect(delivered().map((event) => event.type)).toEqual(expected);
	expect(delivered().at(-3).object).toMatchObject({ id: business.id, status: 'ACTIVE' });
});
