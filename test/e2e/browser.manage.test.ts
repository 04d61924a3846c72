/**
 * End-to-end in a real browser (test/support/editor.ts), the read and manage operations in n8n's
 * editor: the Operation selector and canvas subtitle, the Account Group ID picker (From list with
 * the simulator's account groups and its search, By ID with n8n's validation), the Get Many fields,
 * a workflow saved when Account Group ID was a text field, and runs started from the editor. Each
 * test has its own workflow and account groups, and puts back what it changes. Screenshots go to
 * test-artifacts/browser/manage/; docs/editor-account-group-picker.png is written when it is
 * missing or when UPVEST_UPDATE_DOCS_SCREENSHOT=1.
 */
import type { Page } from 'puppeteer-core';

import { publishToDocs } from '../../scripts/artifacts';
import { e2eEnv } from '../../scripts/e2e-env';
import { SIMULATOR_CREDENTIAL } from '../../scripts/n8n-runtime';
import { manualTrigger, upvestNode, workflow } from '../../scripts/workflows';
import { RUNS_ON } from '../support/e2e';
import { useEditorSession } from '../support/editor';
import {
	choose,
	closeNode,
	closeToasts,
	collectionChoices,
	expectFields,
	nodeSubtitle,
	openNode,
	outputPanel,
	parameterValue,
	setSwitch,
	waitForParameter,
} from '../support/editor-page';
import {
	chooseMode,
	locatorState,
	openList,
	parameterIssues,
	pickListItem,
	searchList,
	typeIntoLocator,
	waitForListItems,
} from '../support/editor-locator';
import type { Resource, SimulatorRecord } from '../support/simulator';

const TEST_TIMEOUT = 240_000;
const SUCCESS = 'canvas-node-status-success';
const DAY = 86_400_000;

const WORKFLOWS = {
	operations: 'UpvestBrowserOps01',
	get: 'UpvestBrowserGet01',
	list: 'UpvestBrowserList01',
	legacy: 'UpvestBrowserLegacy1',
};
const NODES = {
	accountGroups: 'Account groups',
	roles: 'Roles',
	get: 'Get account group',
	list: 'List account groups',
	guardian: 'Add guardian',
};
const GUARDIAN_USER_ID = '6a1f0c3e-2b4d-4c5e-8f70-91a2b3c4d5e6';
/** The Account Group ID of the workflow saved when that field was plain text. */
const LEGACY_GROUP_ID = '5e7d1c2a-9b3f-4e6d-8a1b-2c3d4e5f6a7b';
const OPTIONS = ['Concurrency', 'Max Attempts', 'Order', 'Sort By'];

const credential = { id: SIMULATOR_CREDENTIAL.id, name: SIMULATOR_CREDENTIAL.name };
const node = (name: string, parameters: object, y = 0) =>
	upvestNode(name, [220, y], parameters, credential);

/** Start → each node (all on the manual trigger). */
function startWith(id: string, name: string, nodes: Array<ReturnType<typeof upvestNode>>) {
	const targets = nodes.map(({ name: target }) => ({ node: target, type: 'main', index: 0 }));
	return workflow(id, name, [manualTrigger(), ...nodes], { Start: { main: [targets] } });
}

const session = useEditorSession('manage', {
	workflows: () => [
		startWith(WORKFLOWS.operations, 'Browser E2E: operations', [
			node(NODES.accountGroups, { resource: 'accountGroup', operation: 'getAll' }, -100),
			node(NODES.roles, { resource: 'role', operation: 'getAll' }, 100),
		]),
		startWith(WORKFLOWS.get, 'Browser E2E: get an account group', [
			node(NODES.get, { resource: 'accountGroup', operation: 'get' }),
		]),
		startWith(WORKFLOWS.list, 'Browser E2E: list account groups', [
			node(NODES.list, { resource: 'accountGroup', operation: 'getAll' }),
		]),
		startWith(WORKFLOWS.legacy, 'Browser E2E: guardian saved with a text Account Group ID', [
			node(NODES.guardian, {
				resource: 'role',
				operation: 'create',
				entityType: 'accountGroup',
				userId: GUARDIAN_USER_ID,
				entityId: LEGACY_GROUP_ID, // as saved before Account Group ID became a resource locator
				additionalFields: {},
				options: {},
			}),
		]),
	],
});

/** The simulator's account group `id`. */
function group(id: string): Resource {
	const found = session.sim.state.accountGroups.find((candidate) => candidate.id === id);
	if (!found) throw new Error(`the simulator has no account group ${id}`);
	return found;
}

