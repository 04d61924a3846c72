/**
 * Reliability end to end: running the same input again in a real n8n (`n8n execute`). With keys
 * mapped from the input, and with the node's default key derived from the request (client,
 * endpoint, exact body), a re-run replays instead of creating, also after a run that failed
 * half-way; New Key on Every Run creates again. Figures: test-artifacts/reliability.json.
 */
import { derivedIdempotencyKey } from '../../nodes/Upvest/shared/idempotency';
import {
	describeOnN8n,
	output,
	reportFigures,
	testInOwnEnv,
	type ReliabilityEnv,
} from '../support/reliability-env';
import {
	apiRecords,
	bodyOf,
	count,
	created,
	ownerOf,
	tokenRecords,
	UUID,
	type WireRecord,
} from '../support/reliability-records';
import { runFailingHalfWay, runUnderFaults } from '../support/reliability-scenarios';
import {
	accountGroupsWorkflow,
	groupInputs,
	GROUPS_NODE,
	SCENARIO_SETTINGS,
	workflowCase,
	type GroupInput,
} from '../support/reliability-workflows';
import { testClient } from '../support/simulator';

const PATH = '/account_groups';

/** The key the node derives for a request body when no idempotency option is set. */
const derivedKey = (record: WireRecord) =>
	derivedIdempotencyKey(testClient.clientId, { method: 'POST', path: PATH, body: bodyOf(record) });

/** Every input owner has exactly one account group. */
function expectOneGroupPerInput(env: ReliabilityEnv, inputs: GroupInput[]) {
	const owners = env.sim.state.accountGroups.map((group) => group.user_id);
	expect(owners).toHaveLength(inputs.length);
	expect(new Set(owners)).toEqual(new Set(inputs.map((input) => input.userId)));
}

const REPLAY = workflowCase(
	accountGroupsWorkflow,
	'UpvestRelRerun001',
	groupInputs('CUST', 200),
	SCENARIO_SETTINGS.faults,
);
const HALF = workflowCase(
	accountGroupsWorkflow,
	'UpvestRelHalf0001',
	groupInputs('HALF', 40),
	SCENARIO_SETTINGS.failedHalfWay,
);
const FRESH = workflowCase(accountGroupsWorkflow, 'UpvestRelFresh001', groupInputs('FRESH', 6), {
	concurrency: 2,
	maxAttempts: 3,
	keys: 'newEachRun',
});

