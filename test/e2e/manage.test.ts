/**
 * End-to-end: the whole onboarding loop in a real n8n (2.8.4, or UPVEST_N8N_VERSION), run with
 * `n8n execute` against the Upvest simulator: create account groups and their guardians, find them
 * again with Get Many, get each one, then close one group and deactivate one role. One credential
 * for all workflows, so later executions reuse the access token n8n stored.
 */
import { credentialFor, nodeOutput } from '../../scripts/n8n-runtime';
import { chain, itemsSource, manualTrigger, upvestNode, workflow } from '../../scripts/workflows';
import { executionRunner } from '../support/cli-run';
import { RUNS_ON, useN8nWithSimulator } from '../support/e2e';

type Json = Record<string, unknown>;

const EXECUTE_TIMEOUT = 120_000;

const CREDENTIAL = { id: 'UpvestManageCred1', name: 'E2E manage' };
const FAMILIES = [
	{ child: '11111111-1111-4111-8111-000000000001', parent: '22222222-2222-4222-8222-000000000001' },
	{ child: '11111111-1111-4111-8111-000000000002', parent: '22222222-2222-4222-8222-000000000002' },
	{ child: '11111111-1111-4111-8111-000000000003', parent: '22222222-2222-4222-8222-000000000003' },
];

/** Start → families → create a CHILD group per child → a GUARDIAN role for the parent on it. */
function onboardWorkflow() {
	return workflow(
		'UpvestE2eOnboard1',
		'E2E: onboard families',
		[
			manualTrigger(),
			...itemsSource('Families', FAMILIES),
			upvestNode(
				'Create child groups',
				[660, 0],
				{
					resource: 'accountGroup',
					operation: 'create',
					ownerType: 'user',
					userId: '={{ $json.child }}',
					accountGroupType: 'CHILD',
				},
				CREDENTIAL,
			),
			upvestNode(
				'Add guardians',
				[880, 0],
				{
					resource: 'role',
					operation: 'create',
					entityType: 'accountGroup',
					userId: "={{ $('Families items').item.json.parent }}",
					// As the editor saves a resource locator with an expression in "By ID".
					entityId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
					additionalFields: { custodyType: 'JOINT_CUSTODY' },
				},
				CREDENTIAL,
			),
		],
		chain('Start', 'Families data', 'Families items', 'Create child groups', 'Add guardians'),
	);
}

/** Get Many account groups of one child, then Get each of them by ID; Get Many roles of a parent. */
function lookUpWorkflow() {
	const findGroups = upvestNode(
		'Find the child’s groups',
		[220, 0],
		{
			resource: 'accountGroup',
			operation: 'getAll',
			ownedBy: 'user',
			userId: FAMILIES[1].child,
			returnAll: true,
		},
		CREDENTIAL,
	);
	const getGroup = upvestNode(
		'Get each group',
		[440, 0],
		{
			resource: 'accountGroup',
			operation: 'get',
			accountGroupId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
		},
		CREDENTIAL,
	);
	const findRoles = upvestNode(
		'Find the parent’s roles',
		[660, 0],
		{
			resource: 'role',
			operation: 'getAll',
			returnAll: false,
			limit: 10,
			filters: { userId: FAMILIES[1].parent },
		},
		CREDENTIAL,
		{ executeOnce: true },
	);
	return workflow(
		'UpvestE2eLookUp01',
		'E2E: look up account groups and roles',
		[manualTrigger(), findGroups, getGroup, findRoles],
		chain('Start', findGroups.name, getGroup.name, findRoles.name),
	);
}

/** Close one account group and deactivate one role, both picked by ID. */
function cleanUpWorkflow(groupId: string, roleId: string) {
	const close = upvestNode(
		'Close group',
		[220, 0],
		{
			resource: 'accountGroup',
			operation: 'close',
			accountGroupId: { __rl: true, mode: 'list', value: groupId },
		},
		CREDENTIAL,
	);
	const deactivate = upvestNode(
		'Deactivate role',
		[440, 0],
		{ resource: 'role', operation: 'deactivate', roleId },
		CREDENTIAL,
		{ executeOnce: true },
	);
	return workflow(
		'UpvestE2eCleanUp01',
		'E2E: close a group, deactivate a role',
		[manualTrigger(), close, deactivate],
		chain('Start', close.name, deactivate.name),
	);
}

/** Deactivate one role by ID; the workflow fails when Upvest refuses. */
function deactivateWorkflow(roleId: string) {
	const deactivate = upvestNode(
		'Deactivate role',
		[220, 0],
		{ resource: 'role', operation: 'deactivate', roleId },
		CREDENTIAL,
	);
	return workflow(
		'UpvestE2eDeactiv1',
		'E2E: deactivate a role',
		[manualTrigger(), deactivate],
		chain('Start', deactivate.name),
	);
}

