/**
 * End-to-end in a real browser, the create operations: n8n's editor (2.8.4) driven with
 * puppeteer-core and headless Chromium (test/support/editor.ts). The Upvest node's parameters switch
 * in the UI (Owner Type, Entity Type, User → Create's Licence Model, User Check → Create's Check
 * Type), and a workflow started from the editor reaches the local Upvest simulator with a valid
 * signature and shows the created account group in the output panel. Each test has its own
 * workflow.
 *
 * Screenshots of every step go to test-artifacts/browser/create/. docs/editor-upvest-node.png and
 * docs/editor-user-create.png (README) are written when missing or when
 * UPVEST_UPDATE_DOCS_SCREENSHOT=1.
 */
import type { Page } from 'puppeteer-core';

import exampleJson from '../../examples/onboard-a-family.workflow.json';
import { publishToDocs } from '../../scripts/artifacts';
import { e2eEnv } from '../../scripts/e2e-env';
import { SIMULATOR_CREDENTIAL } from '../../scripts/n8n-runtime';
import { chain, manualTrigger, upvestNode, workflow } from '../../scripts/workflows';
import { RUNS_ON } from '../support/e2e';
import { useEditorSession } from '../support/editor';
import {
	choose,
	closeNode,
	closeToasts,
	expectFields,
	openNode,
	outputPanel,
	parameterValue,
	UI_TIMEOUT,
	waitForParameter,
} from '../support/editor-page';
import { chooseMode, locatorState, typeIntoLocator } from '../support/editor-locator';
import { createCheck, createUser } from '../support/onboarding-builders';

type Json = Record<string, unknown>;

const TEST_TIMEOUT = 240_000;

const USER_ID = '413715f2-5401-4b97-8055-034a6b879f8c';
const ACCOUNT_GROUP_NODE = 'Create account group';
const ROLE_NODE = 'Add guardian'; // in the example workflow
const WORKFLOWS = {
	ownerType: 'UpvestBrowserAg001',
	run: 'UpvestBrowserAg002',
	entityType: 'UpvestBrowserRole1',
	roleTypeKept: 'UpvestBrowserRole2',
	licenceModel: 'UpvestBrowserUser1',
	checkType: 'UpvestBrowserCheck1',
};
const USER_NODE = 'Create user';
const CHECK_NODE = 'Submit check';

const BYOL = 'Your Own Licence (BYOL)';
const TOL = 'Upvest’s Licence (TOL)';
/** The fields both licence models ask for. */
const PERSON_FIELDS = {
	licenceModel: 'Licence Model',
	firstName: 'First Name',
	lastName: 'Last Name',
	birthDate: 'Birth Date',
	nationalities: 'Nationalities',
	additionalFields: 'Additional Fields',
};
/** The fields only Upvest's licence asks for. */
const TOL_FIELDS = {
	email: 'Email',
	birthCity: 'Birth City',
	birthCountry: 'Birth Country',
	fatcaStatus: 'US Person (FATCA)',
	fatcaConfirmedAt: 'FATCA Confirmed At',
	termsAndConditionsDocumentId: 'Terms and Conditions: Document ID',
	termsAndConditionsConfirmedAt: 'Terms and Conditions: Confirmed At',
	dataPrivacyAgreementDocumentId: 'Data Privacy and Sharing Agreement: Document ID',
	dataPrivacyAgreementConfirmedAt: 'Data Privacy and Sharing Agreement: Confirmed At',
};
/** User Check → Create: the fields of each check type. */
const CHECK_FIELDS = {
	KYC: {
		provider: 'Provider',
		method: 'Method',
		kycDocumentType: 'Document Type',
		documentExpirationDate: 'Document Expiration Date',
		documentCountry: 'Document Issuing Country',
		dataDownloadLink: 'Data Download Link',
	},
	POR: {
		porDocumentType: 'Document Type',
		issuanceDate: 'Issuance Date',
		dataDownloadLink: 'Data Download Link',
		confirmedAddress: 'Confirmed Address',
	},
	INSTRUMENT_FIT: { suitability: 'Suitable' },
};
const CHECK_TYPES = ['Identity (KYC)', 'Instrument Fit', 'Proof of Residency (POR)'];

