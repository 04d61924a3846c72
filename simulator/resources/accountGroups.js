'use strict';

/**
 * Account groups: POST/GET/DELETE /account_groups, the per-user and per-business lists, the
 * status lifecycle (PENDING_APPROVAL → ACTIVE, CLOSING → CLOSED) and seeding. A group of an owner
 * the simulator knows waits for that owner to be ACTIVE (resources/onboarding.js).
 */

const crypto = require('node:crypto');
const { validateAccountGroupBody, USER_ACCOUNT_GROUP_TYPES } = require('../validation');
const { problem, jsonResponse, emptyResponse } = require('../http/wire');
const { USER_GROUPS_INCLUDE_ALL_USER_TYPES } = require('../assumptions');
const { listRoute } = require('./list');
const { getByIdRoute } = require('./lookup');
const { createStore } = require('./store');
const { createLifecycle, createdNow, timestampAfter } = require('./lifecycle');
const { seedClock, seedOwner, optionalEnum } = require('./seed');

const READ = ['accounts:read', 'accounts:admin'];
const ADMIN = ['accounts:admin'];
const SORTS = ['created_at', 'updated_at'];
const WHERE = { param: 'account_group_id', noun: 'Account group' };
const STATUSES = ['PENDING_APPROVAL', 'ACTIVE', 'CLOSING', 'CLOSED', 'LOCKED'];
const EVENTS = {
	ACTIVE: 'ACCOUNT_GROUP.ACTIVATED',
	CLOSING: 'ACCOUNT_GROUP.CLOSING_INITIATED',
	CLOSED: 'ACCOUNT_GROUP.CLOSED',
	LOCKED: 'ACCOUNT_GROUP.LOCKED',
};

/** The users a group belongs to (its owners; a CHILD group's child), not its guardians. */
const OWNING_USER_TYPES = ['OWNER', 'CHILD'];

/** Whether the group belongs to this user as OWNER or CHILD. */
const ownedByUser = (group, userId) =>
	group.users.some((user) => user.id === userId && OWNING_USER_TYPES.includes(user.type));

/**
 * @param deps {{ items: object[] (live state array), getConfig, scheduler, emit, guard,
 *                links: the onboarding rules (ownerReady, groupMoved) }}
 */
