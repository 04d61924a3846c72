/**
 * The conditions the reliability suite puts a run under, each set on the simulator for one
 * execution and cleared afterwards: seeded faults, a token that expires mid-run, Upvest down for a
 * while, a connection dropped after creating. The scenario tests check the outcome in detail; the
 * secrets test runs them all once more at debug level.
 */
import { whenSeen, type Execution, type ReliabilityEnv } from './reliability-env';
import { FAULT_SEED, GROUP_FAULTS } from './reliability-workflows';

const GROUPS = '/account_groups';
const ROLES = '/roles';

/** Runs `workflowId` under GROUP_FAULTS; `applied` counts each fault kind, in GROUP_FAULTS order. */
export async function runUnderFaults(
	env: ReliabilityEnv,
	workflowId: string,
): Promise<{ execution: Execution; applied: number[] }> {
	env.sim.setFaults(
		GROUP_FAULTS.map((entry) => entry.fault),
		FAULT_SEED,
	);
	try {
		const execution = await env.execute(workflowId);
		return { execution, applied: await env.appliedFaults() };
	} finally {
		env.sim.setFaults([]);
	}
}

interface Change {
	/** The path whose requests are counted. */
	path: string;
	/** How many requests to `path` come before the change. */
	after: number;
	/** Faults from the start of the execution. */
	faults?: object[];
	change: () => void;
	expect?: 'success' | 'failure';
}

/** Runs `workflowId` and makes `change` once `after` requests to `path` arrived; faults cleared after. */
async function runWithChange(
	env: ReliabilityEnv,
	workflowId: string,
	{ path, after, faults = [], change, expect }: Change,
): Promise<{ execution: Execution; changedAfter: number }> {
	env.sim.setFaults(faults);
	let changedAfter = -1;
	try {
		const execution = await env.execute(workflowId, {
			expect,
			during: (since, ended) =>
				whenSeen(
					ended,
					() => env.countSince(since, path) >= after,
					() => {
						changedAfter = env.countSince(since, path);
						change();
					},
				),
		});
		return { execution, changedAfter };
	} finally {
		env.sim.setFaults([]);
	}
}

/**
 * Every issued token expires once `after` account group requests arrived. A little latency keeps a
 * sequential run long enough for that to happen in its middle.
 */
export async function runWithTokenExpiry(env: ReliabilityEnv, workflowId: string, after: number) {
	return await runWithChange(env, workflowId, {
		path: GROUPS,
		after,
		faults: [{ path: GROUPS, kind: 'latency', latencyMs: 15 }],
		change: () => env.sim.expireTokens(),
	});
}

/**
 * Once `after` role requests arrived, Upvest answers the next `failing` role requests with 503.
 * With one item at a time and Max Attempts m, that is failing / m whole items' retry budget.
 */
export async function runWithOutage(
	env: ReliabilityEnv,
	workflowId: string,
	after: number,
	failing: number,
) {
	const latency = { path: ROLES, kind: 'latency', latencyMs: 25 };
	return await runWithChange(env, workflowId, {
		path: ROLES,
		after,
		faults: [latency],
		change: () =>
			env.sim.setFaults([latency, { path: ROLES, kind: 'status', status: 503, count: failing }]),
	});
}

/**
 * Once `after` account group requests arrived, the next one is processed and its connection
 * dropped. With Max Attempts 1 and without Continue On Fail that item fails the node and the
 * execution: the run stops half-way with some resources created.
 */
export async function runFailingHalfWay(env: ReliabilityEnv, workflowId: string, after: number) {
	return await runWithChange(env, workflowId, {
		path: GROUPS,
		after,
		expect: 'failure',
		change: () =>
			env.sim.setFaults([{ path: GROUPS, method: 'POST', kind: 'drop-after-create', count: 1 }]),
	});
}
