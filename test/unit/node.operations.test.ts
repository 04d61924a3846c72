/**
 * The Upvest node's two operations end to end through n8n-core's real WorkflowExecute against one
 * local simulator: exact request bodies for every variant, mixed items through expressions, output
 * shape and order, signatures, and how many access tokens a run needs.
 *
 * Every test gets its own API client registered in the simulator (same fixture keys, fresh client
 * id, secret and key id): the node keeps fetched tokens in a process-wide cache keyed by client, so
 * reusing one client across tests would hand a test a token that `sim.reset()` already revoked.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { CredentialStore, runUpvestNode, type RunResult } from '../support/n8n-harness';
import { expectNoSecrets } from '../support/secrets';
import { credentialData, usePooledSimulator, type SimulatorRecord } from '../support/simulator';

const suite = usePooledSimulator(64);

/** A credential store for this test's own client (Ed25519 by default: signing speed). */
function newStore(key: 'ed25519' | 'ecdsa' = 'ed25519') {
	return suite.tokenLog.watch(
		new CredentialStore({
			...credentialData(suite.sim, key),
			clientId: suite.client.clientId,
			clientSecret: suite.client.clientSecret,
			keyId: key === 'ed25519' ? suite.client.ed25519KeyId : suite.client.ecdsaKeyId,
		}),
	);
}

const U = [
	'413715f2-5401-4b97-8055-034a6b879f8c',
	'5a4f2c1e-8d3b-4e6a-9f7c-2b1d0e3a4c5f',
	'6b5e3d2f-9e4c-4f7b-8a8d-3c2e1f4b5d6a',
	'7c6f4e3a-0f5d-4a8c-9b9e-4d3f2a5c6e7b',
];
const B = ['3fa85f64-5717-4562-b3fc-2c963f66afa6', '8d7a5f4b-1a6e-4b9d-8cae-5e4a3b6d7f8c'];
const AG = ['9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d', '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f'];