const setup = useN8nWithSimulator('e2e-manage', {
	// Statuses change only when a test moves them, so outputs can be compared with the store.
	simulatorOptions: { activationDelayMs: null, closeDelayMs: null },
	credentials: (sim) => [credentialFor(sim.url, 'ed25519', CREDENTIAL)],
	workflows: () => [onboardWorkflow(), lookUpWorkflow()],
});

const run = executionRunner(setup);

async function execute(workflowId: string) {
	const result = await run(workflowId);
	const { records } = result;
	if (result.exitCode !== 0) {
		throw new Error(
			`${workflowId} failed (exit ${result.exitCode}): ${result.error ?? result.stderr}`,
		);
	}
	const output = (name: string): Json[] =>
		(nodeOutput(result.run, name) ?? []).map((item: { json: Json }) => item.json);
	for (const record of records) expect(record.signature?.valid).toBe(true);
	return { records, output };
}

describe(RUNS_ON, () => {
	test(
		'create, find again, get, close and deactivate: the onboarding loop in one n8n',
		async () => {
			const { sim, n8n } = setup;
			const onboard = await execute('UpvestE2eOnboard1');
			const groups = onboard.output('Create child groups');
			const roles = onboard.output('Add guardians');
			expect(groups.map((group) => group.type)).toEqual(['CHILD', 'CHILD', 'CHILD']);
			expect(roles.map((role) => [role.user_id, role.entity_id, role.custody_type])).toEqual(
				FAMILIES.map((family, index) => [family.parent, groups[index].id, 'JOINT_CUSTODY']),
			);
			expect(onboard.records.filter((record) => record.tokenRequest)).toHaveLength(1);

			// Look up: the second child's group, each got by ID, and the second parent's role.
			sim.setStatus({ accountGroupId: String(groups[1].id), status: 'ACTIVE' });
			const lookUp = await execute('UpvestE2eLookUp01');
			expect(lookUp.records.filter((record) => record.tokenRequest)).toHaveLength(0);
			const found = lookUp.output('Find the child’s groups');
			expect(found.map((group) => group.id)).toEqual([groups[1].id]);
			const got = lookUp.output('Get each group');
			expect(got).toEqual([expect.objectContaining({ id: groups[1].id, status: 'ACTIVE' })]);
			expect(lookUp.output('Find the parent’s roles')).toEqual([
				expect.objectContaining({ id: roles[1].id, user_id: FAMILIES[1].parent }),
			]);
			expect(lookUp.records.map((record) => `${record.method} ${record.path}`)).toEqual([
				`GET /users/${FAMILIES[1].child}/account_groups`,
				`GET /account_groups/${String(groups[1].id)}`,
				'GET /roles',
			]);

			// Clean up: close the first group, deactivate a business role (Upvest deactivates
			// business roles only; both calls answer 202 without a body).
			const [businessRole] = sim.seed({ roles: { count: 1, entityType: 'BUSINESS' } }).roles;
			await n8n.importWorkflow(cleanUpWorkflow(String(groups[0].id), businessRole));
			const cleanUp = await execute('UpvestE2eCleanUp01');
			expect(cleanUp.output('Close group')).toEqual([
				expect.objectContaining({ id: groups[0].id, closeRequested: true }),
			]);
			expect(cleanUp.output('Deactivate role')).toEqual([
				expect.objectContaining({ id: businessRole, deactivated: true }),
			]);
			expect(sim.state.accountGroups.map((group) => group.status)).toEqual([
				'CLOSING',
				'ACTIVE',
				'PENDING_APPROVAL',
			]);
			expect(sim.state.roles.map((role) => role.status)).toEqual([
				'PENDING',
				'PENDING',
				'PENDING',
				'DEACTIVATED',
			]);
		},
		3 * EXECUTE_TIMEOUT,
	);

	test(
		'deactivating a guardian’s role fails with Upvest’s real reason, not with a scope to add',
		async () => {
			const { sim, n8n } = setup;
			const [guardianRole] = sim.seed({ roles: { count: 1, entityType: 'ACCOUNT_GROUP' } }).roles;
			await n8n.importWorkflow(deactivateWorkflow(guardianRole));
			const result = await run('UpvestE2eDeactiv1');
			expect(result.exitCode).not.toBe(0);
			const error = result.run?.data?.resultData?.error;
			expect(error?.message).toBe(
				'Upvest answered 403 Forbidden: Upvest deactivates business roles only [item 0]',
			);
			expect(error?.description).toContain('This role is on an account group (a guardian)');
			expect(error?.description).not.toContain('Scopes');
			expect(sim.state.roles.find((role) => role.id === guardianRole)?.status).toBe('ACTIVE');
		},
		EXECUTE_TIMEOUT,
	);
});