/** How "From list" names an account group: type, status, creation date and the ID's start. */
const listName = (id: string) => {
	const { type, status, created_at: created } = group(id);
	return `${String(type)} · ${status} · created ${String(created).slice(0, 10)} · ${id.slice(0, 8)}…`;
};

/** Every account group of the simulator as "From list" names them: newest first, its first page. */
function expectedList(filter: (resource: Resource) => boolean = () => true) {
	return [...session.sim.state.accountGroups]
		.filter(filter)
		.sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)))
		.slice(0, 100)
		.map((resource) => listName(resource.id));
}

/** The node's subtitle on the canvas reads `text` (n8n's generic "<operation>: <resource>"). */
async function expectSubtitle(page: Page, nodeName: string, text: string) {
	expect(await nodeSubtitle(page, nodeName, text)).toBe(text);
}

/** Every request went through with a valid signature. */
function expectAllSigned(records: SimulatorRecord[]) {
	for (const { path, status, signature } of records)
		expect({ path, status, signature }).toMatchObject({ status: 200, signature: { valid: true } });
}

describe(`${RUNS_ON}: the editor, read and manage operations`, () => {
	test(
		'the Operation selector lists each resource’s operations; the canvas subtitle follows the operation',
		async () => {
			await session.withWorkflow(WORKFLOWS.operations, 'operations', async (page) => {
				await expectSubtitle(page, NODES.accountGroups, 'getAll: accountGroup');
				await expectSubtitle(page, NODES.roles, 'getAll: role');
				await session.shot(page, '01-operations-canvas');

				await openNode(page, NODES.accountGroups);
				expect(await parameterValue(page, 'operation')).toBe('Get Many');
				const groupOperations = await choose(page, 'operation', 'Get', () =>
					session.shot(page, '02-account-group-operations'),
				);
				expect(groupOperations).toEqual(['Close', 'Create', 'Get', 'Get Many']);
				await expectSubtitle(page, NODES.accountGroups, 'get: accountGroup');
				await expectFields(page, { accountGroupId: 'Account Group ID' }, ['ownedBy', 'limit']);
				await choose(page, 'operation', 'Get Many');
				await expectSubtitle(page, NODES.accountGroups, 'getAll: accountGroup');
				await expectFields(
					page,
					{ ownedBy: 'Owned By', returnAll: 'Return All', limit: 'Limit', options: 'Options' },
					['accountGroupId'],
				);
				expect(await collectionChoices(page, 'options')).toEqual(OPTIONS);
				await closeNode(page);
				await session.waitForStoredParameters(WORKFLOWS.operations, NODES.accountGroups, {
					operation: 'getAll',
				});

				await openNode(page, NODES.roles);
				const roleOperations = await choose(page, 'operation', 'Get Many', () =>
					session.shot(page, '03-role-operations'),
				);
				expect(roleOperations).toEqual(['Create', 'Deactivate', 'Get', 'Get Many']);
				await expectFields(
					page,
					{ returnAll: 'Return All', limit: 'Limit', filters: 'Filters', options: 'Options' },
					['ownedBy'],
				);
				expect(await collectionChoices(page, 'filters')).toEqual(['Entity ID', 'User ID']);
				expect(await collectionChoices(page, 'options')).toEqual(OPTIONS);
				await closeNode(page);
				await expectSubtitle(page, NODES.roles, 'getAll: role');
			});
		},
		TEST_TIMEOUT,
	);

	test(
		'Account Group → Get: Account Group ID from the list (searchable) or by ID (validated); the run outputs the picked group',
		async () => {
			const sim = session.sim;
			const seed = (type: string, status: string, count: number, createdFrom: string) =>
				sim.seed({ accountGroups: { count, type, status, createdFrom, spacingMs: DAY } })
					.accountGroups;
			const children = seed('CHILD', 'ACTIVE', 2, '2025-03-01T09:00:00.000Z');
			const isas = seed('ISA', 'PENDING_APPROVAL', 2, '2025-04-01T09:00:00.000Z');
			const personal = seed('PERSONAL', 'CLOSED', 1, '2025-05-01T09:00:00.000Z');
			const seeded = [...personal, ...isas.reverse(), ...children.reverse()].map(listName);
			const picked = children[1];

			await session.withWorkflow(WORKFLOWS.get, 'get', async (page) => {
				await openNode(page, NODES.get);
				await expectFields(page, { accountGroupId: 'Account Group ID' });
				expect(await locatorState(page, 'accountGroupId')).toEqual({
					mode: 'From list',
					value: '',
				});
				// n8n names its standard modes itself ("From list", not the node's "From List").
				expect(await chooseMode(page, 'accountGroupId', 'From list')).toEqual([
					'From list',
					'By ID',
				]);

				// From list: the simulator's account groups, newest first, with type, status and date.
				const all = expectedList();
				await openList(page, 'accountGroupId');
				const items = await waitForListItems(page, all);
				const picker = await session.shot(page, '04-account-group-picker');
				publishToDocs(picker, 'editor-account-group-picker.png', {
					replace: e2eEnv.updateDocsScreenshot,
				});
				expect(items).toEqual(all);
				expect(items.filter((item) => seeded.includes(item))).toEqual(seeded);

				// The search box narrows the list: by type, then by part of an ID.
				await searchList(page, 'ISA');
				const isaList = expectedList((resource) => resource.type === 'ISA');
				expect(await waitForListItems(page, isaList)).toEqual(isaList);
				await searchList(page, picked.slice(0, 13));
				const one = [listName(picked)];
				expect(await waitForListItems(page, one)).toEqual(one);
				await session.shot(page, '05-account-group-picker-search');
				await pickListItem(page, listName(picked));
				// The field shows the entry's name; the full ID is what n8n stores.
				expect((await locatorState(page, 'accountGroupId')).value).toBe(listName(picked));
				await session.waitForStoredParameters(WORKFLOWS.get, NODES.get, {
					accountGroupId: { __rl: true, mode: 'list', value: picked },
				});

				// By ID: n8n checks the node's UUID pattern as you type.
				await chooseMode(page, 'accountGroupId', 'By ID');
				await typeIntoLocator(page, 'accountGroupId', 'not-a-uuid');
				const invalid = ['Not a valid UUID'];
				expect(await parameterIssues(page, 'accountGroupId', invalid)).toEqual(invalid);
				await session.shot(page, '06-account-group-by-id-invalid');
				await session.waitForStoredParameters(WORKFLOWS.get, NODES.get, {
					accountGroupId: { __rl: true, mode: 'id', value: 'not-a-uuid' },
				});
				await typeIntoLocator(page, 'accountGroupId', picked);
				expect(await parameterIssues(page, 'accountGroupId', [])).toEqual([]);

				// Back to the list, and the same account group picked again.
				await chooseMode(page, 'accountGroupId', 'From list');
				await openList(page, 'accountGroupId');
				await searchList(page, picked.slice(0, 13));
				expect(await waitForListItems(page, one)).toEqual(one);
				await pickListItem(page, listName(picked));
				await session.waitForStoredParameters(WORKFLOWS.get, NODES.get, {
					accountGroupId: { __rl: true, mode: 'list', value: picked },
				});
				await closeNode(page);

				// The run reads that account group.
				const { outcome, records } = await session.run(page, NODES.get, 'get');
				expect(outcome).toBe(SUCCESS);
				expectAllSigned(records);
				expect(records.filter((record) => !record.tokenRequest)).toMatchObject([
					{ method: 'GET', path: `/account_groups/${picked}`, status: 200 },
				]);
				await openNode(page, NODES.get);
				const output = await outputPanel(page, [picked, 'CHILD', 'ACTIVE']);
				expect(output).toContain('1 item');
				await closeToasts(page);
				await session.shot(page, '07-account-group-get-output');
			});
		},
		TEST_TIMEOUT,
	);

	test(
		'Account Group → Get Many: Owned By switches User ID and Business ID, Return All hides Limit; the run lists every account group',
		async () => {
			const sim = session.sim;
			sim.seed({ accountGroups: { count: 30, type: 'PERSONAL' } });
			const pageSizeBefore = sim.config.maxPageSize;
			sim.setConfig({ maxPageSize: 10 }); // the node has to page through the list
			try {
				await session.withWorkflow(WORKFLOWS.list, 'get-many', async (page) => {
					await openNode(page, NODES.list);
					expect(await parameterValue(page, 'ownedBy')).toBe('Anyone');
					await expectFields(
						page,
						{ ownedBy: 'Owned By', returnAll: 'Return All', limit: 'Limit' },
						['userId', 'businessId'],
					);
					expect(await parameterValue(page, 'limit')).toBe('50');

					const owners = await choose(page, 'ownedBy', 'A User', () =>
						session.shot(page, '08-owned-by-options'),
					);
					expect(owners).toEqual(['Anyone', 'A User', 'A Business']);
					await waitForParameter(page, 'userId', true);
					await expectFields(page, { userId: 'User ID' }, ['businessId']);
					await session.shot(page, '09-owned-by-user');

					await choose(page, 'ownedBy', 'A Business');
					await waitForParameter(page, 'businessId', true);
					await waitForParameter(page, 'userId', false);
					await expectFields(page, { businessId: 'Business ID' }, ['userId']);
					await session.shot(page, '10-owned-by-business');

					await choose(page, 'ownedBy', 'Anyone');
					await waitForParameter(page, 'businessId', false);
					await expectFields(page, { ownedBy: 'Owned By' }, ['userId', 'businessId']);

					await setSwitch(page, 'returnAll', true);
					await waitForParameter(page, 'limit', false);
					await expectFields(page, { returnAll: 'Return All' }, ['limit']);
					await setSwitch(page, 'returnAll', false);
					await waitForParameter(page, 'limit', true);
					expect(await parameterValue(page, 'limit')).toBe('50');
					await setSwitch(page, 'returnAll', true);
					await waitForParameter(page, 'limit', false);
					await session.shot(page, '11-return-all');
					await closeNode(page);
					await session.waitForStoredParameters(WORKFLOWS.list, NODES.list, { returnAll: true }, [
						'limit',
						'userId',
						'businessId',
					]);

					// Return All pages through every account group (oldest first, the default order).
					const total = sim.state.accountGroups.length;
					const { outcome, records } = await session.run(page, NODES.list, 'get-many');
					expect(outcome).toBe(SUCCESS);
					expectAllSigned(records);
					const pages = records.filter((record) => record.path === '/account_groups');
					expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(total / 10));
					await openNode(page, NODES.list);
					const [oldest] = [...sim.state.accountGroups]
						.sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)))
						.map((resource) => resource.id);
					const output = await outputPanel(page, [oldest]);
					expect(output).toContain(`${total} items`);
					await closeToasts(page);
					await session.shot(page, '12-get-many-output');

					// Put the node back as imported.
					await setSwitch(page, 'returnAll', false);
					await closeNode(page);
					await session.waitForStoredParameters(WORKFLOWS.list, NODES.list, {}, ['returnAll']);
				});
			} finally {
				sim.setConfig({ maxPageSize: pageSizeBefore });
			}
		},
		TEST_TIMEOUT,
	);

	test(
		'Role → Create saved with a plain-text Account Group ID: the editor shows it, a run from the editor creates the role on it',
		async () => {
			const sim = session.sim;
			await session.withWorkflow(WORKFLOWS.legacy, 'legacy-entity-id', async (page) => {
				await openNode(page, NODES.guardian);
				await expectFields(page, { entityId: 'Account Group ID' });
				const state = await locatorState(page, 'entityId');
				session.log(
					`saved text Account Group ID shows with mode "${state.mode}" (empty: none selected)`,
				);
				expect(state.value).toBe(LEGACY_GROUP_ID);
				expect(['', 'By ID', 'From list']).toContain(state.mode);
				expect(await parameterIssues(page, 'entityId', [])).toEqual([]);
				await session.shot(page, '13-legacy-account-group-id');
				await closeNode(page);

				const rolesBefore = sim.state.roles.length;
				const { outcome, records } = await session.run(page, NODES.guardian, 'legacy');
				expect(outcome).toBe(SUCCESS);
				expectAllSigned(records);
				const created = records.filter((record) => record.path === '/roles');
				expect(created).toHaveLength(1);
				expect(JSON.parse(created[0].body)).toEqual({
					user_id: GUARDIAN_USER_ID,
					entity_type: 'ACCOUNT_GROUP',
					entity_id: LEGACY_GROUP_ID,
					role_type: 'GUARDIAN',
				});
				expect(sim.state.roles).toHaveLength(rolesBefore + 1);
				const role = sim.state.roles[sim.state.roles.length - 1];
				expect(role).toMatchObject({ entity_id: LEGACY_GROUP_ID, role_type: 'GUARDIAN' });

				await openNode(page, NODES.guardian);
				expect(await outputPanel(page, [role.id, LEGACY_GROUP_ID])).toContain('1 item');
				await closeToasts(page);
				await session.shot(page, '14-legacy-run-output');
				await closeNode(page);
				// Opening and running it did not rewrite the saved value.
				await session.waitForStoredParameters(WORKFLOWS.legacy, NODES.guardian, {
					entityId: LEGACY_GROUP_ID,
				});
			});
		},
		TEST_TIMEOUT,
	);
});
