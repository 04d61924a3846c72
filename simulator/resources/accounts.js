'use strict';

/**
 * Accounts (Upvest's API reference, accounts): POST/GET /accounts, GET/PATCH/DELETE
 * /accounts/{account_id}, the per-user and per-business lists, the status lifecycle
 * (PENDING_APPROVAL → ACTIVE with its account group, CLOSING → CLOSED) and seeding.
 */

const crypto = require('node:crypto');
const {
	validateAccountBody,
	validateAccountUpdate,
	ACCOUNT_TYPES,
} = require('../validation/accounts');
const { contextOf } = require('../validation/schema');
const { problem, jsonResponse, emptyResponse } = require('../http/wire');
const { ACCOUNT_CLOSE_CONFLICTS } = require('../assumptions');
const { listRoute } = require('./list');
const { getByIdRoute } = require('./lookup');
const { createLifecycle, createdNow } = require('./lifecycle');
const { createStore } = require('./store');
const { ownedByUser } = require('./accountGroups');
const { seedClock, seedOwner, optionalUuid, optionalEnum } = require('./seed');

const READ = ['accounts:read', 'accounts:admin'];
const ADMIN = ['accounts:admin'];
const SORTS = ['created_at', 'updated_at'];
const WHERE = { param: 'account_id', noun: 'Account' };
const STATUSES = ['PENDING_APPROVAL', 'ACTIVE', 'CLOSING', 'CLOSED', 'LOCKED'];
const EVENTS = {
	ACTIVE: 'ACCOUNT.ACTIVATED',
	CLOSING: 'ACCOUNT.CLOSING_INITIATED',
	CLOSED: 'ACCOUNT.CLOSED',
	LOCKED: 'ACCOUNT.LOCKED',
};
/** Groups in these statuses take no new accounts. */
const CLOSED_GROUP_STATUSES = ['CLOSING', 'CLOSED'];

const stateConflict = (what, status) =>
	problem(
		409,
		`An operation is not available for the current state of the resource: the ${what} is ${status}`,
	);

/**
 * @param deps {{ items: object[] (live state array), accountGroups, getConfig, scheduler, emit,
 *                guard }}
 */