/** A distinct user UUID per index, so every item of a batch is recognisable. */
function userId(index: number): string {
	return `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

const apiRecords = () => suite.sim.requests.filter((record) => !record.tokenRequest);
const tokenRecords = () => suite.sim.requests.filter((record) => record.tokenRequest);

/** Succeeded: no error, one output item per input, every record signed correctly, nothing leaked. */
function expectSuccess(result: RunResult, inputCount: number) {
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(inputCount);
	result.items.forEach((item, index) => {
		expect(item.json.error).toBeUndefined();
		expect(item.pairedItem).toEqual({ item: index });
	});
	expectNoSecrets({ run: result.run, items: result.items, error: result.error }, suite.secrets());
}

function expectAllSignaturesValid(records: SimulatorRecord[] = suite.sim.requests) {
	expect(records.length).toBeGreaterThan(0);
	for (const record of records) {
		expect({
			seq: record.seq,
			path: record.path,
			status: record.status,
			signature: record.signature,
		}).toEqual(
			expect.objectContaining({ status: 200, signature: expect.objectContaining({ valid: true }) }),
		);
	}
}

/** The resource the simulator stored for this output item, as JSON (what the API answered). */
function storedResource(item: INodeExecutionData, kind: 'accountGroups' | 'roles') {
	const stored = suite.sim.state[kind].find((resource) => resource.id === item.json.id);
	expect(stored).toBeDefined();
	return JSON.parse(JSON.stringify(stored)) as IDataObject;
}

async function run(
	parameters: INodeParameters,
	items: IDataObject[],
	store = newStore(),
	continueOnFail = false,
) {
	return await runUpvestNode({ parameters, items, credentials: store, continueOnFail });
}

const accountGroup = (extra: INodeParameters): INodeParameters => ({
	resource: 'accountGroup',
	operation: 'create',
	...extra,
});
const role = (extra: INodeParameters): INodeParameters => ({
	resource: 'role',
	operation: 'create',
	...extra,
});

describe('request bodies: every variant sends exactly the documented JSON', () => {
	const cases: Array<[string, INodeParameters, string, 'accountGroups' | 'roles']> = [
		...(['PERSONAL', 'LEGAL_ENTITY', 'FRENCH_PEA', 'ISA', 'CHILD'] as const).map(
			(type): [string, INodeParameters, string, 'accountGroups'] => [
				`account group, user, ${type}`,
				accountGroup({ ownerType: 'user', userId: U[0], accountGroupType: type }),
				`{"user_id":"${U[0]}","type":"${type}"}`,
				'accountGroups',
			],
		),
		[
			'account group, user, with securities account number',
			accountGroup({
				ownerType: 'user',
				userId: U[1],
				accountGroupType: 'PERSONAL',
				additionalFields: { securitiesAccountNumber: '123456789' },
			}),
			`{"user_id":"${U[1]}","type":"PERSONAL","securities_account_number":"123456789"}`,
			'accountGroups',
		],
		[
			'account group, user, id in upper case with spaces (normalised)',
			accountGroup({
				ownerType: 'user',
				userId: `  ${U[2].toUpperCase()} `,
				accountGroupType: 'ISA',
			}),
			`{"user_id":"${U[2]}","type":"ISA"}`,
			'accountGroups',
		],
		[
			'account group, user, empty securities account number is left out',
			accountGroup({
				ownerType: 'user',
				userId: U[3],
				accountGroupType: 'CHILD',
				additionalFields: { securitiesAccountNumber: '' },
			}),
			`{"user_id":"${U[3]}","type":"CHILD"}`,
			'accountGroups',
		],
		[
			'account group, business',
			accountGroup({ ownerType: 'business', businessId: B[0] }),
			`{"business_id":"${B[0]}","type":"BUSINESS"}`,
			'accountGroups',
		],
		[
			'account group, business, with securities account number',
			accountGroup({
				ownerType: 'business',
				businessId: B[1],
				additionalFields: { securitiesAccountNumber: '987654321' },
			}),
			`{"business_id":"${B[1]}","type":"BUSINESS","securities_account_number":"987654321"}`,
			'accountGroups',
		],
		[
			'role on an account group, GUARDIAN',
			role({ entityType: 'accountGroup', userId: U[0], entityId: AG[0], roleType: 'GUARDIAN' }),
			`{"user_id":"${U[0]}","entity_type":"ACCOUNT_GROUP","entity_id":"${AG[0]}","role_type":"GUARDIAN"}`,
			'roles',
		],
		...(['SOLE_CUSTODY', 'JOINT_CUSTODY'] as const).map(
			(custody): [string, INodeParameters, string, 'roles'] => [
				`role on an account group, GUARDIAN, ${custody}`,
				role({
					entityType: 'accountGroup',
					userId: U[1],
					entityId: AG[1],
					roleType: 'GUARDIAN',
					additionalFields: { custodyType: custody },
				}),
				`{"user_id":"${U[1]}","entity_type":"ACCOUNT_GROUP","entity_id":"${AG[1]}","role_type":"GUARDIAN","custody_type":"${custody}"}`,
				'roles',
			],
		),
		...(
			[
				'LEGAL_REPRESENTATIVE',
				'AUTHORISED_SIGNATORY',
				'ULTIMATE_BENEFICIAL_OWNER',
				'CONTRACTING_EXECUTIVE',
				'TRADER',
			] as const
		).map((roleType): [string, INodeParameters, string, 'roles'] => [
			`role on a business, ${roleType}`,
			role({ entityType: 'business', userId: U[2], entityId: B[0], roleType }),
			`{"user_id":"${U[2]}","entity_type":"BUSINESS","entity_id":"${B[0]}","role_type":"${roleType}"}`,
			'roles',
		]),
	];

	test.each(cases)('%s', async (_name, parameters, expectedBody, kind) => {
		const result = await run(parameters, [{}]);
		expectSuccess(result, 1);
		const records = apiRecords();
		expect(records).toHaveLength(1);
		const [record] = records;
		expect(record.path).toBe(kind === 'accountGroups' ? '/account_groups' : '/roles');
		expect(record.method).toBe('POST');
		expect(record.body).toBe(expectedBody);
		expect(record.headers['content-type']).toBe('application/json');
		expect(record.headers['content-length']).toBe(String(Buffer.byteLength(expectedBody)));
		// By default the key is derived from the request (a name-based, version 5 layout UUID).
		expect(record.idempotencyKey).toMatch(
			/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
		);
		expectAllSignaturesValid();
		// The API's JSON as is: the output item is exactly what the simulator stored and answered.
		expect(suite.sim.state[kind]).toHaveLength(1);
		expect(result.items[0].json).toEqual(storedResource(result.items[0], kind));
	});
});

describe('mixed input items in one node, variants chosen by expressions', () => {
	test('account groups: users and businesses from one node, bodies per item, output per item in order', async () => {
		const items: IDataObject[] = [
			{ kind: 'user', userId: U[0], type: 'PERSONAL' },
			{ kind: 'business', businessId: B[0] },
			{ kind: 'user', userId: U[1], type: 'CHILD', san: '111222333' },
			{ kind: 'business', businessId: B[1], san: '444555666' },
			{ kind: 'user', userId: U[2], type: 'FRENCH_PEA' },
			{ kind: 'user', userId: U[3], type: 'LEGAL_ENTITY' },
		];
		const expectedBodies = [
			`{"user_id":"${U[0]}","type":"PERSONAL"}`,
			`{"business_id":"${B[0]}","type":"BUSINESS"}`,
			`{"user_id":"${U[1]}","type":"CHILD","securities_account_number":"111222333"}`,
			`{"business_id":"${B[1]}","type":"BUSINESS","securities_account_number":"444555666"}`,
			`{"user_id":"${U[2]}","type":"FRENCH_PEA"}`,
			`{"user_id":"${U[3]}","type":"LEGAL_ENTITY"}`,
		];
		const result = await run(
			accountGroup({
				ownerType: '={{ $json.kind }}',
				userId: '={{ $json.userId }}',
				businessId: '={{ $json.businessId }}',
				accountGroupType: '={{ $json.type }}',
				additionalFields: { securitiesAccountNumber: '={{ $json.san ?? "" }}' },
				options: { concurrency: 1 },
			}),
			items,
		);
		expectSuccess(result, items.length);
		// Concurrency 1: the records are in input order.
		expect(apiRecords().map((record) => record.body)).toEqual(expectedBodies);
		expectAllSignaturesValid();
		expect(suite.sim.state.accountGroups).toHaveLength(items.length);
		result.items.forEach((item, index) => {
			expect(item.json).toEqual(storedResource(item, 'accountGroups'));
			const input = items[index];
			if (input.kind === 'user') {
				expect(item.json).toMatchObject({ user_id: input.userId, type: input.type });
			} else {
				expect(item.json).toMatchObject({ business_id: input.businessId, type: 'BUSINESS' });
			}
		});
	});

	test('roles: account-group and business roles from one node, bodies per item, output per item in order', async () => {
		const items: IDataObject[] = [
			{
				entityType: 'accountGroup',
				userId: U[0],
				entityId: AG[0],
				roleType: 'GUARDIAN',
				custody: 'SOLE_CUSTODY',
			},
			{ entityType: 'business', userId: U[1], entityId: B[0], roleType: 'LEGAL_REPRESENTATIVE' },
			{ entityType: 'accountGroup', userId: U[2], entityId: AG[1], roleType: 'GUARDIAN' },
			{
				entityType: 'business',
				userId: U[3],
				entityId: B[1],
				roleType: 'ULTIMATE_BENEFICIAL_OWNER',
			},
			{
				entityType: 'accountGroup',
				userId: U[1],
				entityId: AG[0],
				roleType: 'GUARDIAN',
				custody: 'JOINT_CUSTODY',
			},
		];
		const expectedBodies = [
			`{"user_id":"${U[0]}","entity_type":"ACCOUNT_GROUP","entity_id":"${AG[0]}","role_type":"GUARDIAN","custody_type":"SOLE_CUSTODY"}`,
			`{"user_id":"${U[1]}","entity_type":"BUSINESS","entity_id":"${B[0]}","role_type":"LEGAL_REPRESENTATIVE"}`,
			`{"user_id":"${U[2]}","entity_type":"ACCOUNT_GROUP","entity_id":"${AG[1]}","role_type":"GUARDIAN"}`,
			`{"user_id":"${U[3]}","entity_type":"BUSINESS","entity_id":"${B[1]}","role_type":"ULTIMATE_BENEFICIAL_OWNER"}`,
			`{"user_id":"${U[1]}","entity_type":"ACCOUNT_GROUP","entity_id":"${AG[0]}","role_type":"GUARDIAN","custody_type":"JOINT_CUSTODY"}`,
		];
		const result = await run(
			role({
				entityType: '={{ $json.entityType }}',
				userId: '={{ $json.userId }}',
				entityId: '={{ $json.entityId }}',
				roleType: '={{ $json.roleType }}',
				additionalFields: { custodyType: '={{ $json.custody ?? "" }}' },
				options: { concurrency: 1 },
			}),
			items,
		);
		expectSuccess(result, items.length);
		expect(apiRecords().map((record) => record.body)).toEqual(expectedBodies);
		expectAllSignaturesValid();
		expect(suite.sim.state.roles).toHaveLength(items.length);
		result.items.forEach((item, index) => {
			expect(item.json).toEqual(storedResource(item, 'roles'));
			expect(JSON.stringify(item.json)).toContain(expectedBodies[index].slice(1, -1));
		});
	});
});

describe('access tokens', () => {
	const tenItems = Array.from({ length: 10 }, (_, index) => ({ userId: userId(index) }));
	const tenGroups = (options: INodeParameters = {}) =>
		accountGroup({
			ownerType: 'user',
			userId: '={{ $json.userId }}',
			accountGroupType: 'PERSONAL',
			options,
		});

	test.each([
		['default concurrency', {}],
		['concurrency 1', { concurrency: 1 }],
		['concurrency 8', { concurrency: 8 }],
	])('one token request for 10 items (%s)', async (_name, options) => {
		const store = newStore();
		const result = await run(tenGroups(options), tenItems, store);
		expectSuccess(result, 10);
		expect(tokenRecords()).toHaveLength(1);
		expect(suite.sim.state.tokensIssued).toBe(1);
		expect(store.calls.preAuthentication).toBe(1);
		expect(store.calls.tokenRefreshes).toBe(0);
		// The token request comes first, and every API request carries the one token.
		expect(suite.sim.requests[0].tokenRequest).toBe(true);
		expect(apiRecords()).toHaveLength(10);
		expect(new Set(apiRecords().map((record) => record.headers.authorization))).toEqual(
			new Set([`Bearer ${String(store.data.accessToken)}`]),
		);
		expectAllSignaturesValid();
		expect(suite.sim.state.accountGroups.map((group) => group.user_id).sort()).toEqual(
			tenItems.map((item) => item.userId).sort(),
		);
	});

	test('no token request when the credential already holds a valid token from a previous run', async () => {
		const store = newStore();
		const first = await run(tenGroups(), tenItems, store);
		expectSuccess(first, 10);
		expect(tokenRecords()).toHaveLength(1);
		const token = store.data.accessToken;
		const seqBefore = suite.sim.requests.length;

		const second = await run(tenGroups({ concurrency: 8 }), tenItems, store);
		expectSuccess(second, 10);
		const secondRecords = suite.sim.requests.slice(seqBefore);
		expect(secondRecords.filter((record) => record.tokenRequest)).toHaveLength(0);
		expect(secondRecords).toHaveLength(10);
		expect(store.calls.preAuthentication).toBe(1);
		expect(store.data.accessToken).toBe(token);
		expectAllSignaturesValid(secondRecords);
		// The same input again: Upvest replays the first answers, nothing is created twice.
		expect(secondRecords.every((record) => record.replayed)).toBe(true);
		expect(suite.sim.state.accountGroups).toHaveLength(10);
		expect(second.items.map((item) => item.json.id)).toEqual(
			first.items.map((item) => item.json.id),
		);
	});

	test.each([
		['default concurrency', {}],
		['concurrency 8', { concurrency: 8 }],
	])(
		'after the token expires a run refreshes exactly once and no item fails (%s)',
		async (_name, options) => {
			const store = newStore();
			expectSuccess(await run(tenGroups(options), tenItems, store), 10);
			const firstToken = store.data.accessToken;
			expect(suite.sim.expireTokens()).toBe(1);
			const seqBefore = suite.sim.requests.length;
			const tokenFetchesBefore = store.calls.preAuthentication;

			const otherItems = tenItems.map((_, index) => ({ userId: userId(100 + index) }));
			const second = await run(tenGroups(options), otherItems, store);
			expectSuccess(second, 10);
			const secondRecords = suite.sim.requests.slice(seqBefore);
			expect(secondRecords.filter((record) => record.tokenRequest)).toHaveLength(1);
			expect(store.calls.preAuthentication - tokenFetchesBefore).toBe(1);
			expect(store.data.accessToken).not.toBe(firstToken);
			// Whatever was refused with the old token was refused for the token only, then resent.
			const refused = secondRecords.filter((record) => record.status === 401);
			for (const record of refused)
				expect(record.headers.authorization).toBe(`Bearer ${String(firstToken)}`);
			const accepted = secondRecords.filter(
				(record) => !record.tokenRequest && record.status !== 401,
			);
			expect(accepted).toHaveLength(10);
			expectAllSignaturesValid(accepted);
			for (const record of accepted)
				expect(record.headers.authorization).toBe(`Bearer ${String(store.data.accessToken)}`);
			// Each item of the second run created exactly one new group.
			expect(suite.sim.state.accountGroups).toHaveLength(20);
			expect(new Set(second.items.map((item) => item.json.id)).size).toBe(10);
		},
	);
});

describe('output order', () => {
	test('with concurrency 8 and uneven latency the output follows the input order', async () => {
		const count = 24;
		const items = Array.from({ length: count }, (_, index) => ({ userId: userId(index) }));
		suite.sim.setFaults(
			[
				{ path: '/account_groups', kind: 'latency', latencyMs: 150, rate: 0.3 },
				{ path: '/account_groups', kind: 'latency', latencyMs: 40, rate: 0.5 },
			],
			20240611,
		);
		const result = await run(
			accountGroup({
				ownerType: 'user',
				userId: '={{ $json.userId }}',
				accountGroupType: 'PERSONAL',
				options: { concurrency: 8 },
			}),
			items,
		);
		expectSuccess(result, count);
		expect(result.items.map((item) => item.json.user_id)).toEqual(items.map((item) => item.userId));
		result.items.forEach((item) =>
			expect(item.json).toEqual(storedResource(item, 'accountGroups')),
		);
		// The latency really reordered the work: the simulator answered in another order.
		const answerOrder = apiRecords()
			.filter((record) => record.answeredSeq !== undefined)
			.sort((a, b) => (a.answeredSeq ?? 0) - (b.answeredSeq ?? 0))
			.map((record) => JSON.parse(record.body).user_id);
		expect(answerOrder).toHaveLength(count);
		expect(answerOrder).not.toEqual(items.map((item) => item.userId));
		expect(apiRecords().some((record) => record.fault?.includes('latency:150'))).toBe(true);
		expectAllSignaturesValid();
		expect(tokenRecords()).toHaveLength(1);
	});

	test('with concurrency 1 the requests go out one by one in input order', async () => {
		const items = Array.from({ length: 6 }, (_, index) => ({ userId: userId(100 + index) }));
		suite.sim.setFaults(
			[{ path: '/account_groups', kind: 'latency', latencyMs: 30, rate: 0.5 }],
			3,
		);
		const result = await run(
			accountGroup({
				ownerType: 'user',
				userId: '={{ $json.userId }}',
				accountGroupType: 'PERSONAL',
				options: { concurrency: 1 },
			}),
			items,
		);
		expectSuccess(result, items.length);
		expect(apiRecords().map((record) => JSON.parse(record.body).user_id)).toEqual(
			items.map((item) => item.userId),
		);
		expect(suite.sim.state.accountGroups.map((group) => group.user_id)).toEqual(
			items.map((item) => item.userId),
		);
	});
});

describe('ECDSA P-521 credential', () => {
	test('both operations work with the encrypted P-521 fixture key, signatures valid', async () => {
		const store = newStore('ecdsa');
		const groups = await run(
			accountGroup({ ownerType: 'user', userId: U[0], accountGroupType: 'PERSONAL' }),
			[{}, {}],
			store,
		);
		expectSuccess(groups, 2);
		const roles = await run(
			role({ entityType: 'business', userId: U[0], entityId: B[0], roleType: 'TRADER' }),
			[{}],
			store,
		);
		expectSuccess(roles, 1);
		expectAllSignaturesValid();
		for (const record of suite.sim.requests)
			expect(record.signature.keyId).toBe(suite.client.ecdsaKeyId);
		expect(tokenRecords()).toHaveLength(1);
	});
});
