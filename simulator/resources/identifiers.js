'use strict';

/**
 * User identifiers (Upvest's API reference, user-identifiers): POST, GET and PATCH under
 * /users/{user_id}/identifiers. Upvest documents no idempotency key and no webhook event for
 * them. A new identifier lets the onboarding rules look at its user again.
 */

const crypto = require('node:crypto');
const { validateIdentifierBody, validateIdentifierUpdate } = require('../validation/identifiers');
const { contextOf } = require('../validation/schema');
const { problem, jsonResponse } = require('../http/wire');
const { createdNow, timestampAfter } = require('./lifecycle');
const { parseQuery } = require('./list');
const { createStore } = require('./store');

const READ = ['users:read', 'users:admin'];
const ADMIN = ['users:admin'];
const WHERE = { param: 'identifier_id', noun: 'Identifier' };
const PATH = '/users/{user_id}/identifiers';

/** Five letters of a name for CONCAT: upper case, accents dropped, padded with #. */
const namePart = (name) =>
	name
		.normalize('NFD')
		.replace(/[^A-Za-z]/g, '')
		.toUpperCase()
		.slice(0, 5)
		.padEnd(5, '#');

/** A CONCAT identifier (MiFIR): country, birth date, five letters of first and last name. */
const concatIdentifier = (user, country) =>
	`${country}${user.birth_date.replace(/-/g, '')}${namePart(user.first_name)}${namePart(user.last_name)}`;

/**
 * @param deps {{ items: object[] (live state array), users: the user store, getConfig, guard,
 *                links: the onboarding rules (userChanged) }}
 */
function createIdentifiers({ items, users, getConfig, guard, links }) {
	const identifiers = createStore(items, WHERE);

	/** The user of the path and, with `withIdentifier`, its identifier: { user, item } | { response }. */
	function locate(ctx, withIdentifier) {
		const user = users.find(ctx.params.user_id);
		if (user.response || !withIdentifier) return user;
		const found = identifiers.find(ctx.params.identifier_id);
		if (found.response) return found;
		if (found.item.user_id !== user.item.id)
			return { response: problem(404, `Identifier ${ctx.params.identifier_id} not found`) };
		return found;
	}

	function create(ctx, body) {
		const user = locate(ctx, false);
		if (user.response) return user.response;
		const valid = validateIdentifierBody(body, contextOf(getConfig()));
		if (!valid.ok) return problem(400, valid.detail);
		const v = valid.value;
		const identifier = identifiers.add({
			id: crypto.randomUUID(),
			...createdNow(),
			user_id: user.item.id,
			type: v.type,
			issuing_country: v.issuing_country,
			identifier_standard: v.identifier_standard,
			identifier: v.identifier ?? concatIdentifier(user.item, v.issuing_country),
		});
		links.userChanged(user.item.id);
		return jsonResponse(200, identifier);
	}

	function update(ctx, body) {
		const found = locate(ctx, true);
		if (found.response) return found.response;
		const identifier = found.item;
		const valid = validateIdentifierUpdate(
			body,
			identifier.identifier_standard,
			contextOf(getConfig()),
		);
		if (!valid.ok) return problem(400, valid.detail);
		identifier.identifier = valid.value.identifier;
		identifier.updated_at = timestampAfter(identifier.updated_at);
		return jsonResponse(200, identifier);
	}

	function read(ctx, withIdentifier) {
		const found = locate(ctx, withIdentifier);
		if (found.response) return found.response;
		if (withIdentifier) return jsonResponse(200, found.item);
		const query = parseQuery(ctx.query, {}); // the list takes no parameters
		return query.ok ? jsonResponse(200, { data: ofUser(found.item.id) }) : query.response;
	}

	const ofUser = (userId) => items.filter((identifier) => identifier.user_id === userId);
	const write = (ctx, perform) =>
		guard.write(ctx, ADMIN, { idempotencyKey: 'ignored' }, (body) => perform(ctx, body));

	const routes = [
		{ method: 'POST', path: PATH, handler: (ctx) => write(ctx, create) },
		{ method: 'GET', path: PATH, handler: (ctx) => guard.call(ctx, READ, () => read(ctx, false)) },
		{
			method: 'GET',
			path: `${PATH}/{identifier_id}`,
			handler: (ctx) => guard.call(ctx, READ, () => read(ctx, true)),
		},
		{ method: 'PATCH', path: `${PATH}/{identifier_id}`, handler: (ctx) => write(ctx, update) },
	];

	return { routes, ofUser, reset: identifiers.reset };
}

module.exports = { createIdentifiers, concatIdentifier };
