/**
 * End-to-end: the Upvest Trigger in a real n8n (2.8.4, or UPVEST_N8N_VERSION) run with
 * `n8n start`, against the simulator's signed webhooks. Activation registers one subscription for
 * n8n's production webhook URL; account groups created by the Upvest node (`n8n execute` beside
 * the server) start one execution per delivery, its items the delivered events; forged and
 * repeated deliveries start nothing; deactivating, activating again and restarting n8n leave one
 * subscription; and the example workflow examples/when-activated-add-guardian.workflow.json finds
 * the parent of a child whose account group Upvest activated (User → Get, Get Many and a filter)
 * and makes them its guardian, once, also beside examples/onboard-a-family.workflow.json.
 */
import exampleJson from '../../examples/when-activated-add-guardian.workflow.json';
import onboardJson from '../../examples/onboard-a-family.workflow.json';
import {
	TRIGGER_NAME,
	createGroupsWorkflow,
	triggerWorkflow,
} from '../../scripts/trigger-workflows';
import { upvestNode } from '../../scripts/workflows';
import { createUser } from '../support/onboarding-builders';
import {
	assertRun,
	startTriggerE2e,
	waitFor,
	type CredentialRef,
	type TriggerE2e,
	type Execution,
} from '../support/trigger-e2e';
import { INSTALL_TIMEOUT, RUNS_ON } from '../support/e2e';

type Json = Record<string, unknown>;

const TEST_TIMEOUT = 240_000;

interface WorkflowJson {
	id: string;
	name: string;
	nodes: Array<{
		name: string;
		parameters: Json;
		webhookId?: string;
	}>;
	connections: Record<string, unknown>;
}
const example: WorkflowJson = exampleJson;
const onboardExample: WorkflowJson = onboardJson;

const EVENTS = {
	id: 'UpvestTrgEvents01',
	name: 'E2E trigger: account group events',
	webhookId: '3c9e2f71-8a4b-4d6c-9e1f-5a7b3c2d1e01',
};
const CREATE_ID = 'UpvestTrgCreate01';
const OWNERS = [
	'0b6d3e2a-1c4f-4a5b-8d7e-9f0a1b2c3d01',
	'0b6d3e2a-1c4f-4a5b-8d7e-9f0a1b2c3d02',
	'0b6d3e2a-1c4f-4a5b-8d7e-9f0a1b2c3d03',
];
const CHOSEN_TYPES = ['ACCOUNT_GROUP.CREATED', 'ACCOUNT_GROUP.ACTIVATED'];
const REFUSED_KINDS = [
	['forged', 'signature'],
	['tampered', 'digest'],
	['stale', 'freshness'],
	['replayed', 'replay'],
	['unknown-key', 'keyid'],
	['missing-headers', 'signature-input'],
] as const;

const FAMILY_ID = 'UpvestTrgFamily01';
const EXAMPLE_TRIGGER = 'When an account group is activated';
/** The family's address in "Upvest: onboard a family". */
const FAMILY_ADDRESS = {
	street: 'Musterstraße 1',
	postcode: '10115',
	city: 'Berlin',
	country: 'DE',
};

/** An adult the guardian lookup must pass by: another address, or another last name. */
function neighbour(name: string, lastName: string, street: string, credential: CredentialRef) {
	const { postcode, city, country } = FAMILY_ADDRESS;
	return upvestNode(
		name,
		[1100, 200],
		createUser('byol', {
			firstName: 'Max',
			lastName,
			birthDate: '1979-02-03',
			nationalities: 'DE',
			address: { details: { addressLine1: street, postcode, city, country } },
		}),
		credential,
	);
}

/**
 * "Upvest: onboard a family" without its last step (the guardian), followed by two adults who are
 * not the child's parent: a namesake at another address and a neighbour at the same address.
 */
function familyWithoutGuardian(credential: CredentialRef) {
	const nodes = onboardExample.nodes.filter((node) => node.name !== 'Add guardian');
	const namesake = neighbour('Create a namesake', 'Mustermann', 'Beispielweg 7', credential);
	const flatmate = neighbour('Create a flatmate', 'Nachbar', FAMILY_ADDRESS.street, credential);
	const next = (node: string) => ({ main: [[{ node, type: 'main', index: 0 }]] });
	const connections: Record<string, unknown> = {
		...onboardExample.connections,
		'Create child account group': next(namesake.name),
		[namesake.name]: next(flatmate.name),
	};
	return {
		...onboardExample,
		id: FAMILY_ID,
		name: 'E2E trigger: a family without guardian, and two other adults',
		nodes: [...nodes, namesake, flatmate],
		connections,
	};
}

