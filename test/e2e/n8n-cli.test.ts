/**
 * End-to-end: the built package loaded as a community package into a real n8n (2.8.4, or the version
 * in UPVEST_N8N_VERSION), workflows run with `n8n execute --id` against the Upvest simulator (in this
 * process). One n8n user folder and one simulator for the whole file; each workflow has its own
 * credential, so each execution starts without an access token and must fetch exactly one.
 *
 * This file is the smoke test that scripts/test.js also runs on every other n8n version of the matrix.
 * The first run on a bare machine installs that n8n (several minutes); later runs reuse it.
 */
import exampleJson from '../../examples/onboard-a-family.workflow.json';
import { writeArtifact } from '../../scripts/artifacts';
import { e2eEnv } from '../../scripts/e2e-env';
import {
	createInstance,
	credentialFor,
	ensureBuilt,
	ensureN8n,
	logger,
	n8nInstall,
	nodeOutput,
} from '../../scripts/n8n-runtime';
import {
	chain,
	itemsSource,
	manualTrigger as trigger,
	mergeConnections,
	upvestNode,
	workflow,
	workflowNode as node,
} from '../../scripts/workflows';
import {
	startSimulator,
	testClient,
	type Simulator,
	type SimulatorRecord as SimRecord,
} from '../support/simulator';

type Json = Record<string, unknown>;

/** What this file reads of an IRun beyond the node outputs. */
interface RunJson {
	status?: string;
	data?: { resultData?: { error?: { message?: string; description?: string } } };
}

interface ExecuteResult {
	exitCode: number | null;
	run?: RunJson;
	error?: string;
	stdout: string;
	stderr: string;
	ms: number;
}

interface WorkflowJson {
	id: string;
	nodes: Json[];
}

const VERSION = e2eEnv.n8nVersion;
const RUNS_ON = `n8n ${VERSION} on Node ${n8nInstall(VERSION).nodeVersion}`;
const example: WorkflowJson = exampleJson;

const INSTALL_TIMEOUT = 20 * 60_000; // a cold n8n install takes up to about 10 min on 2 busy cores
const EXECUTE_TIMEOUT = 120_000;

// Fixed IDs so failures are easy to read. All valid UUIDs (version 4).
const U = {
	alice: '413715f2-5401-4b97-8055-034a6b879f8c',
	bob: '5a4f2c1e-8d3b-4e6a-9f7c-2b1d0e3a4c5f',
	carol: '6b5e3d2f-9e4c-4f7b-8a8d-3c2e1f4b5d6a',
	dave: '7c6f4e3a-0f5d-4a8c-9b9e-4d3f2a5c6e7b',
	biz1: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
	biz2: '8d7a5f4b-1a6e-4b9d-8cae-5e4a3b6d7f8c',
	group1: '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d',
	group2: 'ae2fec5e-4c8e-4cbe-8cee-3c1e8c4edc7e',
};

const CRED = {
	mixed: { id: 'UpvestE2eCred001', name: 'E2E mixed items' },
	invalid: { id: 'UpvestE2eCred002', name: 'E2E invalid items (Ed25519)' },
	http: { id: 'UpvestE2eCred003', name: 'E2E HTTP Request node' },
};

// ---------------------------------------------------------------------------
// workflow builders
// ---------------------------------------------------------------------------

/** Account group parameters taken entirely from the item, so one node serves users and businesses. */
const accountGroupFromItem = {
	resource: 'accountGroup',
	operation: 'create',
	ownerType: '={{ $json.ownerType }}',
	userId: '={{ $json.userId }}',
	accountGroupType: '={{ $json.accountGroupType }}',
	businessId: '={{ $json.businessId }}',
	additionalFields: { securitiesAccountNumber: "={{ $json.securitiesAccountNumber ?? '' }}" },
	options: { idempotencyKey: '={{ $json.ref }}', concurrency: 3 },
};

/** Role parameters taken from the item: account group (GUARDIAN) and business roles in one node. */
const roleFromItem = {
	resource: 'role',
	operation: 'create',
	entityType: '={{ $json.entityType }}',
	userId: '={{ $json.userId }}',
	entityId: '={{ $json.entityId }}',
	roleType: '={{ $json.roleType }}',
	additionalFields: { custodyType: "={{ $json.custodyType ?? '' }}" },
	options: { idempotencyKey: '={{ $json.ref }}', concurrency: 2 },
};