/** The names of the fields in `shown` that are not in `kept`. */
const except = (shown: Record<string, string>, kept: Record<string, string>) =>
	Object.keys(shown).filter((name) => !(name in kept));

const ACCOUNT_GROUP_TYPES = ['Child', 'French PEA', 'ISA', 'Legal Entity', 'Personal'];
const BUSINESS_ROLE_TYPES = [
	'Authorised Signatory',
	'Contracting Executive',
	'Legal Representative',
	'Trader',
	'Ultimate Beneficial Owner',
];

/** Start → Create account group: a user's PERSONAL account group for USER_ID. */
function accountGroupWorkflow(id: string, name: string) {
	const credential = { id: SIMULATOR_CREDENTIAL.id, name: SIMULATOR_CREDENTIAL.name };
	const create = upvestNode(
		ACCOUNT_GROUP_NODE,
		[220, 0],
		{
			resource: 'accountGroup',
			operation: 'create',
			ownerType: 'user',
			userId: { __rl: true, mode: 'id', value: USER_ID },
			accountGroupType: 'PERSONAL',
			additionalFields: {},
			options: {},
		},
		credential,
	);
	return workflow(id, name, [manualTrigger(), create], {
		Start: { main: [[{ node: ACCOUNT_GROUP_NODE, type: 'main', index: 0 }]] },
	});
}

/** Start → Create user (User → Create) → Submit check (User Check → Create, KYC). */
function onboardingWorkflow(id: string, name: string) {
	const credential = { id: SIMULATOR_CREDENTIAL.id, name: SIMULATOR_CREDENTIAL.name };
	const user = upvestNode(USER_NODE, [220, 0], createUser('byol'), credential);
	const check = upvestNode(CHECK_NODE, [440, 0], createCheck('KYC'), credential);
	return workflow(id, name, [manualTrigger(), user, check], chain('Start', USER_NODE, CHECK_NODE));
}

const session = useEditorSession('create', {
	workflows: () => [
		onboardingWorkflow(WORKFLOWS.licenceModel, 'Browser E2E: Licence Model'),
		onboardingWorkflow(WORKFLOWS.checkType, 'Browser E2E: Check Type'),
		accountGroupWorkflow(WORKFLOWS.ownerType, 'Browser E2E: Owner Type'),
		accountGroupWorkflow(WORKFLOWS.run, 'Browser E2E: create an account group'),
		{ ...exampleJson, id: WORKFLOWS.entityType, name: 'Browser E2E: Entity Type' },
		{ ...exampleJson, id: WORKFLOWS.roleTypeKept, name: 'Browser E2E: Role Type kept' },
	],
});

const guardianNoticeShown = (page: Page) =>
	page.evaluate(
		() =>
			document
				.querySelector('[data-test-id="node-parameters"]')
				?.textContent?.includes('Role Type: Guardian') ?? false,
	);

/** Picks an Entity Type and waits until the ID field's label follows it. */
async function switchEntityType(page: Page, entityType: string, idLabel: string) {
	const offered = await choose(page, 'entityType', entityType);
	await page.waitForFunction(
		(label) =>
			document
				.querySelector('[data-test-id="node-parameters"] label[for="entityId"]')
				?.textContent?.includes(label),
		{ timeout: UI_TIMEOUT },
		idLabel,
	);
	return offered;
}

