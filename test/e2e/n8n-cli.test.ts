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
import { credentialFor } from '../../scripts/n8n-runtime';
import {
	apiRecords,
	describeFailure,
	executionRunner,
	expectAllSigned,
	expectBody,
	findByBody,
	output,
} from '../support/cli-run';
import {
	ACCOUNT_GROUPS,
	CRED,
	HTTP_BODY,
	HTTP_REQUEST_REF,
	httpRequestWorkflow,
	INVALID_ACCOUNT_GROUPS,
	INVALID_ROLES,
	invalidWorkflow,
	mixedWorkflow,
	ROLES,
} from '../support/cli-workflows';
import { RUNS_ON, useN8nWithSimulator } from '../support/e2e';
import { testClient } from '../support/simulator';

interface WorkflowJson {
	id: string;
	nodes: Array<Record<string, unknown>>;
}

const example: WorkflowJson = exampleJson;
const EXECUTE_TIMEOUT = 120_000;

const setup = useN8nWithSimulator('e2e', {
	// Resources keep the status they were created with, so outputs can be compared with the store.
	simulatorOptions: { activationDelayMs: null },
	credentials: (sim) => [
		credentialFor(sim.url, 'ecdsa'), // the example workflow's credential (UpvestSimCred001)
		credentialFor(sim.url, 'ecdsa', CRED.mixed),
		credentialFor(sim.url, 'ed25519', CRED.invalid),
		credentialFor(sim.url, 'ecdsa', CRED.http),
	],
	workflows: (sim) => [mixedWorkflow(), invalidWorkflow(), httpRequestWorkflow(sim.url), example],
});
const run = executionRunner(setup);

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
				const created = setup.sim.state.accountGroups.find((g) => g.id === groups[i].json.id);
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
			expect(setup.sim.state.accountGroups.some((g) => g.id === items[0].json.id)).toBe(true);
		},
		EXECUTE_TIMEOUT + 30_000,
	);

	test(
		'the example workflow "onboard a family" creates the parent, the child, a CHILD account group and its GUARDIAN',
		async () => {
			const result = await run(example.id);
			expect(describeFailure(result)).toBe('exit 0');
			expect(result.records.filter((r) => r.tokenRequest)).toHaveLength(1);
			expectAllSigned(result.records);
			expect(result.records.map((r) => `${r.method} ${r.path}`)).toEqual([
				'POST /auth/token',
				'POST /users',
				'POST /users',
				'POST /account_groups',
				'POST /roles',
			]);

			const address = {
				address_line1: 'Musterstraße 1',
				postcode: '10115',
				city: 'Berlin',
				country: 'DE',
			};
			const person = (first_name: string, birth_date: string) => ({
				first_name,
				last_name: 'Mustermann',
				birth_date,
				nationalities: ['DE'],
				address,
			});
			expectBody(result.records[1], person('Erika', '1984-08-12'));
			expectBody(result.records[2], person('Lena', '2016-04-23'));
			const [parent] = output(result, 'Create parent');
			const [child] = output(result, 'Create child');
			expect(parent.json).toMatchObject({ ...person('Erika', '1984-08-12'), status: 'INACTIVE' });
			expect(child.json).toMatchObject(person('Lena', '2016-04-23'));

			const [group] = output(result, 'Create child account group');
			expect(group.json).toMatchObject({
				id: expect.any(String),
				user_id: child.json.id,
				type: 'CHILD',
			});
			expectBody(result.records[3], { user_id: child.json.id, type: 'CHILD' });

			const [guardian] = output(result, 'Add guardian');
			const roleBody = {
				user_id: parent.json.id,
				entity_type: 'ACCOUNT_GROUP',
				entity_id: group.json.id,
				role_type: 'GUARDIAN',
				custody_type: 'SOLE_CUSTODY',
			};
			expectBody(result.records[4], roleBody);
			expect(guardian.json).toMatchObject({ ...roleBody, id: expect.any(String) });

			// Re-running is safe: every create is answered from Upvest's idempotency store (derived
			// keys for the users, the mapped ones for the account group and the guardian).
			const again = await run(example.id);
			expect(describeFailure(again)).toBe('exit 0');
			const creates = again.records.filter((r) => !r.tokenRequest);
			expect(creates.map((r) => [r.path, r.replayed])).toEqual([
				['/users', true],
				['/users', true],
				['/account_groups', true],
				['/roles', true],
			]);
			expect(creates.map((r) => r.idempotencyKey)).toEqual(
				result.records.slice(1).map((r) => r.idempotencyKey),
			);
			expect(output(again, 'Create child')[0].json.id).toBe(child.json.id);
			expect(output(again, 'Add guardian')[0].json.id).toBe(guardian.json.id);
		},
		2 * EXECUTE_TIMEOUT + 30_000,
	);
});
