'use strict';

/**
 * The onboarding rules that tie resources together (Upvest's users and businesses onboarding
 * guides on docs.upvest.co; what they leave open is in simulator/assumptions.js):
 *
 * - a user is ACTIVE once the latest check of each type config.requiredUserChecks names for its
 *   licence model has PASSED and it has the identifier its decisive nationality needs;
 * - a business is ACTIVE once its latest KYB check has PASSED and it has ACTIVE roles of each
 *   type BUSINESS_REQUIRED_ROLES names;
 * - an owner that becomes ACTIVE activates its PENDING_APPROVAL account groups, a group that
 *   becomes ACTIVE its PENDING_APPROVAL accounts, a user that becomes ACTIVE its PENDING roles;
 * - a user offboarding waits for its last account group to close.
 *
 * Owners the simulator does not know (onboarded elsewhere) keep the timed activation.
 */

const { CONCAT_COUNTRIES, EEA } = require('../countries');
const { BUSINESS_REQUIRED_ROLES } = require('../assumptions');

/** The nationality identifiers go by: the first EEA one alphabetically, else the first one. */
function decisiveNationality(nationalities) {
	const sorted = [...nationalities].sort();
	return sorted.find((country) => EEA.has(country)) ?? sorted[0];
}

/**
 * Fills `links` (the object every resource was given) with the rules; call once all resources
 * exist. @param r {{ getConfig, users, userChecks, identifiers, accountGroups, accounts, roles,
 * businesses, businessChecks }}
 */
function linkOnboarding(links, r) {
	function identifierPresent(user) {
		const nationality = decisiveNationality(user.nationalities);
		if (CONCAT_COUNTRIES.has(nationality)) return true;
		return r.identifiers.ofUser(user.id).some((i) => i.issuing_country === nationality);
	}

	function checksPassed(latest, types) {
		return types.every((type) => latest.get(type)?.status === 'PASSED');
	}

	function userChanged(userId) {
		const user = r.users.get(userId);
		if (!user || user.status !== 'INACTIVE') return;
		const required = r.getConfig().requiredUserChecks[r.users.variantOf(user.id)];
		if (checksPassed(r.userChecks.latestByType(user.id), required) && identifierPresent(user))
			r.users.activate(user);
	}

	function businessChanged(businessId) {
		const business = r.businesses.get(businessId);
		if (!business || business.status !== 'INACTIVE') return;
		const roles = r.roles.activeTypesOn(business.id);
		if (
			checksPassed(r.businessChecks.latestByType(business.id), ['KYB']) &&
			BUSINESS_REQUIRED_ROLES.every((type) => roles.has(type))
		)
			r.businesses.activate(business);
	}

	/** Whether a new resource of this owner may activate on its own (unknown, or ACTIVE). */
	const ready = (owner) => owner === undefined || owner.status === 'ACTIVE';

	Object.assign(links, {
		userChanged,
		ownerReady: ({ user_id: userId, business_id: businessId }) =>
			ready(userId ? r.users.get(userId) : r.businesses.get(businessId)),
		userReady: (userId) => ready(r.users.get(userId)),
		hasOpenGroups: (userId) => r.accountGroups.hasOpenGroups(userId),
		userMoved(user, status) {
			if (status !== 'ACTIVE') return;
			r.accountGroups.activateOwnedBy({ userId: user.id });
			r.roles.activateOf(user.id);
		},
		businessMoved(business, status) {
			if (status === 'ACTIVE') r.accountGroups.activateOwnedBy({ businessId: business.id });
		},
		groupMoved(group, status) {
			if (status === 'ACTIVE') r.accounts.activateInGroup(group.id);
			if (status !== 'CLOSED') return;
			for (const { id } of group.users) {
				const user = r.users.get(id);
				if (user) r.users.finishOffboarding(user);
			}
		},
		roleMoved(role, status) {
			if (status === 'ACTIVE' && role.entity_type === 'BUSINESS') businessChanged(role.entity_id);
		},
		checkMoved(kind, check, status) {
			if (status !== 'PASSED') return;
			if (kind === 'user') userChanged(check.user_id);
			else businessChanged(check.business_id);
		},
	});
	return links;
}

module.exports = { linkOnboarding, decisiveNationality };