describe(`${RUNS_ON}: the editor, create operations`, () => {
	test(
		'Account Group → Create: Owner Type switches between the user fields and Business ID',
		async () => {
			await session.withWorkflow(WORKFLOWS.ownerType, 'owner-type', async (page) => {
				await session.shot(page, '01-canvas');
				await openNode(page, ACCOUNT_GROUP_NODE);

				// As imported: a user's account group.
				expect(await parameterValue(page, 'ownerType')).toBe('User');
				await expectFields(
					page,
					{ ownerType: 'Owner Type', userId: 'User ID', accountGroupType: 'Account Group Type' },
					['businessId'],
				);
				expect(await page.$('[data-test-id="parameter-input-businessId"]')).toBeNull();
				expect(await locatorState(page, 'userId')).toEqual({ mode: 'By ID', value: USER_ID });
				expect(await parameterValue(page, 'accountGroupType')).toBe('Personal');
				await session.shot(page, '02-account-group-user');

				const accountGroupTypes = await choose(page, 'accountGroupType', 'Personal', () =>
					session.shot(page, '03-account-group-type-options'),
				);
				expect(accountGroupTypes).toEqual(ACCOUNT_GROUP_TYPES);

				// Owner Type → Business, through the dropdown.
				const ownerTypes = await choose(page, 'ownerType', 'Business', () =>
					session.shot(page, '04-owner-type-options'),
				);
				expect(ownerTypes).toEqual(['User', 'Business']);
				await waitForParameter(page, 'businessId', true);
				await waitForParameter(page, 'userId', false);
				await expectFields(page, { ownerType: 'Owner Type', businessId: 'Business ID' }, [
					'userId',
					'accountGroupType',
				]);
				expect(await page.$('[data-test-id="parameter-input-accountGroupType"]')).toBeNull();
				await session.shot(page, '05-account-group-business');

				// And back to User.
				await choose(page, 'ownerType', 'User');
				await waitForParameter(page, 'userId', true);
				await waitForParameter(page, 'businessId', false);
				await expectFields(page, { userId: 'User ID', accountGroupType: 'Account Group Type' }, [
					'businessId',
				]);
				// n8n drops the values of parameters it hides, so the User ID may come back empty; enter it again.
				const userIdAfterSwitch = await locatorState(page, 'userId');
				if (userIdAfterSwitch.value !== USER_ID) {
					session.log(
						`User ID after switching Owner Type back to User: ${JSON.stringify(userIdAfterSwitch)} (re-entering it)`,
					);
					if (userIdAfterSwitch.mode !== 'By ID') await chooseMode(page, 'userId', 'By ID');
					await typeIntoLocator(page, 'userId', USER_ID);
				}
				expect(await parameterValue(page, 'accountGroupType')).toBe('Personal');
				await session.shot(page, '06-account-group-user-again');
				await closeNode(page);

				// The editor stored the workflow as it was imported: a user's account group.
				const stored = await session.waitForStoredParameters(
					WORKFLOWS.ownerType,
					ACCOUNT_GROUP_NODE,
					{ userId: { mode: 'id', value: USER_ID } },
				);
				expect(stored.ownerType ?? 'user').toBe('user');
				expect(stored.accountGroupType ?? 'PERSONAL').toBe('PERSONAL');
				expect(stored).not.toHaveProperty('businessId');
			});
		},
		TEST_TIMEOUT,
	);

	test(
		'Role → Create: Entity Type switches the ID label and the role types',
		async () => {
			await session.withWorkflow(WORKFLOWS.entityType, 'entity-type', async (page) => {
				await session.shot(page, '07-example-canvas');
				await openNode(page, ROLE_NODE);

				expect(await parameterValue(page, 'entityType')).toBe('Account Group');
				// Guardian is the only role on an account group: a notice, not a choice.
				await expectFields(
					page,
					{
						entityType: 'Entity Type',
						userId: 'User ID',
						entityId: 'Account Group ID',
						custodyType: 'Custody Type',
					},
					['roleType'],
				);
				expect(await guardianNoticeShown(page)).toBe(true);
				await session.shot(page, '08-role-account-group');

				// Entity Type → Business.
				const entityTypes = await switchEntityType(page, 'Business', 'Business ID');
				expect(entityTypes).toEqual(['Account Group', 'Business']);
				let shown = await expectFields(
					page,
					{
						entityType: 'Entity Type',
						userId: 'User ID',
						entityId: 'Business ID',
						roleType: 'Role Type',
					},
					['custodyType'], // guardians only
				);
				expect(Object.values(shown)).not.toContain('Account Group ID');
				expect(await guardianNoticeShown(page)).toBe(false);
				expect(await parameterValue(page, 'roleType')).toBe('Legal Representative');
				const businessRoles = await choose(page, 'roleType', 'Trader', () =>
					session.shot(page, '10-role-types-business'),
				);
				expect(businessRoles).toEqual(BUSINESS_ROLE_TYPES);
				expect(await parameterValue(page, 'roleType')).toBe('Trader');
				await session.shot(page, '11-role-business');

				// And back to Account Group.
				await switchEntityType(page, 'Account Group', 'Account Group ID');
				// (n8n dropped the hidden Custody Type)
				shown = await expectFields(page, {
					entityId: 'Account Group ID',
					additionalFields: 'Additional Fields',
				});
				expect(Object.values(shown)).not.toContain('Business ID');
				await session.shot(page, '12-role-account-group-again');
				await closeNode(page);
			});
		},
		TEST_TIMEOUT,
	);

	test(
		'Role → Create: switching Entity Type back to Account Group does not keep a business Role Type',
		async () => {
			await session.withWorkflow(WORKFLOWS.roleTypeKept, 'role-type-kept', async (page) => {
				await openNode(page, ROLE_NODE);
				await switchEntityType(page, 'Business', 'Business ID');
				await choose(page, 'roleType', 'Trader');
				await session.waitForStoredParameters(WORKFLOWS.roleTypeKept, ROLE_NODE, {
					entityType: 'business',
					roleType: 'TRADER',
				});
				await switchEntityType(page, 'Account Group', 'Account Group ID');

				// The business Role Type is hidden again, so n8n drops it; the account-group role is
				// always GUARDIAN, shown as a notice.
				await expectFields(page, { entityId: 'Account Group ID' }, ['roleType']);
				expect(await guardianNoticeShown(page)).toBe(true);
				await session.shot(page, '13-role-type-after-switching-back');
				await closeNode(page);
				// Account Group is Entity Type's default, which n8n leaves out.
				const stored = await session.waitForStoredParameters(
					WORKFLOWS.roleTypeKept,
					ROLE_NODE,
					{ resource: 'role' },
					['roleType', 'entityType'],
				);
				expect(stored.entityId).toBe('={{ $json.id }}');
			});
		},
		TEST_TIMEOUT,
	);

	test(
		'User → Create: Licence Model adds the TOL fields (e-mail, birthplace, FATCA, consents) and takes them away again',
		async () => {
			await session.withWorkflow(WORKFLOWS.licenceModel, 'licence-model', async (page) => {
				await openNode(page, USER_NODE);
				expect(await parameterValue(page, 'licenceModel')).toBe(BYOL);
				await expectFields(page, PERSON_FIELDS, Object.keys(TOL_FIELDS));
				await session.shot(page, '16-user-byol');

				const models = await choose(page, 'licenceModel', TOL, () =>
					session.shot(page, '17-licence-models'),
				);
				expect(models).toEqual([BYOL, TOL]);
				await waitForParameter(page, 'email', true);
				const shown = await expectFields(page, { ...PERSON_FIELDS, ...TOL_FIELDS });
				// In the order of Upvest's body: the person, then what the licence adds.
				const order = Object.keys(shown);
				expect(order.indexOf('birthDate')).toBeLessThan(order.indexOf('email'));
				expect(order.indexOf('dataPrivacyAgreementConfirmedAt')).toBeLessThan(
					order.indexOf('additionalFields'),
				);
				const screenshot = await session.panelShot(page, '18-user-tol');
				publishToDocs(screenshot, 'editor-user-create.png', {
					replace: e2eEnv.updateDocsScreenshot,
				});

				await choose(page, 'licenceModel', BYOL);
				await waitForParameter(page, 'email', false);
				await expectFields(page, PERSON_FIELDS, Object.keys(TOL_FIELDS));
				await session.shot(page, '19-user-byol-again');
				await closeNode(page);
			});
		},
		TEST_TIMEOUT,
	);

	test(
		'User Check → Create: Check Type switches between the KYC, POR and Instrument Fit fields',
		async () => {
			await session.withWorkflow(WORKFLOWS.checkType, 'check-type', async (page) => {
				await openNode(page, CHECK_NODE);
				const common = { userId: 'User ID', checkType: 'Check Type' };
				expect(await parameterValue(page, 'checkType')).toBe('Identity (KYC)');
				await expectFields(page, { ...common, ...CHECK_FIELDS.KYC }, [
					...except(CHECK_FIELDS.POR, CHECK_FIELDS.KYC),
					'suitability',
				]);
				await session.shot(page, '20-check-kyc');

				const types = await choose(page, 'checkType', 'Proof of Residency (POR)');
				expect(types).toEqual(CHECK_TYPES);
				await waitForParameter(page, 'issuanceDate', true);
				await expectFields(page, { ...common, ...CHECK_FIELDS.POR }, [
					...except(CHECK_FIELDS.KYC, CHECK_FIELDS.POR),
					'suitability',
				]);
				await session.shot(page, '21-check-por');

				await choose(page, 'checkType', 'Instrument Fit');
				await waitForParameter(page, 'suitability', true);
				await expectFields(page, { ...common, ...CHECK_FIELDS.INSTRUMENT_FIT }, [
					...Object.keys(CHECK_FIELDS.KYC),
					...Object.keys(CHECK_FIELDS.POR),
				]);
				await session.shot(page, '22-check-instrument-fit');
				await closeNode(page);
			});
		},
		TEST_TIMEOUT,
	);

	test(
		'a run started from the editor creates the account group: signed request, output in the node panel',
		async () => {
			await session.withWorkflow(WORKFLOWS.run, 'run', async (page) => {
				const sim = session.sim;
				// Starts from the stored workflow: a user's PERSONAL account group for USER_ID.
				await openNode(page, ACCOUNT_GROUP_NODE);
				expect(await parameterValue(page, 'ownerType')).toBe('User');
				expect((await locatorState(page, 'userId')).value).toBe(USER_ID);
				expect(await parameterValue(page, 'accountGroupType')).toBe('Personal');
				await closeNode(page);

				const groupsBefore = sim.state.accountGroups.length;
				const { outcome, records } = await session.run(page, ACCOUNT_GROUP_NODE, 'run');
				await session.shot(page, '14-run-canvas');
				expect(outcome).toBe('canvas-node-status-success');

				// The simulator saw a signed, valid request with exactly the node's parameters.
				const created = records.filter(
					(record) => record.path === '/account_groups' && !record.tokenRequest,
				);
				expect(created).toHaveLength(1);
				expect(created[0]).toMatchObject({
					method: 'POST',
					status: 200,
					signature: { valid: true },
				});
				expect(created[0].body).toBe(JSON.stringify({ user_id: USER_ID, type: 'PERSONAL' }));
				expect(created[0].headers.authorization).toMatch(/^Bearer \S+$/);
				expect(created[0].idempotencyKey).toMatch(
					/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
				);
				for (const record of records) {
					expect({
						path: record.path,
						status: record.status,
						signature: record.signature,
					}).toMatchObject({ status: 200, signature: { valid: true } });
				}
				expect(sim.state.accountGroups).toHaveLength(groupsBefore + 1);
				const group = sim.state.accountGroups[sim.state.accountGroups.length - 1];
				expect(group).toMatchObject({
					user_id: USER_ID,
					type: 'PERSONAL',
					status: 'PENDING_APPROVAL',
				});

				// The node panel shows the created account group.
				await openNode(page, ACCOUNT_GROUP_NODE);
				const outputText = await outputPanel(page, ['PENDING_APPROVAL', group.id]);
				expect(outputText).toContain('1 item');
				expect(outputText).toContain(String(group.securities_account_number));
				await closeToasts(page);
				const screenshot = await session.shot(page, '15-run-output');
				publishToDocs(screenshot, 'editor-upvest-node.png', {
					replace: e2eEnv.updateDocsScreenshot,
				});

				// n8n recorded it as a manual (editor) execution that succeeded.
				const executions = await session.restGet<{ results: Json[] }>(
					`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: WORKFLOWS.run }))}`,
				);
				expect(executions.results[0]).toMatchObject({
					workflowId: WORKFLOWS.run,
					mode: 'manual',
					status: 'success',
				});
			});
		},
		TEST_TIMEOUT,
	);
});
