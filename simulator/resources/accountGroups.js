'use strict';

/**
 * Account groups: POST/GET/DELETE /account_groups, the per-user and per-business lists, the
 * status lifecycle (PENDING_APPROVAL → ACTIVE, CLOSING → CLOSED) and seeding.
 */

const crypto = require('node:crypto');
const { validateAccountGroupBody, isUuid, USER_ACCOUNT_GROUP_TYPES } = require('../validation');
const { problem, jsonResponse, emptyResponse, notFound } = require('../http/wire');
const { USER_GROUPS_INCLUDE_ALL_USER_TYPES } = require('../assumptions');
const { listEndpoint } = require('./list');
const { lookup, getByIdRoute } = require('./lookup');
const { createLifecycle, timestampAfter } = require('./lifecycle');
const { seedClock, optionalUuid, optionalEnum } = require('./seed');

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

/**
 * @param deps {{ items: object[] (live state array), getConfig, scheduler, emit, guard }}
 */
function createAccountGroups({ items, getConfig, scheduler, emit, guard }) {
	const byId = new Map();
	const securitiesAccountNumbers = new Set();
	const lifecycle = createLifecycle({ scheduler, emit }, EVENTS);

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
		items.push(group);
		byId.set(group.id, group);
		securitiesAccountNumbers.add(group.securities_account_number);
		return group;
	}

	function create(input) {
		const valid = validateAccountGroupBody(input);
		if (!valid.ok) return problem(400, valid.detail);
		const now = new Date().toISOString();
		const group = store(valid.value, { created_at: now, updated_at: now }, 'PENDING_APPROVAL');
		emit('ACCOUNT_GROUP.CREATED', group);
		lifecycle.later(getConfig().activationDelayMs, group, 'PENDING_APPROVAL', 'ACTIVE');
		return jsonResponse(200, group);
	}

	function close(id) {
		const found = lookup(byId, id, WHERE);
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

	function list(ctx, select) {
		return listEndpoint(ctx.query, { sorts: SORTS }, select, getConfig().maxPageSize);
	}

	/** GET /users/{id}/account_groups and /businesses/{id}/account_groups. */
	function listFor(ctx, param, matches) {
		const id = ctx.params[param];
		if (!isUuid(id)) return problem(400, `${param} must be a UUID`);
		const wanted = id.toLowerCase();
		return list(ctx, () => items.filter((group) => matches(group, wanted)));
	}

	const routes = [
		{
			method: 'POST',
			path: '/account_groups',
			handler: (ctx) => guard.write(ctx, ADMIN, { idempotencyKey: 'required' }, create),
		},
		{
			method: 'GET',
			path: '/account_groups',
			handler: (ctx) => guard.call(ctx, READ, () => list(ctx, () => items)),
		},
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
		{
			method: 'GET',
			path: '/users/{user_id}/account_groups',
			handler: (ctx) =>
				guard.call(ctx, READ, () =>
					listFor(ctx, 'user_id', (group, id) =>
						USER_GROUPS_INCLUDE_ALL_USER_TYPES
							? group.users.some((user) => user.id === id)
							: group.user_id === id,
					),
				),
		},
		{
			method: 'GET',
			path: '/businesses/{business_id}/account_groups',
			handler: (ctx) =>
				guard.call(ctx, READ, () =>
					listFor(ctx, 'business_id', (group, id) => group.business_id === id),
				),
		},
	];

	/** POST /__simulator/seed { accountGroups: { count, userId?, businessId?, type?, status?, createdFrom?, spacingMs? } } */
	function seed(spec) {
		const where = 'accountGroups';
		const clock = seedClock(spec, where, ['userId', 'businessId', 'type', 'status']);
		const userId = optionalUuid(spec, 'userId', where);
		const businessId = optionalUuid(spec, 'businessId', where);
		if (userId && businessId) throw new TypeError(`${where}: give userId or businessId, not both`);
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

	/** Moves a group to `status` now (admin API), with the event that status has. */
	function setStatus(id, status) {
		if (!STATUSES.includes(status))
			throw new TypeError(`status must be one of ${STATUSES.join(', ')}`);
		const group = isUuid(id) ? byId.get(id.toLowerCase()) : undefined;
		if (!group) throw notFound(`Account group ${id} not found`);
		lifecycle.move(group, status);
		return group;
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
		setStatus,
		addGuardian,
		has: (id) => byId.has(id),
		reset() {
			items.length = 0;
			byId.clear();
			securitiesAccountNumbers.clear();
		},
	};
}

module.exports = { createAccountGroups, ACCOUNT_GROUP_STATUSES: STATUSES };
