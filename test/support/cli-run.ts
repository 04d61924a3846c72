/** Running a workflow through the n8n CLI, and checks on what it sent to the simulator. */
import { writeArtifact } from '../../scripts/artifacts';
import { nodeOutput } from '../../scripts/n8n-runtime';
import { VERSION, type N8nSetup } from './e2e';
import { lastSeq, type SimulatorRecord as SimRecord } from './simulator';

type Json = Record<string, unknown>;

const EXECUTE_TIMEOUT = 120_000;

/** What the tests read of the IRun `n8n execute` prints, beyond the node outputs. */
export interface RunJson {
	startedAt?: string;
	stoppedAt?: string;
	status?: string;
	data?: { resultData?: { error?: { message?: string; description?: string } } };
}

/** What `n8n execute` gave: its exit code, run data, output and duration. */
export interface ExecuteResult {
	exitCode: number | null;
	run?: RunJson;
	/** The failed execution's error message. */
	error?: string;
	stdout: string;
	stderr: string;
	ms: number;
}

/**
 * Runs a workflow with `n8n execute` and returns the result with the simulator records it caused;
 * each execution's output and records are kept in test-artifacts/e2e/<version>/.
 */
export function executionRunner(setup: N8nSetup) {
	let runCounter = 0;
	return async function run(workflowId: string): Promise<ExecuteResult & { records: SimRecord[] }> {
		const { sim, n8n } = setup;
		const since = lastSeq(sim);
		const result: ExecuteResult = await n8n.execute(workflowId, { timeoutMs: EXECUTE_TIMEOUT });
		const records = sim.requests.filter((r) => r.seq > since);
		keepExecution(`e2e/${VERSION}/${workflowId}-${++runCounter}`, result, records);
		if (result.run === undefined) {
			throw new Error(
				`n8n execute printed no run data (exit ${result.exitCode}):\n${result.stdout}\n${result.stderr}`,
			);
		}
		return { ...result, records };
	};
}

/**
 * Keeps an execution's CLI output and the simulator records it caused as
 * test-artifacts/<base>.out.txt and <base>.simulator.json, for reading after a failure.
 */
export function keepExecution(base: string, result: ExecuteResult, records: unknown[]): void {
	writeArtifact(
		`${base}.out.txt`,
		`exit ${result.exitCode}, ${result.ms} ms\n${result.stdout}\n${result.stderr}`,
	);
	writeArtifact(`${base}.simulator.json`, records);
}

/** "exit 0" on success; otherwise the exit code with n8n's error message and description. */
export function describeFailure(result: ExecuteResult): string {
	if (result.exitCode === 0) return 'exit 0';
	const error = result.run?.data?.resultData?.error;
	const description = error?.description ? ` (${error.description})` : '';
	return `exit ${result.exitCode}: ${result.error ?? 'no error message'}${description}`;
}

export function output(
	result: ExecuteResult,
	nodeName: string,
): Array<{ json: Json; pairedItem?: unknown }> {
	const items: Array<{ json: Json; pairedItem?: unknown }> | undefined = nodeOutput(
		result.run,
		nodeName,
	);
	if (items === undefined)
		throw new Error(`node "${nodeName}" did not run: ${describeFailure(result)}`);
	return items;
}

/** The exact body: compact JSON with exactly the expected fields. */
export function expectBody(record: SimRecord, expected: Json) {
	const parsed = JSON.parse(record.body);
	expect(parsed).toStrictEqual(expected);
	expect(record.body).toBe(JSON.stringify(parsed));
	expect(record.headers['content-type']).toMatch(/^application\/json\b/);
}

export function expectAllSigned(records: SimRecord[]) {
	for (const record of records) {
		expect({ seq: record.seq, path: record.path, signature: record.signature }).toMatchObject({
			signature: { valid: true },
		});
	}
}

export function apiRecords(records: SimRecord[], apiPath: string) {
	return records.filter((r) => r.path === apiPath && !r.tokenRequest);
}

export function findByBody(records: SimRecord[], expected: Json): SimRecord {
	const match = records.filter((r) => {
		try {
			return JSON.stringify(JSON.parse(r.body)) === JSON.stringify(expected);
		} catch {
			return false;
		}
	});
	expect(match).toHaveLength(1);
	return match[0];
}

// ---------------------------------------------------------------------------
// suite
// ---------------------------------------------------------------------------