// Mixed account groups: [input item, exact request body]
const ACCOUNT_GROUPS: Array<[Json, Json]> = [
	[
		{
			ref: 'ag-personal',
			ownerType: 'user',
			userId: U.alice,
			accountGroupType: 'PERSONAL',
			securitiesAccountNumber: '123456789',
		},
		{ user_id: U.alice, type: 'PERSONAL', securities_account_number: '123456789' },
	],
	[
		{ ref: 'ag-business', ownerType: 'business', businessId: U.biz1 },
		{ business_id: U.biz1, type: 'BUSINESS' },
	],
	[
		{ ref: 'ag-child', ownerType: 'user', userId: U.bob, accountGroupType: 'CHILD' },
		{ user_id: U.bob, type: 'CHILD' },
	],
	[
		{
			ref: 'ag-pea',
			ownerType: 'user',
			userId: U.carol.toUpperCase(),
			accountGroupType: 'FRENCH_PEA',
		},
		{ user_id: U.carol, type: 'FRENCH_PEA' },
	],
	[
		{
			ref: 'ag-business-2',
			ownerType: 'business',
			businessId: U.biz2,
			securitiesAccountNumber: '987654321',
		},
		{ business_id: U.biz2, type: 'BUSINESS', securities_account_number: '987654321' },
	],
	[
		{ ref: 'ag-isa', ownerType: 'user', userId: U.dave, accountGroupType: 'ISA' },
		{ user_id: U.dave, type: 'ISA' },
	],
];

const ROLES: Array<[Json, Json]> = [
	[
		{
			ref: 'r-guardian-sole',
			entityType: 'accountGroup',
			userId: U.alice,
			entityId: U.group1,
			roleType: 'GUARDIAN',
			custodyType: 'SOLE_CUSTODY',
		},
		{
			user_id: U.alice,
			entity_type: 'ACCOUNT_GROUP',
			entity_id: U.group1,
			role_type: 'GUARDIAN',
			custody_type: 'SOLE_CUSTODY',
		},
	],
	[
		{
			ref: 'r-legal-rep',
			entityType: 'business',
			userId: U.bob,
			entityId: U.biz1,
			roleType: 'LEGAL_REPRESENTATIVE',
		},
		{
			user_id: U.bob,
			entity_type: 'BUSINESS',
			entity_id: U.biz1,
			role_type: 'LEGAL_REPRESENTATIVE',
		},
	],
	[
		{
			ref: 'r-guardian-joint',
			entityType: 'accountGroup',
			userId: U.carol,
			entityId: U.group2,
			roleType: 'GUARDIAN',
			custodyType: 'JOINT_CUSTODY',
		},
		{
			user_id: U.carol,
			entity_type: 'ACCOUNT_GROUP',
			entity_id: U.group2,
			role_type: 'GUARDIAN',
			custody_type: 'JOINT_CUSTODY',
		},
	],
	[
		{
			ref: 'r-guardian-plain',
			entityType: 'accountGroup',
			userId: U.dave,
			entityId: U.group2,
			roleType: 'GUARDIAN',
		},
		{ user_id: U.dave, entity_type: 'ACCOUNT_GROUP', entity_id: U.group2, role_type: 'GUARDIAN' },
	],
	[
		{
			ref: 'r-trader',
			entityType: 'business',
			userId: U.alice,
			entityId: U.biz2,
			roleType: 'TRADER',
		},
		{ user_id: U.alice, entity_type: 'BUSINESS', entity_id: U.biz2, role_type: 'TRADER' },
	],
];

function mixedWorkflow() {
	const ag = itemsSource(
		'Account groups',
		ACCOUNT_GROUPS.map(([item]) => item),
		0,
	);
	const roles = itemsSource(
		'Roles',
		ROLES.map(([item]) => item),
		300,
	);
	return workflow(
		'UpvestE2eMixed001',
		'E2E: mixed account groups and roles',
		[
			trigger(),
			...ag,
			upvestNode('Create account groups', [660, 0], accountGroupFromItem, CRED.mixed),
			...roles,
			upvestNode('Create roles', [660, 300], roleFromItem, CRED.mixed),
		],
		mergeConnections(
			chain('Start', 'Account groups data', 'Account groups items', 'Create account groups'),
			chain('Start', 'Roles data', 'Roles items', 'Create roles'),
		),
	);
}

