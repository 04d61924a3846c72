'use strict';

/**
 * Every simulated API resource, created over the simulator's live state and linked by the
 * onboarding rules (resources/onboarding.js), with what the admin API does to them: seeding and
 * status changes.
 */

const { createAccountGroups } = require('./accountGroups');
const { createRoles } = require('./roles');
const { createUsers } = require('./users');
const { createChecks } = require('./checks');
const { createIdentifiers } = require('./identifiers');
const { createTaxResidencies } = require('./taxResidencies');
const { createAccounts } = require('./accounts');
const { createBusinesses } = require('./businesses');
const { linkOnboarding } = require('./onboarding');

/** The resources POST /__simulator/seed fills, in the order it fills them. */
const SEEDABLE = ['users', 'businesses', 'accountGroups', 'accounts', 'roles'];
/** POST /__simulator/status: the id field of each resource. */
const STATUS_IDS = {
	accountGroupId: ['accountGroups'],
	roleId: ['roles'],
	userId: ['users'],
	accountId: ['accounts'],
	businessId: ['businesses'],
	checkId: ['userChecks', 'businessChecks'],
};

/** The live state arrays (and the tax residencies object) the resources keep. */
const emptyState = () => ({
	users: [],
	userChecks: [],
	identifiers: [],
	taxResidencies: {},
	businesses: [],
	businessChecks: [],
	accountGroups: [],
	accounts: [],
	roles: [],
});

/**
 * @param state the simulator's state, holding emptyState()'s members
 * @param common {{ getConfig, scheduler, emit, guard }}
 * @param licenceModelOf (clientId) => 'BYOL' | 'TOL' | undefined
 */
function createResources(state, common, licenceModelOf) {
	const links = {};
	const r = { getConfig: common.getConfig };
	const base = { ...common, links };
	r.users = createUsers({ ...base, items: state.users, licenceModelOf });
	r.businesses = createBusinesses({ ...base, items: state.businesses });
	r.userChecks = createChecks({ ...base, kind: 'user', items: state.userChecks, owners: r.users });
	r.businessChecks = createChecks({
		...base,
		kind: 'business',
		items: state.businessChecks,
		owners: r.businesses,
	});
	r.identifiers = createIdentifiers({ ...base, items: state.identifiers, users: r.users });
	r.taxResidencies = createTaxResidencies({
		...base,
		byUser: state.taxResidencies,
		users: r.users,
	});
	r.accountGroups = createAccountGroups({ ...base, items: state.accountGroups });
	r.accounts = createAccounts({ ...base, items: state.accounts, accountGroups: r.accountGroups });
	r.roles = createRoles({ ...base, items: state.roles, accountGroups: r.accountGroups });
	linkOnboarding(links, r);

	const all = Object.values(r).filter((resource) => resource.routes);
	return {
		...r,
		routes: all.flatMap((resource) => resource.routes),
		reset: () => all.forEach((resource) => resource.reset()),

		/** { users?: spec, accountGroups?: spec, ... } -> { users: ids, accountGroups: ids, ... } */
		seed(spec = {}) {
			if (spec === null || typeof spec !== 'object' || Array.isArray(spec))
				throw new TypeError('seed must be an object');
			for (const key of Object.keys(spec)) {
				if (!SEEDABLE.includes(key))
					throw new TypeError(`seed: ${key} is not seedable (${SEEDABLE.join(', ')})`);
			}
			const result = {};
			for (const key of SEEDABLE) {
				result[key] = spec[key] === undefined ? [] : r[key].seed(spec[key]);
			}
			return result;
		},

		/** { <resource>Id, status }: moves that resource now (with its event); returns it. */
		setStatus(change = {}) {
			const given = Object.keys(STATUS_IDS).filter((key) => (change || {})[key] !== undefined);
			if (given.length !== 1)
				throw new TypeError(`give one of ${Object.keys(STATUS_IDS).join(', ')}`);
			const id = change[given[0]];
			const names = STATUS_IDS[given[0]];
			// A check id may be a user's or a business's check.
			const name = names.find((n) => r[n].get && r[n].get(id)) ?? names[0];
			return r[name].setStatus(id, change.status);
		},
	};
}

module.exports = { createResources, emptyState, SEEDABLE };