function createAccountGroups({ items, getConfig, scheduler, emit, guard, links }) {
	const groups = createStore(items, WHERE);
	const { byId } = groups;
	const securitiesAccountNumbers = new Set();
	// links are filled in once every resource exists: look the rule up when it is needed.
	const onMove = (resource, status) => links.groupMoved(resource, status);
	const lifecycle = createLifecycle({ scheduler, emit, onMove }, EVENTS);

	function newSecuritiesAccountNumber() {
		for (;;) {
			const candidate = String(crypto.randomInt(100000000, 1000000000));
			if (!securitiesAccountNumbers.has(candidate)) return candidate;
		}
	}

	/** Stores a group built from validated fields; the object is what the API answers. */
	function store(v, times, status) {
		const owner = v.user_id
			? [{ id: v.user_id, type: v.type === 'CHILD' ? 'CHILD' : 'OWNER' }]
			: [];
		const group = {
			id: crypto.randomUUID(),
			...times,
			users: owner,
			status,
			type: v.type,
			securities_account_number: v.securities_account_number || newSecuritiesAccountNumber(),
		};
		if (v.user_id) group.user_id = v.user_id;
		else group.business_id = v.business_id;
		groups.add(group);
		securitiesAccountNumbers.add(group.securities_account_number);
		return group;
	}

	function create(input) {
		const valid = validateAccountGroupBody(input);
		if (!valid.ok) return problem(400, valid.detail);
		const group = store(valid.value, createdNow(), 'PENDING_APPROVAL');
		emit('ACCOUNT_GROUP.CREATED', group);
		// A known owner that is not ACTIVE yet activates the group itself (activateOwnedBy).
		if (links.ownerReady(valid.value))
			lifecycle.later(getConfig().activationDelayMs, group, 'PENDING_APPROVAL', 'ACTIVE');
		return jsonResponse(200, group);
	}

	function close(id) {
		const found = groups.find(id);
		if (found.response) return found.response;
		const group = found.item;
		if (group.status === 'CLOSING' || group.status === 'CLOSED') {
			return problem(
				409,
				`Account group ${group.id} cannot be closed: its status is ${group.status}`,
			);
		}
		lifecycle.move(group, 'CLOSING');
		lifecycle.later(getConfig().closeDelayMs, group, 'CLOSING', 'CLOSED');
		return emptyResponse(202);
	}

	const lists = { scopes: READ, guard, getConfig, sorts: SORTS, items };
	const routes = [
		{
			method: 'POST',
			path: '/account_groups',
			handler: (ctx) => guard.write(ctx, ADMIN, { idempotencyKey: 'required' }, create),
		},
		listRoute({ ...lists, path: '/account_groups' }),
		getByIdRoute({
			path: '/account_groups/{account_group_id}',
			...WHERE,
			scopes: READ,
			guard,
			byId,
		}),
		{
			method: 'DELETE',
			path: '/account_groups/{account_group_id}',
			handler: (ctx) => guard.call(ctx, ADMIN, () => close(ctx.params.account_group_id)),
		},
		listRoute({
			...lists,
			path: '/users/{user_id}/account_groups',
			param: 'user_id',
			matches: (group, id) =>
				USER_GROUPS_INCLUDE_ALL_USER_TYPES
					? group.users.some((user) => user.id === id)
					: group.user_id === id,
		}),
		listRoute({
			...lists,
			path: '/businesses/{business_id}/account_groups',
			param: 'business_id',
			matches: (group, id) => group.business_id === id,
		}),
	];

	/** POST /__simulator/seed { accountGroups: { count, userId?, businessId?, type?, status?, createdFrom?, spacingMs? } } */
	function seed(spec) {
		const where = 'accountGroups';
		const clock = seedClock(spec, where, ['userId', 'businessId', 'type', 'status']);
		const { userId, businessId } = seedOwner(spec, where);
		const status = optionalEnum(spec, 'status', STATUSES, where) ?? 'ACTIVE';
		const types = businessId ? ['BUSINESS'] : USER_ACCOUNT_GROUP_TYPES;
		const type = optionalEnum(spec, 'type', types, where) ?? types[0];
		const ids = [];
		for (let i = 0; i < spec.count; i++) {
			const owner = businessId
				? { business_id: businessId }
				: { user_id: userId ?? crypto.randomUUID() };
			ids.push(store({ ...owner, type }, clock(i), status).id);
		}
		return ids;
	}

	/** The owner is ACTIVE now: its PENDING_APPROVAL groups become ACTIVE. */
	function activateOwnedBy({ userId, businessId }) {
		for (const group of items) {
			if (group.status !== 'PENDING_APPROVAL') continue;
			if (userId ? ownedByUser(group, userId) : group.business_id === businessId)
				lifecycle.move(group, 'ACTIVE');
		}
	}

	/** A GUARDIAN role on a group adds its user to the group's users. */
	function addGuardian(groupId, userId) {
		const group = byId.get(groupId);
		if (!group) return;
		group.users.push({ id: userId, type: 'GUARDIAN' });
		group.updated_at = timestampAfter(group.updated_at);
	}

	return {
		routes,
		seed,
		/** Moves a group to `status` now (admin API), with the event that status has. */
		setStatus: (id, status) => groups.setStatus(id, status, STATUSES, lifecycle),
		addGuardian,
		activateOwnedBy,
		/** Whether any group the user owns (OWNER or CHILD) is not CLOSED. */
		hasOpenGroups: (userId) =>
			items.some((group) => group.status !== 'CLOSED' && ownedByUser(group, userId)),
		get: groups.get,
		has: (id) => byId.has(id),
		reset() {
			groups.reset();
			securitiesAccountNumbers.clear();
		},
	};
}

module.exports = { createAccountGroups, ownedByUser, ACCOUNT_GROUP_STATUSES: STATUSES };
