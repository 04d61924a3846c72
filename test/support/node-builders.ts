/**
 * What the node suites feed the Upvest node: fixed IDs, the parameter objects of each operation,
 * and input items. The allowed values follow Upvest's API reference (https://docs.upvest.co/).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

/** Lower-case UUIDs as Upvest returns them; each list holds distinct values. */
export const USERS = [
	'413715f2-5401-4b97-8055-034a6b879f8c',
	'5a4f2c1e-8d3b-4e6a-9f7c-2b1d0e3a4c5f',
	'6b5e3d2f-9e4c-4f7b-8a8d-3c2e1f4b5d6a',
	'7c6f4e3a-0f5d-4a8c-9b9e-4d3f2a5c6e7b',
];
export const BUSINESSES = [
	'3fa85f64-5717-4562-b3fc-2c963f66afa6',
	'8d7a5f4b-1a6e-4b9d-8cae-5e4a3b6d7f8c',
];
export const ACCOUNT_GROUPS = [
	'9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d',
	'1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
];
/** A well-formed ID that no test creates or seeds. */
export const UNKNOWN_ID = '00000000-0000-4000-8000-00000000dead';

/** Account group types a user may own (a business owns BUSINESS only). */
export const USER_GROUP_TYPES = ['PERSONAL', 'LEGAL_ENTITY', 'FRENCH_PEA', 'ISA', 'CHILD'];
/** Role types on a business (an account group takes GUARDIAN only). */
export const BUSINESS_ROLE_TYPES = [
	'LEGAL_REPRESENTATIVE',
	'AUTHORISED_SIGNATORY',
	'ULTIMATE_BENEFICIAL_OWNER',
	'CONTRACTING_EXECUTIVE',
	'TRADER',
];
/** Custody types of a GUARDIAN. */
export const CUSTODY_TYPES = ['SOLE_CUSTODY', 'JOINT_CUSTODY'];

/** A distinct user ID per index, so every item of a batch is recognisable. */
export const userId = (index: number): string =>
	`00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;

/** One input item per customer: a text customer ID (for key expressions) and a user ID. */
export const customers = (count: number, from = 0) =>
	Array.from({ length: count }, (_, index) => ({
		customerId: `cust-${String(from + index).padStart(4, '0')}`,
		userId: userId(from + index),
	}));

export const accountGroup = (operation: string, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'accountGroup',
	operation,
	...extra,
});
export const role = (operation: string, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'role',
	operation,
	...extra,
});

/** Create: one PERSONAL account group per item, for the user in `$json.userId`. */
export const groupsByUser = (options: INodeParameters = {}): INodeParameters =>
	accountGroup('create', {
		ownerType: 'user',
		userId: '={{ $json.userId }}',
		accountGroupType: 'PERSONAL',
		options,
	});

/** Create with every field from the input, so each item can be valid or broken on its own. */
export const ACCOUNT_GROUP_FROM_JSON: INodeParameters = accountGroup('create', {
	ownerType: '={{ $json.ownerType }}',
	userId: '={{ $json.userId }}',
	businessId: '={{ $json.businessId }}',
	accountGroupType: '={{ $json.accountGroupType }}',
	additionalFields: { securitiesAccountNumber: '={{ $json.san ?? "" }}' },
});
export const ROLE_FROM_JSON: INodeParameters = role('create', {
	entityType: '={{ $json.entityType }}',
	userId: '={{ $json.userId }}',
	entityId: '={{ $json.entityId }}',
	roleType: '={{ $json.roleType }}',
	additionalFields: { custodyType: '={{ $json.custodyType ?? "" }}' },
});

/** Valid items for the two `*_FROM_JSON` parameter objects. */
export const GOOD_USER_GROUP: IDataObject = {
	ownerType: 'user',
	userId: USERS[0],
	accountGroupType: 'PERSONAL',
};
export const GOOD_BUSINESS_GROUP: IDataObject = {
	ownerType: 'business',
	businessId: BUSINESSES[0],
};
export const GOOD_GUARDIAN: IDataObject = {
	entityType: 'accountGroup',
	userId: USERS[0],
	entityId: ACCOUNT_GROUPS[0],
	roleType: 'GUARDIAN',
};
export const GOOD_BUSINESS_ROLE: IDataObject = {
	entityType: 'business',
	userId: USERS[1],
	entityId: BUSINESSES[0],
	roleType: 'TRADER',
};

/**
 * Jest timeout for tests that run many n8n executions or wait out retry backoffs: they take a few
 * seconds on an idle machine and many times that on two shared, busy cores.
 */
export const SLOW_TEST_MS = 60_000;
