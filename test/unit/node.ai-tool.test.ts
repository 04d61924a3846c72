/**
 * The Upvest node as an AI agent's tool (`usableAsTool`): every operation names its action and
 * says what it does, and every operation runs when each of its fields is mapped from the input
 * item, the way n8n fills a tool's fields from the model's answer. One run per operation against
 * the simulator, through n8n-core's real execution.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	PRIVACY_DOCUMENT,
	TERMS_DOCUMENT,
	createCheck,
	createIdentifier,
	customer,
	setTaxResidencies,
} from '../support/onboarding-builders';
import { useOnboardingSuite } from '../support/onboarding-runs';
import { mappedParameters, toolOperations } from '../support/tool-parameters';

const { node, runs } = useOnboardingSuite(40);

const { resources, operations } = toolOperations();

describe('what an agent is told', () => {
	test('every resource has operations, each with an action and a description', () => {
		expect(resources.map((resource) => resource.value).sort()).toEqual(
			[...new Set(operations.map((entry) => entry.resource))].sort(),
		);
		for (const { resource, operation, option } of operations) {
			const where = `${resource} → ${operation}`;
			// A verb and what it acts on, e.g. "Get many accounts".
			expect([where, option.action]).toEqual([where, expect.stringMatching(/^[A-Z][a-z]+ \w.+/)]);
			expect([where, String(option.description).length > 20]).toEqual([where, true]);
		}
		// The agent picks a tool by its action: no two may read the same.
		const actions = operations.map((entry) => String(entry.option.action).toLowerCase());
		expect(new Set(actions).size).toBe(actions.length);
	});

	test('every operation is in the table below, so each gets its run', () => {
		expect(operations.map(({ resource, operation }) => `${resource}.${operation}`).sort()).toEqual(
			Object.keys(VALUES).sort(),
		);
	});
});

/** What the node's runs need to exist first; seeded, so every test starts from the same world. */
interface World {
	userId: string;
	businessId: string;
	accountGroupId: string;
	accountId: string;
	roleId: string;
}

function seedWorld(): World {
	const { users, businesses } = node.sim.seed({ users: { count: 1 }, businesses: { count: 1 } });
	const [userId] = users;
	const [businessId] = businesses;
	const [accountGroupId] = node.sim.seed({ accountGroups: { count: 1, userId } }).accountGroups;
	const [accountId] = node.sim.seed({ accounts: { count: 1, accountGroupId } }).accounts;
	const [roleId] = node.sim.seed({
		roles: { count: 1, userId, entityType: 'BUSINESS', entityId: businessId, roleType: 'TRADER' },
	}).roles;
	return { userId, businessId, accountGroupId, accountId, roleId };
}

const CONFIRMED_AT = '2026-11-30T14:15:00Z';
const person = customer(0);

const address = (prefix: string): IDataObject => ({
	[`${prefix}.details.addressLine1`]: person.street,
	[`${prefix}.details.addressLine2`]: 'Hinterhaus',
	[`${prefix}.details.postcode`]: person.postcode,
	[`${prefix}.details.city`]: person.city,
	[`${prefix}.details.state`]: 'BE',
	[`${prefix}.details.country`]: 'DE',
});
const batch = { 'options.concurrency': 2, 'options.maxAttempts': 3 };
const creating = {
	...batch,
	'options.idempotencyKey': 'tool-call-1',
	'options.newIdempotencyKeyEachRun': false,
};
const listing = {
	...batch,
	returnAll: false,
	limit: 2,
	'options.sort': 'created_at',
	'options.order': 'DESC',
};
const owners = (world: World) => ({
	ownerType: 'user',
	userId: world.userId,
	businessId: world.businessId,
});
const ownedBy = (world: World) => ({
	...listing,
	ownedBy: 'user',
	userId: world.userId,
	businessId: world.businessId,
});

/** The world's user with a KYC check (submitted through the node), for reading checks. */
async function checkedUser(world: World): Promise<string> {
	await runs.ok(createCheck('KYC'), [{ ...person, userId: world.userId }]);
	return world.userId;
}