function createAccounts({ items, accountGroups, getConfig, scheduler, emit, guard }) {
	const accounts = createStore(items, WHERE);
	const lastNumber = new Map(); // account group id -> highest account_number given
	const lifecycle = createLifecycle({ scheduler, emit }, EVENTS);

	/** Stores an account of `group` (or of a group id the simulator does not know: seeding). */
	function store(groupId, owner, fields, times, status) {
		const number = (lastNumber.get(groupId) ?? 0) + 1;
		lastNumber.set(groupId, number);
		return accounts.add({
			id: crypto.randomUUID(),
			...times,
			account_group_id: groupId,
			type: fields.type,
			...owner,
			account_number: number,
			name: fields.name ?? '',
			status,
		});
	}

	/** The owner fields of an account in `group`, or the 400 when the body's owner is not its. */
	function ownerIn(group, v) {
		if (v.business_id !== undefined) {
			if (group.business_id === v.business_id) return { owner: { business_id: v.business_id } };
			return { response: problem(400, 'business_id is not the business of the account group') };
		}
		if (!ownedByUser(group, v.user_id))
			return { response: problem(400, 'user_id is not an owner of the account group') };
		return { owner: { users: group.users.map((user) => ({ ...user })) } };
	}

	function create(body) {
		const valid = validateAccountBody(body, contextOf(getConfig()));
		if (!valid.ok) return problem(400, valid.detail);
		const v = valid.value;
		const group = accountGroups.get(v.account_group_id);
		if (!group) return problem(404, `Account group ${v.account_group_id} not found`);
		const owner = ownerIn(group, v);
		if (owner.response) return owner.response;
		if (CLOSED_GROUP_STATUSES.includes(group.status))
			return stateConflict('account group', group.status);
		const account = store(group.id, owner.owner, v, createdNow(), 'PENDING_APPROVAL');
		emit('ACCOUNT.CREATED', account);
		// In a group that is not ACTIVE yet the account waits for it (activateInGroup).
		if (group.status === 'ACTIVE')
			lifecycle.later(getConfig().activationDelayMs, account, 'PENDING_APPROVAL', 'ACTIVE');
		return jsonResponse(200, account);
	}

	function update(id, body) {
		const found = accounts.find(id);
		if (found.response) return found.response;
		const valid = validateAccountUpdate(body, contextOf(getConfig()));
		if (!valid.ok) return problem(400, valid.detail);
		if (valid.value.name !== undefined) {
			found.item.name = valid.value.name;
			lifecycle.touch(found.item, 'ACCOUNT.UPDATED');
		}
		return jsonResponse(200, found.item);
	}

	function close(id) {
		const found = accounts.find(id);
		if (found.response) return found.response;
		const account = found.item;
		if (ACCOUNT_CLOSE_CONFLICTS.includes(account.status))
			return stateConflict('account', account.status);
		lifecycle.move(account, 'CLOSING');
		lifecycle.later(getConfig().closeDelayMs, account, 'CLOSING', 'CLOSED');
		return emptyResponse(202);
	}

	/** The group is ACTIVE now: its PENDING_APPROVAL accounts become ACTIVE. */
	function activateInGroup(groupId) {
		for (const account of items) {
			if (account.account_group_id === groupId && account.status === 'PENDING_APPROVAL')
				lifecycle.move(account, 'ACTIVE');
		}
	}

	const lists = { scopes: READ, guard, getConfig, sorts: SORTS, items };
	const withId = (ctx) => ctx.params.account_id;
	const routes = [
		{
			method: 'POST',
			path: '/accounts',
			handler: (ctx) => guard.write(ctx, ADMIN, { idempotencyKey: 'required' }, create),
		},
		listRoute({ ...lists, path: '/accounts' }),
		getByIdRoute({
			path: '/accounts/{account_id}',
			...WHERE,
			scopes: READ,
			guard,
			byId: accounts.byId,
		}),
		{
			method: 'PATCH',
			path: '/accounts/{account_id}',
			handler: (ctx) =>
				guard.write(ctx, ADMIN, { idempotencyKey: 'ignored' }, (body) => update(withId(ctx), body)),
		},
		{
			method: 'DELETE',
			path: '/accounts/{account_id}',
			handler: (ctx) => guard.call(ctx, ADMIN, () => close(withId(ctx))),
		},
		listRoute({
			...lists,
			path: '/users/{user_id}/accounts',
			param: 'user_id',
			matches: (account, id) => (account.users ?? []).some((user) => user.id === id),
		}),
		listRoute({
			...lists,
			path: '/businesses/{business_id}/accounts',
			param: 'business_id',
			matches: (account, id) => account.business_id === id,
		}),
	];

	/**
	 * POST /__simulator/seed { accounts: { count, accountGroupId?, userId?, businessId?, type?,
	 * status?, createdFrom?, spacingMs? } }: in that group (its owners), else in a new group id
	 * per account owned by userId (a new user each otherwise) or businessId.
	 */
	function seed(spec) {
		const where = 'accounts';
		const options = ['accountGroupId', 'userId', 'businessId', 'type', 'status'];
		const clock = seedClock(spec, where, options);
		const groupId = optionalUuid(spec, 'accountGroupId', where);
		const { userId, businessId } = seedOwner(spec, where);
		const type = optionalEnum(spec, 'type', ACCOUNT_TYPES, where) ?? ACCOUNT_TYPES[0];
		const status = optionalEnum(spec, 'status', STATUSES, where) ?? 'ACTIVE';
		const group = groupId && accountGroups.get(groupId);
		const ownerOf = () => {
			if (group)
				return group.business_id
					? { business_id: group.business_id }
					: { users: group.users.map((u) => ({ ...u })) };
			if (businessId) return { business_id: businessId };
			return { users: [{ id: userId ?? crypto.randomUUID(), type: 'OWNER' }] };
		};
		const ids = [];
		for (let i = 0; i < spec.count; i++) {
			const inGroup = groupId ?? crypto.randomUUID();
			ids.push(store(inGroup, ownerOf(), { type }, clock(i), status).id);
		}
		return ids;
	}

	return {
		routes,
		seed,
		setStatus: (id, status) => accounts.setStatus(id, status, STATUSES, lifecycle),
		activateInGroup,
		reset() {
			accounts.reset();
			lastNumber.clear();
		},
	};
}

module.exports = { createAccounts, ACCOUNT_STATUSES: STATUSES };
