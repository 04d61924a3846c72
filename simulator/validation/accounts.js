'use strict';

/**
 * Account bodies (Upvest's API reference, accounts/create_account): POST /accounts for a user
 * or a business account, and PATCH /accounts/{account_id}, which only sets the name.
 */

const S = require('./schema');
const { invalid } = require('../validation');

const ACCOUNT_TYPES = ['TRADING', 'PORTFOLIO'];
const NAME = S.string({ max: 100 });
const COMMON = {
	account_group_id: S.required(S.uuid()),
	type: S.required(S.oneOf(ACCOUNT_TYPES)),
	name: NAME,
};

/** { user_id, account_group_id, type, name? } or { business_id, account_group_id, type, name? } */
function validateAccountBody(body, ctx) {
	if (S.isPlainObject(body) && (body.user_id === undefined) === (body.business_id === undefined))
		return invalid('user_id', 'Exactly one of user_id or business_id must be given');
	const owner = S.isPlainObject(body) && body.business_id !== undefined ? 'business_id' : 'user_id';
	return S.validate({ [owner]: S.required(S.uuid()), ...COMMON }, body, ctx);
}

const validateAccountUpdate = (body, ctx) => S.validate({ name: NAME }, body, ctx);

module.exports = { validateAccountBody, validateAccountUpdate, ACCOUNT_TYPES };