// Invalid items: [input item, expected body or the words the error must contain]
const INVALID_ACCOUNT_GROUPS: Array<[Json, Json | string[]]> = [
	[
		{ ref: 'inv-ok-1', ownerType: 'user', userId: U.alice, accountGroupType: 'PERSONAL' },
		{ user_id: U.alice, type: 'PERSONAL' },
	],
	[
		{ ref: 'inv-bad-user', ownerType: 'user', userId: 'not-a-uuid', accountGroupType: 'PERSONAL' },
		['User ID', 'not-a-uuid', '[item 1]'],
	],
	[
		{ ref: 'inv-bad-owner', ownerType: 'robot', userId: U.bob },
		['Owner Type', 'robot', '[item 2]'],
	],
	[
		{ ref: 'inv-ok-2', ownerType: 'business', businessId: U.biz1 },
		{ business_id: U.biz1, type: 'BUSINESS' },
	],
	[
		{
			ref: 'inv-bad-number',
			ownerType: 'user',
			userId: U.carol,
			accountGroupType: 'ISA',
			securitiesAccountNumber: '12345',
		},
		['Securities Account Number', '12345', '[item 4]'],
	],
	[
		{ ref: 'inv-no-business', ownerType: 'business', businessId: '' },
		['Business ID', 'empty', '[item 5]'],
	],
	[
		{ ref: 'inv-bad-type', ownerType: 'user', userId: U.dave, accountGroupType: 'SAVINGS' },
		['Account Group Type', 'SAVINGS', '[item 6]'],
	],
];

const INVALID_ROLES: Array<[Json, Json | string[]]> = [
	[
		{
			ref: 'inv-r-guardian-on-business',
			entityType: 'business',
			userId: U.alice,
			entityId: U.biz1,
			roleType: 'GUARDIAN',
		},
		['Role Type', 'GUARDIAN', '[item 0]'],
	],
	[
		{
			ref: 'inv-r-ok',
			entityType: 'business',
			userId: U.alice,
			entityId: U.biz1,
			roleType: 'AUTHORISED_SIGNATORY',
		},
		{
			user_id: U.alice,
			entity_type: 'BUSINESS',
			entity_id: U.biz1,
			role_type: 'AUTHORISED_SIGNATORY',
		},
	],
	[
		{
			ref: 'inv-r-bad-entity',
			entityType: 'accountGroup',
			userId: U.bob,
			entityId: '12',
			roleType: 'GUARDIAN',
			custodyType: 'SOLE_CUSTODY',
		},
		['Account Group ID', '[item 2]'],
	],
	[
		{
			ref: 'inv-r-bad-custody',
			entityType: 'accountGroup',
			userId: U.bob,
			entityId: U.group1,
			roleType: 'GUARDIAN',
			custodyType: 'SHARED',
		},
		['Custody Type', 'SHARED', '[item 3]'],
	],
];

function invalidWorkflow() {
	const continueOnFail = { onError: 'continueRegularOutput' };
	return workflow(
		'UpvestE2eInvalid001',
		'E2E: invalid items with Continue On Fail',
		[
			trigger(),
			...itemsSource(
				'Account groups',
				INVALID_ACCOUNT_GROUPS.map(([item]) => item),
				0,
			),
			upvestNode(
				'Create account groups',
				[660, 0],
				accountGroupFromItem,
				CRED.invalid,
				continueOnFail,
			),
			...itemsSource(
				'Roles',
				INVALID_ROLES.map(([item]) => item),
				300,
			),
			upvestNode('Create roles', [660, 300], roleFromItem, CRED.invalid, continueOnFail),
		],
		mergeConnections(
			chain('Start', 'Account groups data', 'Account groups items', 'Create account groups'),
			chain('Start', 'Roles data', 'Roles items', 'Create roles'),
		),
	);
}

const HTTP_REQUEST_REF = 'c0ffee00-1234-4abc-8def-0123456789ab';
const HTTP_BODY = { user_id: U.alice, type: 'LEGAL_ENTITY' };