const forgedGroup = { id: 'forged-group', type: 'PERSONAL', status: 'ACTIVE', users: [] };

let e2e: TriggerE2e;

beforeAll(async () => {
	e2e = await startTriggerE2e({
		name: 'trigger',
		workflows: (credential) => {
			const { trigger, creator } = credential;
			return [
				example,
				onboardExample,
				familyWithoutGuardian(trigger),
				triggerWorkflow({
					...EVENTS,
					credential: trigger,
					categories: ['ACCOUNT_GROUP'],
					eventTypes: CHOSEN_TYPES,
				}),
				createGroupsWorkflow(
					CREATE_ID,
					'E2E trigger: create account groups',
					OWNERS.map((userId) => ({ userId, type: 'PERSONAL' })),
					creator,
				),
			];
		},
		triggerWorkflows: [EVENTS.id, example.id],
	});
}, INSTALL_TIMEOUT);

afterAll(async () => await e2e?.close(), 60_000);

/** A test whose failure keeps the n8n log and the deliveries under `artifact`. */
function triggerTest(title: string, artifact: string, body: () => Promise<void>) {
	test(title, async () => await e2e.step(artifact, body), TEST_TIMEOUT);
}

const itemsOf = (execution: Execution) => e2e.items(execution, TRIGGER_NAME);
const subscriptionIds = () => e2e.sim.state.webhooks.map((subscription) => subscription.id);
const calls = (method: string, path: string) =>
	e2e.sim.requests.filter((request) => request.method === method && request.path === path);