/** The world's user with a national identifier, for listing identifiers. */
async function identifiedUser(world: World): Promise<string> {
	await runs.ok(createIdentifier(), [{ userId: world.userId, pesel: '02070803628' }]);
	return world.userId;
}

/** Per operation, a value for every field it shows. */
const VALUES: Record<string, (world: World) => IDataObject | Promise<IDataObject>> = {
	'account.create': (world) => ({
		...creating,
		...owners(world),
		accountGroupId: world.accountGroupId,
		accountType: 'PORTFOLIO',
		'additionalFields.name': 'Altersvorsorge',
	}),
	'account.get': (world) => ({ ...batch, accountId: world.accountId }),
	'account.getAll': ownedBy,
	'account.update': (world) => ({ ...batch, accountId: world.accountId, name: 'Depot' }),
	'account.close': (world) => ({ ...batch, accountId: world.accountId }),
	'accountGroup.create': (world) => ({
		...creating,
		...owners(world),
		accountGroupType: 'ISA',
		'additionalFields.securitiesAccountNumber': '123456789',
	}),
	'accountGroup.get': (world) => ({ ...batch, accountGroupId: world.accountGroupId }),
	'accountGroup.getAll': ownedBy,
	'accountGroup.close': (world) => ({ ...batch, accountGroupId: world.accountGroupId }),
	'business.create': () => ({
		...creating,
		businessType: 'LIMITED_LIABILITY_COMPANY',
		companyName: 'Quastenberg Feinwerk GmbH',
		companyDesignation: 'UNTERNEHMERGESELLSCHAFT',
		soleTraderDesignation: 'EINZELUNTERNEHMER',
		incorporationDate: '2015-03-01',
		contactEmail: 'kontor@quastenberg-feinwerk.example.org',
		...address('registeredAddress'),
		taxCountryCode: 'DE',
		taxIdentificationType: 'STEUERNUMMER',
		taxIdentificationNumber: '133/8150/8159',
		multipleTaxJurisdictions: false,
		subjectToFatca: false,
		passiveNonFinancialEntity: true,
		financialInstitution: false,
		'additionalFields.termsAndConditionsDocumentId': TERMS_DOCUMENT,
		'additionalFields.termsAndConditionsConfirmedAt': CONFIRMED_AT,
		'additionalFields.dataPrivacyAgreementDocumentId': PRIVACY_DOCUMENT,
		'additionalFields.dataPrivacyAgreementConfirmedAt': CONFIRMED_AT,
		'additionalFields.districtCourt': 'Amtsgericht Charlottenburg',
		'additionalFields.incorporationDate': '2015-03-01',
		'additionalFields.legalEntityIdentifier': '529900T8BM49AURSDO55',
		'additionalFields.registrationNumber': 'HRB 123456 B',
	}),
	'business.get': (world) => ({ ...batch, businessId: world.businessId }),
	'business.getAll': () => listing,
	'business.submitKyb': (world) => ({
		...batch,
		businessId: world.businessId,
		checkConfirmedAt: CONFIRMED_AT,
		dataDownloadLink: 'https://kyb.example.org/evidence/feinwerk.zip',
		'additionalFields.originallyConfirmedAt': '2025-01-15T09:00:00Z',
	}),
	'role.create': (world) => ({
		...creating,
		entityType: 'business',
		userId: world.userId,
		entityId: world.businessId,
		roleType: 'AUTHORISED_SIGNATORY',
		'additionalFields.custodyType': '',
	}),
	'role.get': (world) => ({ ...batch, roleId: world.roleId }),
	'role.getAll': (world) => ({
		...listing,
		'filters.userId': world.userId,
		'filters.entityId': world.businessId,
	}),
	'role.deactivate': (world) => ({ ...batch, roleId: world.roleId }),
	'taxResidency.set': (world) => ({
		...creating,
		userId: world.userId,
		'taxResidencies.residency.country': 'DE',
		'taxResidencies.residency.taxIdentifierNumber': '86095742719',
		'taxResidencies.residency.missingTinReason': '',
	}),
	'taxResidency.get': async (world) => {
		await runs.ok(setTaxResidencies([{ country: 'DE', taxIdentifierNumber: '86095742719' }]), [
			{ userId: world.userId },
		]);
		return { ...batch, userId: world.userId };
	},
	'user.create': () => ({
		...creating,
		licenceModel: 'tol',
		firstName: person.firstName,
		lastName: person.lastName,
		birthDate: person.birthDate,
		nationalities: ['DE', 'AT'],
		...address('address'),
		email: person.email,
		birthCity: person.birthCity,
		birthCountry: 'DE',
		fatcaStatus: false,
		fatcaConfirmedAt: CONFIRMED_AT,
		termsAndConditionsDocumentId: TERMS_DOCUMENT,
		termsAndConditionsConfirmedAt: CONFIRMED_AT,
		dataPrivacyAgreementDocumentId: PRIVACY_DOCUMENT,
		dataPrivacyAgreementConfirmedAt: CONFIRMED_AT,
		'additionalFields.birthCity': person.birthCity,
		'additionalFields.birthCountry': 'DE',
		'additionalFields.birthName': 'Kranichfeld',
		'additionalFields.branchId': '5b0f6ae8-3f0e-4c63-9d0a-2f7e1f7b8c11',
		'additionalFields.email': person.email,
		'additionalFields.gender': 'FEMALE',
		'additionalFields.phoneNumber': person.phone,
		...address('additionalFields.postalAddress'),
		'additionalFields.salutation': 'SALUTATION_FEMALE',
		'additionalFields.socialSecurityNumber': '25300972S014',
		'additionalFields.tags': ['CLIENT_EMPLOYEE'],
		'additionalFields.title': 'DR',
	}),
	'user.get': (world) => ({ ...batch, userId: world.userId }),
	'user.getAll': () => listing,
	'user.offboard': (world) => ({ ...batch, userId: world.userId }),
	'userCheck.create': (world) => ({
		...batch,
		userId: world.userId,
		checkType: 'KYC',
		checkConfirmedAt: CONFIRMED_AT,
		provider: 'IDnow',
		method: 'VIDEO_ID',
		kycDocumentType: 'PASSPORT',
		documentExpirationDate: '2031-05-17',
		documentCountry: 'DE',
		porDocumentType: 'UTILITY_BILL',
		issuanceDate: '2026-10-01',
		dataDownloadLink: person.documentLink,
		...address('confirmedAddress'),
		suitability: true,
		...address('additionalFields.confirmedAddress'),
		'additionalFields.kycUpdate': false,
	}),
	'userCheck.get': async (world) => ({
		...batch,
		userId: await checkedUser(world),
		checkId: node.sim.state.userChecks[0].id,
	}),
	'userCheck.getAll': async (world) => ({
		...batch,
		userId: await checkedUser(world),
		returnAll: false,
		limit: 2,
		'filters.type': 'KYC',
		'filters.listHistory': true,
	}),
	'userIdentifier.create': (world) => ({
		...batch,
		userId: world.userId,
		identifierType: 'NATIONAL_ID',
		issuingCountry: 'PL',
		identifier: '02070803628',
		'additionalFields.identifierStandard': 'PESEL',
	}),
	'userIdentifier.getAll': async (world) => ({
		...batch,
		userId: await identifiedUser(world),
		returnAll: false,
		limit: 2,
	}),
};

describe('every operation runs with every field mapped from the item', () => {
	test.each(
		operations.map(({ resource, operation }) => [
			`${resource} → ${operation}`,
			resource,
			operation,
		]),
	)('%s', async (_name, resource, operation) => {
		const { parameters, paths } = mappedParameters(resource, operation);
		const values = VALUES[`${resource}.${operation}`];
		expect(values).toBeDefined();
		const item = await values(seedWorld());
		// The table gives a value for every field the operation shows, and nothing else.
		expect(Object.keys(item).sort()).toEqual([...paths].sort());

		const since = node.sim.requests.length;
		const result = await runs.run(parameters, [item]);
		expect(result.error).toBeUndefined();
		expect(result.items.length).toBeGreaterThan(0);
		expect(result.items.every((entry) => entry.json.error === undefined)).toBe(true);
		const calls = node.apiRecords(since);
		expect(calls.length).toBeGreaterThan(0);
		for (const call of calls) expect(call.status).toBeLessThan(300);
	});
});
