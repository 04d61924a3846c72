/**
 * Reliability of the Upvest node under the simulator's fault injection, through n8n-core's real
 * WorkflowExecute: retries end in exactly one resource per item (same idempotency key and body on
 * every attempt, a fresh signature each time), Upvest being down ends in a clear NodeApiError or
 * error items with Continue On Fail, non-retryable answers are not retried, and re-runs with an
 * idempotency key expression create nothing twice. No secret appears in anything a run produced.
 *
 * Every test gets its own API client registered in the simulator (same fixture keys, fresh client
 * id, secret and key id): the node caches tokens per client for the whole process, and
 * `sim.reset()` revokes them.
 */
import { randomUUID } from 'node:crypto';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { CredentialStore, runUpvestNode, type RunResult } from '../support/n8n-harness';
import { expectNoSecrets } from '../support/secrets';
import {
	credentialData,
	testClient,
	usePooledSimulator,
	type SimulatorRecord,
} from '../support/simulator';

import { writeArtifact } from '../../scripts/artifacts';
import { verifyRequest } from '../../simulator/verify';

type Record_ = SimulatorRecord & { requestId: string; receivedAt: string };

const suite = usePooledSimulator(64);

/** Ed25519: the simulator verifies it in ~1 ms, so the fault runs are not bound by ECDSA. */
function newStore() {
	return suite.tokenLog.watch(
		new CredentialStore({
			...credentialData(suite.sim, 'ed25519'),
			clientId: suite.client.clientId,
			clientSecret: suite.client.clientSecret,
			keyId: suite.client.ed25519KeyId,
		}),
	);
}

function expectNoLeak(result: RunResult) {
	expect(suite.secrets().accessTokens.length).toBeGreaterThan(0);
	expectNoSecrets({ run: result.run, items: result.items, error: result.error }, suite.secrets());
}

const records = () => suite.sim.requests as Record_[];
const apiRecords = () => records().filter((record) => !record.tokenRequest);