describe(`${RUNS_ON}: the Upvest Trigger`, () => {
	triggerTest(
		"activating registers exactly one subscription, for n8n's production webhook URL",
		'activate',
		async () => {
			await e2e.fresh(EVENTS.id);
			expect(e2e.sim.state.webhooks).toEqual([
				expect.objectContaining({
					title: 'n8n E2E trigger account group ev', // the name, cut to Upvest's title rule
					url: e2e.webhookUrl(EVENTS.webhookId),
					type: ['ACCOUNT_GROUP'],
					enabled: true,
				}),
			]);
			expect(calls('POST', '/webhooks').map((call) => call.status)).toEqual([201]);
			// Every call was signed correctly (a token from before fresh()'s reset is refused
			// before the signature is checked, and replaced).
			const checked = e2e.sim.requests.filter((request) => request.signature !== null);
			expect(checked.every((request) => request.signature.valid)).toBe(true);
			expect((await e2e.rest.getWorkflow(EVENTS.id)).active).toBe(true);
		},
	);

	triggerTest(
		'account groups created by the Upvest node start one execution per delivery, its items the events',
		'events',
		async () => {
			await e2e.fresh(EVENTS.id);
			assertRun(await e2e.n8n.execute(CREATE_ID, { timeoutMs: 120_000 }), CREATE_ID);
			const groups = e2e.sim.state.accountGroups;
			expect(groups).toHaveLength(OWNERS.length);
			const expected = groups.length * CHOSEN_TYPES.length;
			const { deliveries, executions } = await e2e.settle(EVENTS.id, expected);

			// One execution per verified delivery, holding that delivery's events in its order.
			expect(executions.map((execution) => [execution.mode, execution.status])).toEqual(
				deliveries.map(() => ['webhook', 'success']),
			);
			const delivered = deliveries.map((delivery) => JSON.parse(delivery.body).payload);
			const received = executions.map(itemsOf);
			expect(sortByFirstId(received)).toEqual(sortByFirstId(delivered));
			for (const items of received) {
				const times = items.map((item) => String(item.created_at));
				expect([...times].sort()).toEqual(times);
			}

			// Each event exactly once: N created, N activated, each the event as Upvest sent it.
			const events = received.flat();
			const webhookId = subscriptionIds()[0];
			expect(new Set(events.map((event) => event.id)).size).toBe(expected);
			for (const type of CHOSEN_TYPES) {
				const ofType = events.filter((event) => event.type === type);
				expect(ofType.map((event) => (event.object as { id: string }).id).sort()).toEqual(
					groups.map((group) => group.id).sort(),
				);
			}
			for (const event of events) {
				expect(Object.keys(event).sort()).toEqual([
					'created_at',
					'id',
					'object',
					'type',
					'webhook_id',
				]);
				expect(event.webhook_id).toBe(webhookId);
			}

			// Nothing more arrives: the next event is the only further execution.
			const marker = await e2e.barrier(EVENTS.id, TRIGGER_NAME);
			const after = await e2e.executions(EVENTS.id);
			expect(after.map((execution) => execution.id)).toEqual([
				...executions.map((execution) => execution.id),
				marker.id,
			]);
		},
	);

	triggerTest(
		'forged, tampered, stale, replayed, unknown-key and unsigned deliveries get 401, a redelivery 200, and none starts the workflow',
		'refused',
		async () => {
			await e2e.fresh(EVENTS.id);
			e2e.sim.emitEvent('ACCOUNT_GROUP.CREATED', {
				id: 'first-group',
				status: 'PENDING_APPROVAL',
			});
			const { executions: first } = await e2e.settle(EVENTS.id, 1);
			const [webhookId] = subscriptionIds();

			const answers: Record<string, unknown> = {};
			for (const [kind] of REFUSED_KINDS) {
				// Events the workflow would take, so only verification stands in the way.
				const result = await e2e.sim.inject({
					webhookId,
					kind,
					type: CHOSEN_TYPES[0],
					object: forgedGroup,
				});
				answers[kind] = [result.status, JSON.parse(result.body ?? '{}').check];
			}
			expect(answers).toEqual(
				Object.fromEntries(REFUSED_KINDS.map(([kind, check]) => [kind, [401, check]])),
			);
			const duplicate = await e2e.sim.inject({ webhookId, kind: 'duplicate' });
			expect([duplicate.status, JSON.parse(duplicate.body ?? '{}')]).toEqual([
				200,
				{ received: 1, passedOn: 0 },
			]);
			// n8n's log names each refusal's check.
			for (const [, check] of REFUSED_KINDS) {
				expect(e2e.n8n.logs()).toContain(`Upvest Trigger refused a delivery (${check})`);
			}

			const marker = await e2e.barrier(EVENTS.id, TRIGGER_NAME);
			const after = await e2e.executions(EVENTS.id);
			expect(after.map((execution) => execution.id)).toEqual([first[0].id, marker.id]);
		},
	);

	triggerTest(
		'deactivating removes the subscription; activating again and restarting n8n leave exactly one',
		'lifecycle',
		async () => {
			await e2e.fresh(EVENTS.id);
			const [first] = subscriptionIds();
			expect(subscriptionIds()).toEqual([first]);

			await e2e.rest.deactivate(EVENTS.id);
			expect(e2e.sim.state.webhooks).toEqual([]);
			expect(calls('DELETE', `/webhooks/${first}`).map((call) => call.status)).toEqual([204]);

			await e2e.rest.activate(EVENTS.id);
			const [registered] = subscriptionIds();
			expect(subscriptionIds()).toEqual([registered]);
			// Activating the active workflow again (2.8.4 deletes and registers it anew): still one.
			await e2e.rest.activate(EVENTS.id);
			expect(subscriptionIds()).toHaveLength(1);
			const [beforeRestart] = subscriptionIds();

			const postsBefore = calls('POST', '/webhooks').length;
			await e2e.restart();
			// Started again (active workflows activated); an event still starts the workflow.
			const marker = await e2e.barrier(EVENTS.id, TRIGGER_NAME);
			expect(marker.status).toBe('success');
			expect(subscriptionIds()).toEqual([beforeRestart]);
			expect(calls('POST', '/webhooks')).toHaveLength(postsBefore);
			expect(calls('DELETE', `/webhooks/${beforeRestart}`)).toEqual([]);
			expect(e2e.sim.state.webhooks[0]).toMatchObject({
				url: e2e.webhookUrl(EVENTS.webhookId),
				enabled: true,
			});
		},
	);
});

