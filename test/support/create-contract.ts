/**
 * The create operations' contract, written from Upvest's API reference (https://docs.upvest.co;
 * the bodies are listed in README.md, Operations) without using the node's code: the body each
 * create may send, and the resource a successful item must output.
 */
import type { IDataObject } from 'n8n-workflow';

import { BUSINESS_ROLE_TYPES, CUSTODY_TYPES, USER_GROUP_TYPES } from './node-builders';

const UUID_LOWER = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * What is wrong with a create's body (undefined: nothing): exactly the documented fields in their
 * order, lower-case UUIDs, allowed types only.
 */
export function bodyProblem(path: string, text: string): string | undefined {
	let body: Record<string, unknown>;
	try {
		body = JSON.parse(text);
	} catch {
		return 'not JSON';
	}
	const keys = Object.keys(body);
	const same = (expected: string[]) =>
		keys.length === expected.length && keys.every((key, index) => key === expected[index]);
	const uuid = (name: string) =>
		typeof body[name] === 'string' && UUID_LOWER.test(body[name] as string)
			? undefined
			: `${name} is not a lower-case UUID`;
	if (path === '/account_groups') {
		const san = 'securities_account_number' in body;
		if (
			san &&
			!(
				typeof body.securities_account_number === 'string' &&
				/^[0-9]{9}$/.test(body.securities_account_number)
			)
		)
			return 'bad securities_account_number';
		if ('user_id' in body) {
			if (!same(['user_id', 'type', ...(san ? ['securities_account_number'] : [])]))
				return `fields ${keys.join(',')}`;
			return (
				uuid('user_id') ??
				(USER_GROUP_TYPES.includes(body.type as string) ? undefined : `type ${String(body.type)}`)
			);
		}
		if (!same(['business_id', 'type', ...(san ? ['securities_account_number'] : [])]))
			return `fields ${keys.join(',')}`;
		return (
			uuid('business_id') ?? (body.type === 'BUSINESS' ? undefined : `type ${String(body.type)}`)
		);
	}
	if (path === '/roles') {
		const custody = 'custody_type' in body;
		if (
			!same([
				'user_id',
				'entity_type',
				'entity_id',
				'role_type',
				...(custody ? ['custody_type'] : []),
			])
		)
			return `fields ${keys.join(',')}`;
		const problem = uuid('user_id') ?? uuid('entity_id');
		if (problem) return problem;
		if (body.entity_type === 'ACCOUNT_GROUP') {
			if (body.role_type !== 'GUARDIAN')
				return `role_type ${String(body.role_type)} on ACCOUNT_GROUP`;
			if (custody && !CUSTODY_TYPES.includes(body.custody_type as string))
				return 'bad custody_type';
			return undefined;
		}
		if (body.entity_type === 'BUSINESS') {
			if (custody) return 'custody_type on BUSINESS';
			return BUSINESS_ROLE_TYPES.includes(body.role_type as string)
				? undefined
				: `role_type ${String(body.role_type)} on BUSINESS`;
		}
		return `entity_type ${String(body.entity_type)}`;
	}
	return `unexpected path ${path}`;
}

const clean = (value: unknown) => String(value).trim();

/** A successful item's output is the resource built from exactly this item's values. */
export function expectReflectsInput(path: string, input: IDataObject, output: IDataObject) {
	if (path === '/account_groups') {
		if (clean(input.ownerType) === 'user') {
			expect(output).toMatchObject({
				user_id: clean(input.userId).toLowerCase(),
				type: clean(input.accountGroupType),
			});
			expect(output.business_id).toBeUndefined();
		} else {
			expect(output).toMatchObject({
				business_id: clean(input.businessId).toLowerCase(),
				type: 'BUSINESS',
			});
			expect(output.user_id).toBeUndefined();
		}
		const san = input.san === undefined || input.san === null ? '' : clean(input.san);
		if (san !== '') expect(output.securities_account_number).toBe(san);
		return;
	}
	const onGroup = clean(input.entityType) === 'accountGroup';
	expect(output).toMatchObject({
		user_id: clean(input.userId).toLowerCase(),
		entity_type: onGroup ? 'ACCOUNT_GROUP' : 'BUSINESS',
		entity_id: clean(input.entityId).toLowerCase(),
		role_type: clean(input.roleType),
	});
	if (onGroup && input.custodyType !== undefined && input.custodyType !== '')
		expect(output.custody_type).toBe(clean(input.custodyType));
	else expect(output.custody_type).toBeUndefined();
}