function userId(index: number): string {
	return `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}
const customers = (count: number, offset = 0) =>
	Array.from({ length: count }, (_, index) => ({
		customerId: `cust-${String(offset + index).padStart(4, '0')}`,
		userId: userId(offset + index),
	}));

const groupsByUser = (options: INodeParameters = {}): INodeParameters => ({
	resource: 'accountGroup',
	operation: 'create',
	ownerType: 'user',
	userId: '={{ $json.userId }}',
	accountGroupType: 'PERSONAL',
	options,
});

async function run(
	parameters: INodeParameters,
	items: IDataObject[],
	options: { store?: CredentialStore; continueOnFail?: boolean } = {},
) {
	return await runUpvestNode({
		parameters,
		items,
		credentials: options.store ?? newStore(),
		continueOnFail: options.continueOnFail ?? false,
	});
}

function nonceOf(record: SimulatorRecord): string {
	const match = /;nonce="([^"]+)"/.exec(record.headers['signature-input'] ?? '');
	expect(match).not.toBeNull();
	return (match as RegExpExecArray)[1];
}

/** The simulator's independent verifier over what it received (also for faulted attempts it never verified). */
function independentlyValid(record: SimulatorRecord): { valid: boolean; error?: string } {
	return verifyRequest(
		{
			method: record.method,
			path: record.path,
			query: record.query,
			headers: record.headers,
			body: Buffer.from(record.body, 'utf8'),
		},
		{
			keys: { [suite.client.ed25519KeyId]: { publicKeys: [testClient.ed25519.publicKeyPem] } },
			clockSkewSeconds: 120,
			maxSignatureAgeSeconds: 300,
		},
	);
}

/**
 * Checks one batch after faults: per idempotency key the same body on every attempt, a fresh nonce
 * and a valid signature each time, exactly one creation (a 200 not replayed, or a create whose
 * answer was dropped) and exactly one 200; one resource per item in the simulator; output = state.
 */
function expectExactlyOncePerItem(result: RunResult, items: Array<{ userId: string }>) {
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(items.length);
	const api = apiRecords();
	const byKey = new Map<string, Record_[]>();
	for (const record of api) {
		expect(record.idempotencyKey).toBeDefined();
		const key = record.idempotencyKey as string;
		byKey.set(key, [...(byKey.get(key) ?? []), record]);
	}
	expect(byKey.size).toBe(items.length);
	const nonces = new Set<string>();
	for (const [key, attempts] of byKey) {
		expect(new Set(attempts.map((record) => record.body)).size).toBe(1);
		for (const record of attempts) {
			const nonce = nonceOf(record);
			expect(nonces.has(nonce)).toBe(false);
			nonces.add(nonce);
			const check = independentlyValid(record);
			expect({ key, seq: record.seq, valid: check.valid, error: check.error }).toEqual({
				key,
				seq: record.seq,
				valid: true,
				error: undefined,
			});
			if (record.signature !== null) expect(record.signature.valid).toBe(true);
		}
		const created = attempts.filter(
			(record) =>
				!record.replayed &&
				(record.status === 200 || record.fault?.includes('drop-after-create') === true),
		);
		expect({ key, created: created.length }).toEqual({ key, created: 1 });
		expect({ key, ok: attempts.filter((record) => record.status === 200).length }).toEqual({
			key,
			ok: 1,
		});
		expect(attempts[attempts.length - 1].status).toBe(200);
	}
	// One resource per item, none twice.
	const stored = suite.sim.state.accountGroups;
	expect(stored).toHaveLength(items.length);
	expect(new Set(stored.map((group) => group.user_id)).size).toBe(items.length);
	expect(new Set(stored.map((group) => group.user_id))).toEqual(
		new Set(items.map((item) => item.userId)),
	);
	// Every item succeeded, in input order, with the API's JSON of its one resource.
	result.items.forEach((item, index) => {
		expect(item.pairedItem).toEqual({ item: index });
		expect(item.json.error).toBeUndefined();
		expect(item.json.user_id).toBe(items[index].userId);
		const resource = stored.find((group) => group.id === item.json.id);
		expect(item.json).toEqual(JSON.parse(JSON.stringify(resource)));
	});
	return byKey;
}

function figures(label: string, byKey: Map<string, Record_[]>, startedAt: number) {
	const attempts = [...byKey.values()].map((list) => list.length);
	const faults: Record<string, number> = {};
	for (const record of apiRecords()) {
		for (const fault of record.fault?.split(',') ?? []) faults[fault] = (faults[fault] ?? 0) + 1;
	}
	const replays = apiRecords().filter((record) => record.replayed).length;
	return `${label}: ${byKey.size} items, ${suite.sim.state.accountGroups.length} resources, ${attempts.reduce((a, b) => a + b, 0)} attempts (max ${Math.max(...attempts)} per item), faults ${JSON.stringify(faults)}, replays ${replays}, token requests ${records().filter((r) => r.tokenRequest).length}, ${Date.now() - startedAt} ms`;
}

describe('retries end in exactly one resource per item', () => {
	const ITEMS = 40;
	const cases: Array<[string, object[], (byKey: Map<string, Record_[]>) => void]> = [
		[
			'429 with Retry-After',
			[
				{
					path: '/account_groups',
					kind: 'status',
					status: 429,
					retryAfter: 1,
					rate: 0.15,
					count: 3,
				},
			],
			(byKey) => {
				// Retry-After is honoured: the next attempt of that item comes at least a second later.
				for (const attempts of byKey.values()) {
					attempts.forEach((record, index) => {
						if (record.status !== 429 || index + 1 >= attempts.length) return;
						const gap = Date.parse(attempts[index + 1].receivedAt) - Date.parse(record.receivedAt);
						expect(gap).toBeGreaterThanOrEqual(950);
					});
				}
			},
		],
		[
			'429 without Retry-After',
			[{ path: '/account_groups', kind: 'status', status: 429, rate: 0.25, count: 12 }],
			() => {},
		],
		[
			'503',
			[{ path: '/account_groups', kind: 'status', status: 503, rate: 0.25, count: 12 }],
			() => {},
		],
		[
			'500',
			[{ path: '/account_groups', kind: 'status', status: 500, rate: 0.25, count: 12 }],
			() => {},
		],
		[
			'502',
			[{ path: '/account_groups', kind: 'status', status: 502, rate: 0.25, count: 12 }],
			() => {},
		],
		[
			'504',
			[{ path: '/account_groups', kind: 'status', status: 504, rate: 0.25, count: 12 }],
			() => {},
		],
		[
			'drop-after-create (created, answer lost)',
			[{ path: '/account_groups', kind: 'drop-after-create', rate: 0.25, count: 12 }],
			() => {
				// The lost answers came back as idempotent replays of the first creation.
				expect(apiRecords().filter((record) => record.replayed).length).toBeGreaterThan(0);
			},
		],
		[
			'drop-before (connection broken before processing)',
			[{ path: '/account_groups', kind: 'drop-before', rate: 0.25, count: 12 }],
			() => {},
		],
		[
			'mix: 10% 429 (half with Retry-After), 10% 503, 10% drop-after-create',
			[
				{
					path: '/account_groups',
					kind: 'status',
					status: 429,
					retryAfter: 1,
					rate: 0.05,
					count: 3,
				},
				{ path: '/account_groups', kind: 'status', status: 429, rate: 0.05, count: 6 },
				{ path: '/account_groups', kind: 'status', status: 503, rate: 0.1, count: 10 },
				{ path: '/account_groups', kind: 'drop-after-create', rate: 0.1, count: 10 },
			],
			() => {},
		],
	];

	test.each(cases)('%s', async (label, faults, extraChecks) => {
		suite.sim.setFaults(faults, 4242);
		const items = customers(ITEMS);
		const startedAt = Date.now();
		// Concurrency 8 for the single-kind runs (backoff waits dominate), the default 4 for the mix.
		const concurrency = label.startsWith('mix') ? 4 : 8;
		const result = await run(groupsByUser({ maxAttempts: 8, concurrency }), items);
		const byKey = expectExactlyOncePerItem(result, items);
		// The faults really happened, and were retried.
		const faulted = apiRecords().filter((record) => record.fault !== undefined);
		expect(faulted.length).toBeGreaterThan(0);
		expect([...byKey.values()].some((attempts) => attempts.length > 1)).toBe(true);
		extraChecks(byKey);
		expect(records().filter((record) => record.tokenRequest)).toHaveLength(1);
		expectNoLeak(result);
		writeArtifact(
			`unit/faults-${label.replace(/\W+/g, '-')}.txt`,
			figures(label, byKey, startedAt),
		);
	});

	test('the token request is retried too (503 twice on /auth/token), still one token', async () => {
		suite.sim.setFaults([{ path: '/auth/token', kind: 'status', status: 503, count: 2 }]);
		const items = customers(5);
		const result = await run(groupsByUser(), items);
		expectExactlyOncePerItem(result, items);
		const tokenRecords = records().filter((record) => record.tokenRequest);
		expect(tokenRecords.map((record) => record.status)).toEqual([503, 503, 200]);
		expect(new Set(tokenRecords.map(nonceOf)).size).toBe(3);
		expectNoLeak(result);
	});
});

describe('Upvest down beyond Max Attempts', () => {
	test('the item fails with a NodeApiError naming status and item, with Upvest detail and request ID', async () => {
		suite.sim.setFaults([{ path: '/account_groups', kind: 'status', status: 503 }]);
		const items = customers(3);
		const result = await run(groupsByUser({ maxAttempts: 2 }), items);
		expect(result.items).toEqual([]);
		const error = result.error as RunResult['error'] & { errorResponse?: IDataObject };
		expect(error).toBeDefined();
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe(
			'Upvest answered 503 Service Unavailable after 2 attempts [item 0]',
		);
		expect(error?.httpCode).toBe('503');
		const attempts = apiRecords();
		// Max Attempts 2, the first item goes alone: two attempts with one key, then the run stops.
		expect(attempts).toHaveLength(2);
		expect(new Set(attempts.map((record) => record.idempotencyKey)).size).toBe(1);
		expect(new Set(attempts.map(nonceOf)).size).toBe(2);
		const last = attempts[attempts.length - 1];
		expect(error?.description).toBe(
			`Fault injected by the Upvest simulator — Upvest request ID: ${last.requestId}`,
		);
		expect(error?.errorResponse).toMatchObject({
			status: 503,
			title: 'Service Unavailable',
			detail: 'Fault injected by the Upvest simulator',
			request_id: last.requestId,
			type: 'https://docs.upvest.co/errors/service_unavailable',
		});
		expect(suite.sim.state.accountGroups).toHaveLength(0);
		expectNoLeak(result);
	});

	test('the message names the failing item when it is not the first one', async () => {
		// Seed 2 with rate 0.5 draws [0.73, 0.32, 0.29]: item 0 passes, item 1 gets 503 twice.
		suite.sim.setFaults([{ path: '/account_groups', kind: 'status', status: 503, rate: 0.5 }], 2);
		const items = customers(3);
		const result = await run(groupsByUser({ maxAttempts: 2, concurrency: 1 }), items);
		expect(apiRecords().map((record) => [record.body, record.status])).toEqual([
			[`{"user_id":"${items[0].userId}","type":"PERSONAL"}`, 200],
			[`{"user_id":"${items[1].userId}","type":"PERSONAL"}`, 503],
			[`{"user_id":"${items[1].userId}","type":"PERSONAL"}`, 503],
		]);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe(
			'Upvest answered 503 Service Unavailable after 2 attempts [item 1]',
		);
		expect(result.error?.description).toContain(`Upvest request ID: ${apiRecords()[2].requestId}`);
		expectNoLeak(result);
	});

	test('with Continue On Fail the failed items become error items and the others succeed; a re-run with key expressions creates nothing twice', async () => {
		const items = customers(6);
		const parameters = groupsByUser({
			maxAttempts: 2,
			concurrency: 1,
			idempotencyKey: '={{ $json.customerId }}',
		});
		// Concurrency 1: the first four attempts are items 0 and 1, twice each.
		suite.sim.setFaults([{ path: '/account_groups', kind: 'status', status: 503, count: 4 }]);
		const store = newStore();
		const first = await run(parameters, items, { store, continueOnFail: true });
		expect(first.error).toBeUndefined();
		expect(first.items).toHaveLength(6);
		const requestIds = apiRecords().map((record) => record.requestId);
		for (const index of [0, 1]) {
			const item = first.items[index];
			expect(item.pairedItem).toEqual({ item: index });
			expect(Object.keys(item.json).sort()).toEqual(['description', 'error', 'httpCode']);
			expect(item.json.error).toBe(
				`Upvest answered 503 Service Unavailable after 2 attempts [item ${index}]`,
			);
			expect(item.json.httpCode).toBe('503');
			expect(item.json.description).toBe(
				`Fault injected by the Upvest simulator — Upvest request ID: ${requestIds[index * 2 + 1]}`,
			);
		}
		for (const index of [2, 3, 4, 5]) {
			expect(first.items[index].pairedItem).toEqual({ item: index });
			expect(first.items[index].json.user_id).toBe(items[index].userId);
		}
		expect(suite.sim.state.accountGroups).toHaveLength(4);
		expectNoLeak(first);

		// Upvest is back: the same workflow again creates the two missing ones and replays the rest.
		suite.sim.setFaults([]);
		const seqBefore = suite.sim.requests.length;
		const second = await run(parameters, items, { store, continueOnFail: true });
		expect(second.error).toBeUndefined();
		second.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.user_id).toBe(items[index].userId);
		});
		for (const index of [2, 3, 4, 5])
			expect(second.items[index].json.id).toBe(first.items[index].json.id);
		const rerun = suite.sim.requests.slice(seqBefore).filter((record) => !record.tokenRequest);
		expect(rerun.map((record) => record.replayed)).toEqual([false, false, true, true, true, true]);
		expect(suite.sim.state.accountGroups).toHaveLength(6);
		expect(new Set(suite.sim.state.accountGroups.map((group) => group.user_id)).size).toBe(6);
		expectNoLeak(second);
	});
	test('the token expires and the token endpoint is down: a clear credential error, no secret in it', async () => {
		const store = newStore();
		expect((await run(groupsByUser(), customers(1), { store })).error).toBeUndefined();
		suite.sim.expireTokens();
		suite.sim.setFaults([{ path: '/auth/token', kind: 'status', status: 503 }]);
		const seqBefore = suite.sim.requests.length;
		const result = await run(groupsByUser({ maxAttempts: 2 }), customers(3, 1), { store });
		const second = suite.sim.requests.slice(seqBefore) as Record_[];
		expect(result.items).toEqual([]);
		expect(result.error?.message).toMatch(
			/^Upvest refused the access token request \(HTTP 503, Service Unavailable: Fault injected by the Upvest simulator\)\. .*\[item 0\]$/,
		);
		// The token request was retried (bounded), nothing was created.
		expect(second.filter((record) => record.tokenRequest).length).toBeGreaterThan(1);
		expect(second.filter((record) => record.tokenRequest).length).toBeLessThanOrEqual(4);
		expect(
			second.filter((record) => !record.tokenRequest).every((record) => record.status === 401),
		).toBe(true);
		expect(suite.sim.state.accountGroups).toHaveLength(1);
		expectNoLeak(result);
	});
});

describe('non-retryable answers', () => {
	test('a 404 problem+json (role on an unknown account group) is not retried and maps into the error', async () => {
		suite.sim.setConfig({ checkReferences: true });
		const store = newStore();
		const group = await run(groupsByUser(), customers(1), { store });
		expect(group.error).toBeUndefined();
		const existingGroup = String(group.items[0].json.id);
		const unknownGroup = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d';
		const seqBefore = suite.sim.requests.length;

		const result = await run(
			{
				resource: 'role',
				operation: 'create',
				entityType: 'accountGroup',
				userId: userId(7),
				entityId: '={{ $json.group }}',
				roleType: 'GUARDIAN',
				options: { maxAttempts: 5, concurrency: 1 },
			},
			[{ group: existingGroup }, { group: unknownGroup }, { group: existingGroup }],
			{ store },
		);
		const roleRecords = (suite.sim.requests.slice(seqBefore) as Record_[]).filter(
			(record) => record.path === '/roles',
		);
		// Item 0 created, item 1 refused once and not retried, the run stops there.
		expect(roleRecords.map((record) => record.status)).toEqual([200, 404]);
		const refused = roleRecords[1];
		const error = result.error as RunResult['error'] & { errorResponse?: IDataObject };
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('Upvest answered 404 Not Found [item 1]');
		expect(error?.httpCode).toBe('404');
		expect(error?.description).toBe(
			`Account group ${unknownGroup} not found — Upvest request ID: ${refused.requestId}`,
		);
		expect(error?.errorResponse).toMatchObject({
			status: 404,
			title: 'Not Found',
			detail: `Account group ${unknownGroup} not found`,
			request_id: refused.requestId,
			type: 'https://docs.upvest.co/errors/not_found',
		});
		expect(suite.sim.state.roles).toHaveLength(1);
		expectNoLeak(result);
	});

	test.each([
		['400 Bad Request', 400],
		['403 Forbidden', 403],
		['409 Conflict', 409],
		['422 Unprocessable Entity', 422],
	])('an injected %s is not retried (one attempt)', async (title, status) => {
		suite.sim.setFaults([{ path: '/account_groups', kind: 'status', status, count: 1 }]);
		const result = await run(groupsByUser({ maxAttempts: 5 }), customers(2), {
			continueOnFail: true,
		});
		expect(apiRecords().filter((record) => record.status === status)).toHaveLength(1);
		const [failed, succeeded] = result.items;
		// A 403 also says which scope the credential lacks.
		const advice =
			status === 403
				? ' — Add accounts:admin to the Scopes of the Upvest credential; Upvest must have enabled it for your API client.'
				: '';
		expect(failed.json).toEqual({
			error: `Upvest answered ${title} [item 0]`,
			description: `Fault injected by the Upvest simulator${advice} — Upvest request ID: ${apiRecords()[0].requestId}`,
			httpCode: String(status),
		});
		expect(failed.pairedItem).toEqual({ item: 0 });
		expect(succeeded.json.user_id).toBe(userId(1));
		// Item 0 was sent once; item 1 once.
		expect(apiRecords()).toHaveLength(2);
		expect(suite.sim.state.accountGroups).toHaveLength(1);
		expectNoLeak(result);
	});

	test('one idempotency key for two different bodies: Upvest refuses the second with 422, not retried', async () => {
		const result = await run(
			groupsByUser({ concurrency: 1, idempotencyKey: 'one-key-for-all' }),
			customers(2),
			{ continueOnFail: true },
		);
		expect(apiRecords().map((record) => record.status)).toEqual([200, 422]);
		expect(result.items[0].json.user_id).toBe(userId(0));
		expect(result.items[1].json).toMatchObject({
			error: 'Upvest answered 422 Unprocessable Entity [item 1]',
			httpCode: '422',
		});
		expect(String(result.items[1].json.description)).toContain(
			'Idempotency key was already used with a different request body',
		);
		expect(suite.sim.state.accountGroups).toHaveLength(1);
		expectNoLeak(result);
	});
});

describe('idempotency keys from the input', () => {
	test('re-running with options.idempotencyKey from the input creates nothing new and returns the same ids', async () => {
		const items = customers(10);
		const parameters = groupsByUser({ idempotencyKey: '={{ $json.customerId }}', concurrency: 4 });
		const store = newStore();
		const first = await run(parameters, items, { store });
		expect(first.error).toBeUndefined();
		expect(suite.sim.state.accountGroups).toHaveLength(10);
		const firstKeys = apiRecords().map((record) => [
			JSON.parse(record.body).user_id,
			record.idempotencyKey,
		]);
		const seqBefore = suite.sim.requests.length;

		const second = await run(parameters, items, { store });
		expect(second.error).toBeUndefined();
		expect(suite.sim.state.accountGroups).toHaveLength(10);
		expect(second.items.map((item) => item.json.id)).toEqual(
			first.items.map((item) => item.json.id),
		);
		expect(second.items.map((item) => item.json)).toEqual(first.items.map((item) => item.json));
		const rerun = suite.sim.requests.slice(seqBefore).filter((record) => !record.tokenRequest);
		expect(rerun).toHaveLength(10);
		expect(rerun.every((record) => record.replayed && record.status === 200)).toBe(true);

		// The text keys became stable UUIDs: one per customer, the same in both runs, not the text itself.
		const secondKeys = new Map(
			rerun.map((record) => [JSON.parse(record.body).user_id, record.idempotencyKey]),
		);
		for (const [user, key] of firstKeys) {
			expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
			expect(secondKeys.get(user)).toBe(key);
		}
		expect(new Set(firstKeys.map(([, key]) => key)).size).toBe(10);
		for (const item of items)
			expect(firstKeys.map(([, key]) => key)).not.toContain(item.customerId);
		expectNoLeak(first);
		expectNoLeak(second);
	});

	test('a UUID idempotency key is sent unchanged (and used for every retry)', async () => {
		const items = Array.from({ length: 5 }, (_, index) => ({
			key: randomUUID(),
			userId: userId(index),
		}));
		suite.sim.setFaults([{ path: '/account_groups', kind: 'status', status: 503, count: 3 }]);
		const result = await run(groupsByUser({ idempotencyKey: '={{ $json.key }}' }), items);
		expect(result.error).toBeUndefined();
		const sent = new Map<string, Set<string | undefined>>();
		for (const record of apiRecords()) {
			const user = JSON.parse(record.body).user_id as string;
			sent.set(user, new Set([...(sent.get(user) ?? []), record.idempotencyKey]));
		}
		for (const item of items) expect(sent.get(item.userId)).toEqual(new Set([item.key]));
		expect(apiRecords().length).toBe(items.length + 3);
		expectNoLeak(result);
	});

	test('a UUID key in upper case reaches Upvest as the same UUID (case-insensitively equal)', async () => {
		const key = randomUUID().toUpperCase();
		const result = await run(groupsByUser({ idempotencyKey: key }), customers(1));
		expect(result.error).toBeUndefined();
		expect(apiRecords()[0].idempotencyKey).toBe(key);
		expectNoLeak(result);
	});
});

describe('token refresh and Max Attempts', () => {
	// The 401 that makes n8n fetch a new token is not one of Max Attempts: with Max Attempts 2 an
	// item still gets two answers from Upvest besides the refused token.
	test('after a 503 and a token refresh, Max Attempts 2 still allows the second real attempt', async () => {
		const store = newStore();
		expect((await run(groupsByUser(), customers(1), { store })).error).toBeUndefined();
		suite.sim.expireTokens();
		const seqBefore = suite.sim.requests.length;
		suite.sim.setFaults([{ path: '/account_groups', kind: 'status', status: 503, count: 1 }], 5);
		const result = await run(groupsByUser({ maxAttempts: 2 }), customers(1, 1), { store });
		const second = suite.sim.requests.slice(seqBefore) as Record_[];
		expect(second.map((record) => [record.path, record.status])).toEqual([
			['/account_groups', 503],
			['/account_groups', 401],
			['/auth/token', 200],
			['/account_groups', 200],
		]);
		expect(result.error).toBeUndefined();
		expect(suite.sim.state.accountGroups).toHaveLength(2);
		expectNoLeak(result);
	});
});