describe(`${RUNS_ON}: the example "when an account group is activated, add its guardian"`, () => {
	const webhookId = String(example.nodes.find((node) => node.name === EXAMPLE_TRIGGER)?.webhookId);
	/** The user created with this first name (the family's and the other adults'). */
	const userNamed = (firstName: string) => {
		const user = e2e.sim.state.users.find((candidate) => candidate.first_name === firstName);
		if (user === undefined) throw new Error(`no user ${firstName} was created`);
		return user;
	};
	const rolePosts = () => calls('POST', '/roles').map((call) => [call.status, call.replayed]);

	/** Upvest onboards the child (as if its KYC check passed): its CHILD account group turns ACTIVE. */
	const onboardChild = () => e2e.sim.setStatus({ userId: userNamed('Lena').id, status: 'ACTIVE' });

	triggerTest(
		'a CHILD account group gets its guardian once Upvest activates it: the parent, not a namesake or a neighbour; other groups pass by',
		'example',
		async () => {
			await e2e.fresh(example.id);
			expect(e2e.sim.state.webhooks).toEqual([
				expect.objectContaining({ url: e2e.webhookUrl(webhookId), type: ['ACCOUNT_GROUP'] }),
			]);
			assertRun(await e2e.n8n.execute(FAMILY_ID, { timeoutMs: 120_000 }), FAMILY_ID);
			expect(e2e.sim.state.users.map((user) => [user.first_name, user.last_name]).sort()).toEqual([
				['Erika', 'Mustermann'],
				['Lena', 'Mustermann'],
				['Max', 'Mustermann'],
				['Max', 'Nachbar'],
			]);
			const [childGroup] = e2e.sim.state.accountGroups;
			expect(childGroup).toMatchObject({ type: 'CHILD', status: 'PENDING_APPROVAL' });
			// Another group activated meanwhile: the workflow passes it by.
			e2e.sim.emitEvent('ACCOUNT_GROUP.ACTIVATED', {
				id: 'personal-group',
				type: 'PERSONAL',
				status: 'ACTIVE',
				users: [{ id: userNamed('Max').id, type: 'OWNER' }],
			});
			onboardChild();

			const role = await waitFor('the guardian role', () => e2e.sim.state.roles[0]);
			expect(e2e.sim.state.roles).toEqual([
				expect.objectContaining({
					user_id: userNamed('Erika').id,
					entity_type: 'ACCOUNT_GROUP',
					entity_id: childGroup.id,
					role_type: 'GUARDIAN',
					custody_type: 'SOLE_CUSTODY',
				}),
			]);
			// The child's group was looked up once; the personal group stopped at the first filter.
			await waitFor(
				'the creation and both activations delivered',
				() => new Set(e2e.delivered().flatMap((delivery) => delivery.eventIds)).size >= 3,
			);
			expect(calls('GET', `/users/${userNamed('Lena').id}`)).toHaveLength(1);
			expect(calls('GET', '/users')).toHaveLength(1);
			expect(rolePosts()).toEqual([[200, false]]);
			expect(role.status).toBe('PENDING'); // the parent is not onboarded yet
			// Successful executions carry personal data and are not kept (the example's settings).
			await waitFor(
				'the executions to be removed',
				async () => (await e2e.executions(example.id)).length === 0,
			);
		},
	);

	triggerTest(
		'beside "Upvest: onboard a family" it adds no second guardian (the same idempotency key)',
		'example-with-onboard',
		async () => {
			await e2e.fresh(example.id);
			assertRun(await e2e.n8n.execute(onboardExample.id, { timeoutMs: 120_000 }), 'onboard');
			const [group] = e2e.sim.state.accountGroups;
			expect(group).toMatchObject({ type: 'CHILD', user_id: userNamed('Lena').id });
			expect(e2e.sim.state.roles).toEqual([
				expect.objectContaining({ user_id: userNamed('Erika').id, entity_id: group.id }),
			]);
			onboardChild();

			// The trigger's request for the same guardian is answered from Upvest's idempotency store.
			await waitFor('the second request for the guardian', () => rolePosts().length === 2);
			expect(rolePosts()).toEqual([
				[200, false],
				[200, true],
			]);
			expect(e2e.sim.state.roles).toHaveLength(1);
		},
	);
});

function sortByFirstId(batches: Array<Array<{ id?: unknown }>>) {
	return [...batches].sort((a, b) => String(a[0]?.id).localeCompare(String(b[0]?.id)));
}
