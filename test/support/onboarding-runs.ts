/**
 * The steps of an onboarding, each one run of the Upvest node against the suite's simulator with
 * a credential holding every onboarding scope: what the tests of one operation need the others
 * to have done first, and the requests they look at afterwards.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { RunResult } from './n8n-harness';

import { derivedIdempotencyKey } from '../../nodes/Upvest/shared/idempotency';
import { accountGroup, role } from './node-builders';
import { useNodeSuite, type NodeRecord, type NodeSuite } from './node-suite';
import {
	ONBOARDING_SCOPES,
	byId,
	company,
	createAccount,
	createBusiness,
	createCheck,
	createUser,
	customer,
	type BusinessKind,
} from './onboarding-builders';

export interface OnboardingRuns {
	/** A credential store with every onboarding scope. */
	store(): ReturnType<NodeSuite['newStore']>;
	/** Runs the node on `items` with `store()`. */
	run(parameters: INodeParameters, items?: IDataObject[]): Promise<RunResult>;
	/** Runs the node on `items`, which must fail with Upvest's 404 for item 0 and `detail`. */
	notFound(parameters: INodeParameters, items: IDataObject[], detail: string): Promise<void>;
	/** Runs the node on `items`, which must succeed; answers the output items. */
	ok(parameters: INodeParameters, items?: IDataObject[]): Promise<IDataObject[]>;
	/** A BYOL user for `customer(n)` (with `changes`); answers its ID. */
	user(n?: number, changes?: IDataObject): Promise<string>;
	/** A KYC check on the user; answers its ID. */
	kyc(userId: string, n?: number): Promise<string>;
	/** An account group of the user (PERSONAL) or of the business (BUSINESS); answers its ID. */
	group(owner: { userId: string } | { businessId: string }): Promise<string>;
	/** An account in the group, of the user or the business; answers the account. */
	account(
		owner: { userId: string } | { businessId: string },
		groupId: string,
		extra?: INodeParameters,
	): Promise<IDataObject>;
	/** A business for `company(n, kind)`; answers its ID. */
	business(n?: number, kind?: BusinessKind): Promise<string>;
	/** Get of one resource: `parameters` with one empty item; answers the output item. */
	get(parameters: INodeParameters): Promise<IDataObject>;
	/** The requests of `method` to `path` (a string: exactly; a RegExp: matching). */
	sent(method: string, path: string | RegExp): NodeRecord[];
	/** Their bodies, parsed. */
	bodies(method: string, path: string | RegExp): IDataObject[];
	/** Every POST to `path` was signed and carried the key derived from its body. */
	expectDerivedKeys(path: string): void;
}

export function onboardingRuns(node: NodeSuite): OnboardingRuns {
	const store = () => node.newStore('ed25519', { scopes: ONBOARDING_SCOPES });
	const run = async (parameters: INodeParameters, items: IDataObject[] = [{}]) =>
		await node.run(parameters, items, { store: store() });
	async function ok(parameters: INodeParameters, items: IDataObject[] = [{}]) {
		const result = await run(parameters, items);
		expect(result.error).toBeUndefined();
		return result.items.map((item) => item.json);
	}
	const idOf = async (parameters: INodeParameters, item: IDataObject) =>
		String((await ok(parameters, [item]))[0].id);
	const sent = (method: string, path: string | RegExp) =>
		node
			.apiRecords()
			.filter(
				(record) =>
					record.method === method &&
					(typeof path === 'string' ? record.path === path : path.test(record.path)),
			);
	return {
		store,
		run,
		async notFound(parameters, items, detail) {
			const { error } = await run(parameters, items);
			expect(error?.message).toBe('Upvest answered 404 Not Found [item 0]');
			expect(error?.httpCode).toBe('404');
			expect(error?.description).toContain(detail);
		},
		ok,
		user: async (n = 0, changes = {}) =>
			await idOf(createUser('byol'), { ...customer(n), ...changes }),
		kyc: async (userId, n = 0) => await idOf(createCheck('KYC'), { ...customer(n), userId }),
		group: async (owner) =>
			await idOf(
				'userId' in owner
					? accountGroup('create', {
							ownerType: 'user',
							userId: byId(owner.userId),
							accountGroupType: 'PERSONAL',
						})
					: accountGroup('create', { ownerType: 'business', businessId: byId(owner.businessId) }),
				{},
			),
		account: async (owner, groupId, extra = {}) =>
			(
				await ok(createAccount('userId' in owner ? 'user' : 'business', extra), [
					{ ...owner, groupId },
				])
			)[0],
		business: async (n = 0, kind = 'company') => await idOf(createBusiness(kind), company(n, kind)),
		get: async (parameters) => (await ok(parameters))[0],
		sent,
		expectDerivedKeys(path) {
			const posts = sent('POST', path);
			expect(posts.length).toBeGreaterThan(0);
			for (const post of posts) {
				expect(post.signature.valid).toBe(true);
				const body = JSON.parse(post.body) as IDataObject;
				const request = { method: 'POST', path, body } as const;
				expect(post.idempotencyKey).toBe(
					derivedIdempotencyKey(node.suite.client.clientId, request),
				);
			}
		},
		bodies: (method, path) =>
			sent(method, path).map((record) => JSON.parse(record.body) as IDataObject),
	};
}

/** A node suite (`useNodeSuite(poolSize)`) and the onboarding runs on it. */
export function useOnboardingSuite(poolSize: number): { node: NodeSuite; runs: OnboardingRuns } {
	const node = useNodeSuite(poolSize);
	return { node, runs: onboardingRuns(node) };
}

/** The business roles Upvest needs before it activates a business. */
export const REQUIRED_BUSINESS_ROLES = [
	'ULTIMATE_BENEFICIAL_OWNER',
	'LEGAL_REPRESENTATIVE',
	'CONTRACTING_EXECUTIVE',
];

/** Role → Create on the business in `$json.businessId`, for `$json.userId` as `$json.roleType`. */
export const businessRole = role('create', {
	entityType: 'business',
	userId: byId('={{ $json.userId }}'),
	entityId: byId('={{ $json.businessId }}'),
	roleType: '={{ $json.roleType }}',
});
