/**
 * Inputs, faults and workflows of the reliability suite. Inputs are the same on every run (UUIDs
 * derived from fixed texts); every workflow is Start → Set (raw JSON) → Split Out → the Upvest
 * node, built with scripts/workflows.js.
 */
import { createHash } from 'node:crypto';

import { uuidFromText } from '../../nodes/Upvest/shared/idempotency';
import { itemsWorkflow, personalGroupsFromItems, upvestNode } from '../../scripts/workflows';
import type { CredentialRef, Json } from './reliability-env';

export const GROUPS_NODE = 'Create account groups';
export const ROLES_NODE = 'Create roles';

/** A stable version-4 UUID from a text. */
export function seededUuid(text: string): string {
	const b = createHash('sha256').update(text).digest().subarray(0, 16);
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	const h = b.toString('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export interface GroupInput {
	customerId: string;
	userId: string;
}

/** `count` account group inputs, owners unique per `prefix`. */
export function groupInputs(prefix: string, count: number): GroupInput[] {
	return Array.from({ length: count }, (_, i) => ({
		customerId: `${prefix}-${String(i + 1).padStart(4, '0')}`,
		userId: seededUuid(`reliability-${prefix}-owner-${i}`),
	}));
}

export const BUSINESS_ID = seededUuid('reliability-business');

export interface RoleInput {
	ref: string;
	userId: string;
	businessId: string;
}

export const ROLE_INPUTS: RoleInput[] = Array.from({ length: 12 }, (_, i) => ({
	ref: `ROLE-${String(i + 1).padStart(4, '0')}`,
	userId: seededUuid(`reliability-role-user-${i}`),
	businessId: BUSINESS_ID,
}));

/** The key the node sends for a text mapped into Options → Idempotency Key. */
export const mappedKey = (path: string, text: string): string => uuidFromText(path, text);

/**
 * Per-attempt rates 5 % / 5 % / 10 % / 10 % of all attempts: faults are tried in order and the
 * first one wins, so each rate is divided by what the earlier ones left.
 */
export const FAULT_SEED = 20261122;
export const GROUP_FAULTS = [
	{
		name: '429 with Retry-After: 1',
		rate: 0.05,
		fault: { kind: 'status', status: 429, retryAfter: 1, rate: 0.05 },
	},
	{
		name: '429 without Retry-After',
		rate: 0.05,
		fault: { kind: 'status', status: 429, rate: 0.05 / 0.95 },
	},
	{ name: '503', rate: 0.1, fault: { kind: 'status', status: 503, rate: 0.1 / 0.9 } },
	{ name: 'drop after create', rate: 0.1, fault: { kind: 'drop-after-create', rate: 0.1 / 0.8 } },
].map((entry) => ({
	...entry,
	fault: { path: '/account_groups', method: 'POST', ...entry.fault },
}));

/**
 * 30 % of all attempts fail, so an item fails for good with probability 0.3^maxAttempts: with 10
 * (the node's maximum) that is 0.1 % per run of 200 items, with 8 it would be 1.3 %.
 */
export const FAULTS_MAX_ATTEMPTS = 10;

/** Where each item's idempotency key comes from. */
export type KeySource = 'mapped' | 'derived' | 'newEachRun';

function keyOptions(keys: KeySource, mapFrom: string): Json {
	if (keys === 'mapped') return { idempotencyKey: `={{ $json.${mapFrom} }}` };
	if (keys === 'newEachRun') return { newIdempotencyKeyEachRun: true };
	return {};
}

export interface NodeSettings {
	id: string;
	credential: CredentialRef;
	concurrency: number;
	maxAttempts: number;
	keys: KeySource;
	continueOnFail?: boolean;
}

/** Workflow JSON as n8n imports it. */
export type Workflow = Json & { id: string };

/** Start → items → the Upvest node with `parameters`, the settings' options and Continue On Fail. */
function createWorkflow(
	settings: NodeSettings,
	items: object[],
	node: string,
	parameters: Json,
): Workflow {
	const mapFrom = node === GROUPS_NODE ? 'customerId' : 'ref';
	const options = {
		...keyOptions(settings.keys, mapFrom),
		concurrency: settings.concurrency,
		maxAttempts: settings.maxAttempts,
	};
	const extra = settings.continueOnFail ? { onError: 'continueRegularOutput' } : {};
	const upvest = upvestNode(node, [660, 0], { ...parameters, options }, settings.credential, extra);
	return {
		...itemsWorkflow(settings.id, `Reliability: ${settings.id}`, items, upvest),
		id: settings.id,
	};
}

/** One PERSONAL account group per input item; mapped keys come from its customerId. */
export function accountGroupsWorkflow(settings: NodeSettings, items: GroupInput[]): Workflow {
	return createWorkflow(settings, items, GROUPS_NODE, personalGroupsFromItems());
}

/** One LEGAL_REPRESENTATIVE role on the business per input item; mapped keys come from its ref. */
export function rolesWorkflow(settings: NodeSettings, items: RoleInput[]): Workflow {
	return createWorkflow(settings, items, ROLES_NODE, {
		resource: 'role',
		operation: 'create',
		entityType: 'business',
		userId: '={{ $json.userId }}',
		entityId: '={{ $json.businessId }}',
		roleType: 'LEGAL_REPRESENTATIVE',
	});
}

type Settings = Omit<NodeSettings, 'id' | 'credential'>;

/** How each scenario's node is set, the same in its own test and in the secrets test. */
export const SCENARIO_SETTINGS = {
	faults: { concurrency: 4, maxAttempts: FAULTS_MAX_ATTEMPTS, keys: 'mapped' },
	/** One item at a time, so the token expires between two requests. */
	tokenExpiry: { concurrency: 1, maxAttempts: 5, keys: 'mapped' },
	/** One item at a time and two attempts each, so an outage takes whole items' budgets. */
	outage: { concurrency: 1, maxAttempts: 2, keys: 'mapped', continueOnFail: true },
	/** No idempotency option: the node's default key, derived from the request. */
	failedHalfWay: { concurrency: 4, maxAttempts: 1, keys: 'derived' },
} satisfies Record<string, Settings>;

/** One test's workflow, its own credential and its inputs, all named by `id`. */
export interface WorkflowCase<T> {
	items: T[];
	workflow: Workflow;
	/** For EnvOptions: the credential and the workflow to import. */
	imports: { credentials: CredentialRef[]; workflows: Workflow[] };
}

export function workflowCase<T>(
	build: (settings: NodeSettings, items: T[]) => Workflow,
	id: string,
	items: T[],
	settings: Settings,
): WorkflowCase<T> {
	const credential = { id, name: `Reliability: ${id}` };
	const workflow = build({ ...settings, id, credential }, items);
	return { items, workflow, imports: { credentials: [credential], workflows: [workflow] } };
}