function httpRequestWorkflow(simulatorUrl: string) {
	return workflow(
		'UpvestE2eHttp001',
		'E2E: HTTP Request node with the Upvest credential',
		[
			trigger(),
			node(
				'Create via HTTP Request',
				'n8n-nodes-base.httpRequest',
				4.2,
				[220, 0],
				{
					method: 'POST',
					url: `${simulatorUrl}/account_groups`,
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'upvestApi',
					sendHeaders: true,
					specifyHeaders: 'keypair',
					headerParameters: {
						parameters: [{ name: 'idempotency-key', value: HTTP_REQUEST_REF }],
					},
					sendBody: true,
					contentType: 'json',
					specifyBody: 'json',
					jsonBody: JSON.stringify(HTTP_BODY),
					options: {},
				},
				{ credentials: { upvestApi: CRED.http } },
			),
		],
		chain('Start', 'Create via HTTP Request'),
	);
}

// ---------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------

let sim: Simulator;
let n8n: ReturnType<typeof createInstance> | undefined;
let runCounter = 0;

/** Runs a workflow and returns the result with the simulator records it caused. */
async function run(workflowId: string): Promise<ExecuteResult & { records: SimRecord[] }> {
	if (!n8n) throw new Error('n8n did not start (see beforeAll)');
	const since = sim.requests.length === 0 ? 0 : sim.requests[sim.requests.length - 1].seq;
	const result: ExecuteResult = await n8n.execute(workflowId, { timeoutMs: EXECUTE_TIMEOUT });
	const records = sim.requests.filter((r) => r.seq > since);
	// Kept for reading after a failure (test-artifacts/ is git-ignored).
	const base = `e2e/${VERSION}/${workflowId}-${++runCounter}`;
	writeArtifact(
		`${base}.out.txt`,
		`exit ${result.exitCode}, ${result.ms} ms\n${result.stdout}\n${result.stderr}`,
	);
	writeArtifact(`${base}.simulator.json`, records);
	if (result.run === undefined) {
		throw new Error(
			`n8n execute printed no run data (exit ${result.exitCode}):\n${result.stdout}\n${result.stderr}`,
		);
	}
	return { ...result, records };
}

/** "exit 0" on success; otherwise the exit code with n8n's error message and description. */
function describeFailure(result: ExecuteResult): string {
	if (result.exitCode === 0) return 'exit 0';
	const error = result.run?.data?.resultData?.error;
	const description = error?.description ? ` (${error.description})` : '';
	return `exit ${result.exitCode}: ${result.error ?? 'no error message'}${description}`;
}

function output(
	result: ExecuteResult,
	nodeName: string,
): Array<{ json: Json; pairedItem?: unknown }> {
	const items: Array<{ json: Json; pairedItem?: unknown }> | undefined = nodeOutput(
		result.run,
		nodeName,
	);
	if (items === undefined)
		throw new Error(`node "${nodeName}" did not run: ${describeFailure(result)}`);
	return items;
}

/** The exact body: compact JSON with exactly the expected fields. */
function expectBody(record: SimRecord, expected: Json) {
	const parsed = JSON.parse(record.body);
	expect(parsed).toStrictEqual(expected);
	expect(record.body).toBe(JSON.stringify(parsed));
	expect(record.headers['content-type']).toMatch(/^application\/json\b/);
}

function expectAllSigned(records: SimRecord[]) {
	for (const record of records) {
		expect({ seq: record.seq, path: record.path, signature: record.signature }).toMatchObject({
			signature: { valid: true },
		});
	}
}

function apiRecords(records: SimRecord[], apiPath: string) {
	return records.filter((r) => r.path === apiPath && !r.tokenRequest);
}

function findByBody(records: SimRecord[], expected: Json): SimRecord {
	const match = records.filter((r) => {
		try {
			return JSON.stringify(JSON.parse(r.body)) === JSON.stringify(expected);
		} catch {
			return false;
		}
	});
	expect(match).toHaveLength(1);
	return match[0];
}

// ---------------------------------------------------------------------------
// suite
// ---------------------------------------------------------------------------