describeOnN8n(() => {
	testInOwnEnv(
		'a re-run of the 200 items run under faults creates nothing: every answer is a replay with the same id, no token request',
		{ name: 'rerun', ...REPLAY.imports, executions: 2 },
		async (env) => {
			const { items } = REPLAY;
			const first = (await runUnderFaults(env, REPLAY.workflow.id)).execution;
			const firstItems = output(first, GROUPS_NODE);
			expect(firstItems.every((item) => typeof item.json.id === 'string')).toBe(true);
			expectOneGroupPerInput(env, items);

			const execution = await env.execute(REPLAY.workflow.id);
			const api = apiRecords(execution.records, PATH);
			expectOneGroupPerInput(env, items);
			expect(api).toHaveLength(items.length);
			for (const r of api) expect(r).toMatchObject({ status: 200, replayed: true });

			// The same key per owner as in the first run (mapped from the input), the same answers.
			const firstKeys = new Map(
				apiRecords(first.records, PATH).map((r) => [ownerOf(r), r.idempotencyKey]),
			);
			for (const r of api) expect(r.idempotencyKey).toBe(firstKeys.get(ownerOf(r)));
			const rerunItems = output(execution, GROUPS_NODE);
			expect(rerunItems).toHaveLength(items.length);
			rerunItems.forEach((item, i) => {
				expect(item.pairedItem).toEqual({ item: i });
				expect(item.json).toStrictEqual(firstItems[i].json);
			});
			expect(env.signatures.problems(execution.records)).toEqual([]);
			// The credential kept the first run's (still valid) token.
			expect(tokenRecords(execution.records)).toHaveLength(0);

			reportFigures('rerun', {
				items: rerunItems.length,
				requests: api.length,
				replaysServed: count(api, (r) => r.replayed),
				created: count(api, created),
				accountGroups: env.sim.state.accountGroups.length,
				sameIdsAsFirstRun: count(rerunItems, (item, i) => item.json.id === firstItems[i].json.id),
				tokenRequests: tokenRecords(execution.records).length,
				cliMs: execution.ms,
			});
		},
	);

	testInOwnEnv(
		'a run that fails half-way (Max Attempts 1, a dropped connection), re-run with no idempotency option: every item created exactly once',
		{ name: 'half-failed', ...HALF.imports, executions: 2 },
		async (env) => {
			const { items } = HALF;
			const first = await runFailingHalfWay(env, HALF.workflow.id, items.length / 2);
			const failed = first.execution;
			const firstApi = apiRecords(failed.records, PATH);
			const dropped = firstApi.filter((r) => r.fault === 'drop-after-create');
			expect(dropped).toHaveLength(1);
			const droppedItem = items.findIndex((input) => input.userId === ownerOf(dropped[0]));
			// The execution failed on that item, naming it and the broken connection.
			expect(failed.exitCode).not.toBe(0);
			expect(failed.error).toContain(`[item ${droppedItem}]`);
			expect(failed.error).toMatch(/Could not reach Upvest/);
			// Half-way: every request sent was created (the dropped one too), the rest was never sent.
			const firstIds = new Map(
				env.sim.state.accountGroups.map((group) => [String(group.user_id), group.id]),
			);
			expect(firstApi).toHaveLength(firstIds.size);
			expect(count(firstApi, created)).toBe(firstIds.size);
			expect(env.sim.state.accountGroups).toHaveLength(firstIds.size);
			expect(firstIds.size).toBeGreaterThan(first.changedAfter);
			expect(firstIds.size).toBeLessThan(items.length);

			// The same workflow again, unchanged: every item is created exactly once overall.
			const rerun = await env.execute(HALF.workflow.id);
			const api = apiRecords(rerun.records, PATH);
			expect(api).toHaveLength(items.length);
			expectOneGroupPerInput(env, items);
			const firstKeys = new Map(firstApi.map((r) => [ownerOf(r), r.idempotencyKey]));
			for (const r of api) {
				const owner = ownerOf(r);
				// The key derived from the request, so the same as in the failed run.
				expect(r.idempotencyKey).toBe(derivedKey(r));
				if (firstKeys.has(owner)) expect(r.idempotencyKey).toBe(firstKeys.get(owner));
				expect(r).toMatchObject({ status: 200, replayed: firstIds.has(owner) });
			}
			expect(new Set(api.map((r) => r.idempotencyKey)).size).toBe(items.length);
			expect(api.every((r) => UUID.test(String(r.idempotencyKey)))).toBe(true);
			const rerunItems = output(rerun, GROUPS_NODE);
			expect(rerunItems).toHaveLength(items.length);
			rerunItems.forEach((item, i) => {
				expect(item.json.error).toBeUndefined();
				expect(item.pairedItem).toEqual({ item: i });
				expect(item.json.user_id).toBe(items[i].userId);
				const earlier = firstIds.get(items[i].userId);
				if (earlier !== undefined) expect(item.json.id).toBe(earlier);
			});
			// The dropped item's answer was lost in the failed run; the re-run got it as a replay.
			expect(rerunItems[droppedItem].json.id).toBe(firstIds.get(items[droppedItem].userId));
			expect(tokenRecords(rerun.records)).toHaveLength(0);
			expect(env.signatures.problems([...failed.records, ...rerun.records])).toEqual([]);

			reportFigures('failedHalfWayRerun', {
				items: items.length,
				concurrency: 4,
				maxAttempts: 1,
				idempotencyOption: 'none (key derived from the request)',
				droppedAfterRequests: first.changedAfter,
				droppedItem,
				firstRunExitCode: failed.exitCode,
				firstRunError: failed.error,
				createdByFailedRun: firstIds.size,
				rerunReplays: count(api, (r) => r.replayed),
				rerunCreated: count(api, created),
				accountGroups: env.sim.state.accountGroups.length,
				cliMs: [failed.ms, rerun.ms],
			});
		},
	);

	testInOwnEnv(
		'New Key on Every Run: a re-run of the same input creates every item again, with new keys',
		{ name: 'new-key', ...FRESH.imports, executions: 2 },
		async (env) => {
			const { items } = FRESH;
			const runs = [await env.execute(FRESH.workflow.id), await env.execute(FRESH.workflow.id)];
			const records = runs.flatMap((run) => run.records);
			const api = apiRecords(records, PATH);
			expect(api).toHaveLength(2 * items.length);
			for (const r of api) {
				expect(r).toMatchObject({ status: 200, replayed: false });
				expect(r.idempotencyKey).toMatch(UUID);
				expect(r.idempotencyKey).not.toBe(derivedKey(r));
			}
			expect(new Set(api.map((r) => r.idempotencyKey)).size).toBe(api.length);
			const owners = env.sim.state.accountGroups.map((group) => String(group.user_id));
			expect(owners.sort()).toEqual([...items, ...items].map((input) => input.userId).sort());
			const ids = runs.flatMap((run) => output(run, GROUPS_NODE).map((item) => item.json.id));
			expect(new Set(ids).size).toBe(2 * items.length);
			expect(env.signatures.problems(records)).toEqual([]);

			reportFigures('newKeyEachRun', {
				items: items.length,
				runs: runs.length,
				requests: api.length,
				distinctKeys: new Set(api.map((r) => r.idempotencyKey)).size,
				replays: count(api, (r) => r.replayed),
				accountGroups: owners.length,
			});
		},
	);
});
