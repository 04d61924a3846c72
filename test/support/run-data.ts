/**
 * The run data n8n stores with an execution it keeps (IRunExecutionData, as the REST API's
 * `GET /rest/executions/:id` gives it): what its nodes received and output (the items, which carry
 * what the workflow processed) apart from everything else (errors, timings, sources, the execution
 * stack without its items), and the errors in it.
 */
type Json = Record<string, unknown>;

interface NodeRun extends Json {
	data?: unknown;
	inputOverride?: unknown;
	error?: Json;
}

interface RunExecutionData {
	resultData?: { runData?: Record<string, NodeRun[]>; pinData?: unknown; error?: Json };
	executionData?: {
		nodeExecutionStack?: Array<{ data?: unknown }>;
		waitingExecution?: unknown;
		waitingExecutionSource?: unknown;
	};
}

/** `data` split into the nodes' items and the rest (a deep copy; `data` is not changed). */
export function splitRunData(data: unknown): { items: unknown[]; rest: unknown } {
	const rest = structuredClone(data ?? {}) as RunExecutionData;
	const items: unknown[] = [];
	const take = <T extends object>(holder: T | undefined, key: keyof T) => {
		if (holder === undefined || holder[key] === undefined) return;
		items.push(holder[key]);
		delete holder[key];
	};
	for (const runs of Object.values(rest.resultData?.runData ?? {})) {
		for (const run of runs) {
			take(run, 'data');
			take(run, 'inputOverride');
		}
	}
	take(rest.resultData, 'pinData');
	for (const entry of rest.executionData?.nodeExecutionStack ?? []) take(entry, 'data');
	take(rest.executionData, 'waitingExecution');
	take(rest.executionData, 'waitingExecutionSource');
	return { items, rest };
}

/** The execution's error and every node's error, as stored. */
export function errorsOf(data: unknown): Json[] {
	const run = (data ?? {}) as RunExecutionData;
	const errors = Object.values(run.resultData?.runData ?? {})
		.flat()
		.map((nodeRun) => nodeRun.error)
		.filter((error): error is Json => error !== undefined);
	return run.resultData?.error === undefined ? errors : [run.resultData.error, ...errors];
}