beforeAll(async () => {
	const log = logger(`e2e ${VERSION}`);
	ensureN8n({ version: VERSION, log });
	if (e2eEnv.packageDir === undefined) ensureBuilt({ log });

	// Resources keep the status they were created with, so outputs can be compared with the store.
	sim = await startSimulator({ port: 0, activationDelayMs: null });
	n8n = createInstance({
		version: VERSION,
		name: 'e2e',
		temporary: true,
		packageDir: e2eEnv.packageDir,
		log,
	});
	await n8n.importCredentials([
		credentialFor(sim.url, 'ecdsa'), // the example workflow's credential (UpvestSimCred001)
		credentialFor(sim.url, 'ecdsa', CRED.mixed),
		credentialFor(sim.url, 'ed25519', CRED.invalid),
		credentialFor(sim.url, 'ecdsa', CRED.http),
	]);
	await n8n.importWorkflow([
		mixedWorkflow(),
		invalidWorkflow(),
		httpRequestWorkflow(sim.url),
		example,
	]);
}, INSTALL_TIMEOUT);

afterAll(async () => {
	await n8n?.remove({ keep: e2eEnv.keepInstances });
	await sim?.close();
}, 60_000);

describe(RUNS_ON, () => {
	test(
		'mixed account groups (user and business in one node) and both role variants',
		async () => {
			const result = await run('UpvestE2eMixed001');
			expect(describeFailure(result)).toBe('exit 0');
			expect(result.run).toMatchObject({ status: 'success', mode: 'cli', finished: true });

			// One token for the whole execution, shared by both nodes; every request signed correctly.
			expect(result.records.filter((r) => r.tokenRequest)).toHaveLength(1);
			expect(result.records[0].tokenRequest).toBe(true);
			expect(new URLSearchParams(result.records[0].body).get('scope')).toBe(
				'accounts:admin roles:admin',
			);
			expectAllSigned(result.records);
			expect(result.records.every((r) => r.status === 200)).toBe(true);
			expect(result.records).toHaveLength(1 + ACCOUNT_GROUPS.length + ROLES.length);

			const groups = output(result, 'Create account groups');
			expect(groups).toHaveLength(ACCOUNT_GROUPS.length);
			const groupRecords = apiRecords(result.records, '/account_groups');
			expect(groupRecords).toHaveLength(ACCOUNT_GROUPS.length);
			ACCOUNT_GROUPS.forEach(([, body], i) => {
				const record = findByBody(groupRecords, body);
				expectBody(record, body);
				expect(record.idempotencyKey).toMatch(
					/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
				);
				const created = sim.state.accountGroups.find((g) => g.id === groups[i].json.id);
				expect(groups[i].json).toStrictEqual(created);
				expect(groups[i].json).toMatchObject(body);
				expect(groups[i].json.id).toEqual(expect.any(String));
				expect(groups[i].pairedItem).toEqual({ item: i });
			});
			// Idempotency keys are mapped from the item, so they are all different.
			expect(new Set(groupRecords.map((r) => r.idempotencyKey)).size).toBe(ACCOUNT_GROUPS.length);

			const roles = output(result, 'Create roles');
			expect(roles).toHaveLength(ROLES.length);
			const roleRecords = apiRecords(result.records, '/roles');
			expect(roleRecords).toHaveLength(ROLES.length);
			ROLES.forEach(([, body], i) => {
				expectBody(findByBody(roleRecords, body), body);
				expect(roles[i].json).toMatchObject({ ...body, id: expect.any(String) });
				expect(roles[i].pairedItem).toEqual({ item: i });
			});
		},
		EXECUTE_TIMEOUT + 30_000,
	);

	test(
		'invalid items with Continue On Fail: error items name field and item, nothing sent for them',
		async () => {
			const result = await run('UpvestE2eInvalid001');
			expect(describeFailure(result)).toBe('exit 0');

			const valid = [...INVALID_ACCOUNT_GROUPS, ...INVALID_ROLES].filter(
				([, e]) => !Array.isArray(e),
			);
			expect(result.records.filter((r) => r.tokenRequest)).toHaveLength(1);
			expectAllSigned(result.records);
			// Ed25519 key for this credential.
			expect(result.records.every((r) => r.signature?.keyId === testClient.ed25519.keyId)).toBe(
				true,
			);
			expect(result.records).toHaveLength(1 + valid.length);

			for (const [nodeName, cases, apiPath] of [
				['Create account groups', INVALID_ACCOUNT_GROUPS, '/account_groups'],
				['Create roles', INVALID_ROLES, '/roles'],
			] as const) {
				const items = output(result, nodeName);
				expect(items).toHaveLength(cases.length);
				const records = apiRecords(result.records, apiPath);
				cases.forEach(([, expected], i) => {
					expect(items[i].pairedItem).toEqual({ item: i });
					if (Array.isArray(expected)) {
						const message = String(items[i].json.error ?? '');
						for (const words of expected) expect(message).toContain(words);
						expect(items[i].json.id).toBeUndefined();
					} else {
						expectBody(findByBody(records, expected), expected);
						expect(items[i].json).toMatchObject({ ...expected, id: expect.any(String) });
					}
				});
				// Only the valid items were sent (each found above by its exact body): nothing for the invalid ones.
				expect(records).toHaveLength(cases.filter(([, e]) => !Array.isArray(e)).length);
			}
		},
		EXECUTE_TIMEOUT + 30_000,
	);

	test(
		"n8n's HTTP Request node with the Upvest credential: signed, authorised and created",
		async () => {
			const result = await run('UpvestE2eHttp001');
			expect(describeFailure(result)).toBe('exit 0');

			expect(result.records.filter((r) => r.tokenRequest)).toHaveLength(1);
			expectAllSigned(result.records);
			const created = apiRecords(result.records, '/account_groups');
			expect(created).toHaveLength(1);
			expect(created[0].status).toBe(200);
			expect(created[0].idempotencyKey).toBe(HTTP_REQUEST_REF);
			expect(created[0].headers.authorization).toMatch(/^Bearer \S+$/);
			expectBody(created[0], HTTP_BODY);

			const items = output(result, 'Create via HTTP Request');
			expect(items).toHaveLength(1);
			expect(items[0].json).toMatchObject({ ...HTTP_BODY, id: expect.any(String) });
			expect(sim.state.accountGroups.some((g) => g.id === items[0].json.id)).toBe(true);
		},
		EXECUTE_TIMEOUT + 30_000,
	);

	test(
		'the example workflow "onboard a family" creates a CHILD account group and its GUARDIAN',
		async () => {
			const family = example.nodes.find((n) => n.name === 'Family data') as {
				parameters: { assignments: { assignments: Array<{ name: string; value: string }> } };
			};
			const values = Object.fromEntries(
				family.parameters.assignments.assignments.map((a) => [a.name, a.value]),
			) as { parentUserId: string; childUserId: string };

			const result = await run(example.id);
			expect(describeFailure(result)).toBe('exit 0');
			expect(result.records.filter((r) => r.tokenRequest)).toHaveLength(1);
			expectAllSigned(result.records);
			expect(result.records.map((r) => r.path)).toEqual([
				'/auth/token',
				'/account_groups',
				'/roles',
			]);

			const [group] = output(result, 'Create child account group');
			expect(group.json).toMatchObject({
				id: expect.any(String),
				user_id: values.childUserId,
				type: 'CHILD',
			});
			expectBody(result.records[1], { user_id: values.childUserId, type: 'CHILD' });

			const [guardian] = output(result, 'Add guardian');
			const roleBody = {
				user_id: values.parentUserId,
				entity_type: 'ACCOUNT_GROUP',
				entity_id: group.json.id,
				role_type: 'GUARDIAN',
				custody_type: 'SOLE_CUSTODY',
			};
			expectBody(result.records[2], roleBody);
			expect(guardian.json).toMatchObject({ ...roleBody, id: expect.any(String) });

			// Re-running is safe: the mapped idempotency keys make Upvest replay the first results.
			const again = await run(example.id);
			expect(describeFailure(again)).toBe('exit 0');
			expect(apiRecords(again.records, '/account_groups')[0].idempotencyKey).toBe(
				result.records[1].idempotencyKey,
			);
			expect(output(again, 'Create child account group')[0].json.id).toBe(group.json.id);
			expect(output(again, 'Add guardian')[0].json.id).toBe(guardian.json.id);
		},
		2 * EXECUTE_TIMEOUT + 30_000,
	);
});
