/**
 * The workflows of the n8n CLI end-to-end file (test/e2e/n8n-cli.test.ts) and the exact request
 * each input item must produce: mixed create variants chosen by expressions, invalid items with
 * Continue On Fail, and n8n's HTTP Request node signed by the Upvest credential.
 */
import {
	chain,
	itemsSource,
	manualTrigger as trigger,
	mergeConnections,
	upvestNode,
	workflow,
	workflowNode as node,
} from '../../scripts/workflows';

type Json = Record<string, unknown>;

// Fixed IDs so failures are easy to read. All valid UUIDs (version 4).
export const U = {
	alice: '413715f2-5401-4b97-8055-034a6b879f8c',
	bob: '5a4f2c1e-8d3b-4e6a-9f7c-2b1d0e3a4c5f',
	carol: '6b5e3d2f-9e4c-4f7b-8a8d-3c2e1f4b5d6a',
	dave: '7c6f4e3a-0f5d-4a8c-9b9e-4d3f2a5c6e7b',
	biz1: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
	biz2: '8d7a5f4b-1a6e-4b9d-8cae-5e4a3b6d7f8c',
	group1: '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d',
	group2: 'ae2fec5e-4c8e-4cbe-8cee-3c1e8c4edc7e',
};

export const CRED = {
	mixed: { id: 'UpvestE2eCred001', name: 'E2E mixed items' },
	invalid: { id: 'UpvestE2eCred002', name: 'E2E invalid items (Ed25519)' },
	http: { id: 'UpvestE2eCred003', name: 'E2E HTTP Request node' },
};

// ---------------------------------------------------------------------------
// workflow builders
// ---------------------------------------------------------------------------

/** Account group parameters taken entirely from the item, so one node serves users and businesses. */
export const accountGroupFromItem = {
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
export const roleFromItem = {
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
export const ACCOUNT_GROUPS: Array<[Json, Json]> = [
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

export const ROLES: Array<[Json, Json]> = [
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

export function mixedWorkflow() {
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

// Invalid items: [input item, expected body or the words the error must contain: the field, the
// kind of value it got (never the value) and the item]
export const INVALID_ACCOUNT_GROUPS: Array<[Json, Json | string[]]> = [
	[
		{ ref: 'inv-ok-1', ownerType: 'user', userId: U.alice, accountGroupType: 'PERSONAL' },
		{ user_id: U.alice, type: 'PERSONAL' },
	],
	[
		{ ref: 'inv-bad-user', ownerType: 'user', userId: 'not-a-uuid', accountGroupType: 'PERSONAL' },
		['User ID', 'text of 10 characters', '[item 1]'],
	],
	[
		{ ref: 'inv-bad-owner', ownerType: 'robot', userId: U.bob },
		['Owner Type', 'text of 5 characters', '[item 2]'],
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
		['Securities Account Number', 'text of 5 characters', '[item 4]'],
	],
	[
		{ ref: 'inv-no-business', ownerType: 'business', businessId: '' },
		['Business ID', 'empty', '[item 5]'],
	],
	[
		{ ref: 'inv-bad-type', ownerType: 'user', userId: U.dave, accountGroupType: 'SAVINGS' },
		['Account Group Type', 'text of 7 characters', '[item 6]'],
	],
];

export const INVALID_ROLES: Array<[Json, Json | string[]]> = [
	[
		{
			ref: 'inv-r-guardian-on-business',
			entityType: 'business',
			userId: U.alice,
			entityId: U.biz1,
			roleType: 'GUARDIAN',
		},
		['Role Type', 'text of 8 characters', '[item 0]'],
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
		['Custody Type', 'text of 6 characters', '[item 3]'],
	],
];

export function invalidWorkflow() {
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

export const HTTP_REQUEST_REF = 'c0ffee00-1234-4abc-8def-0123456789ab';
export const HTTP_BODY = { user_id: U.alice, type: 'LEGAL_ENTITY' };

export function httpRequestWorkflow(simulatorUrl: string) {
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
