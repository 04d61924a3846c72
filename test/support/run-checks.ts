/**
 * Checks of a run that should have succeeded: one output item per input, paired and without
 * error, nothing secret in it; every request answered 200 with a valid signature; an output item
 * equal to the resource the simulator stored.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { RunResult } from './n8n-harness';
import type { NodeSuite } from './node-suite';
import type { SimulatorRecord } from './simulator';

/** No error, one output item per input in order, nothing leaked. */
export function expectSuccess(node: NodeSuite, result: RunResult, inputCount: number) {
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(inputCount);
	result.items.forEach((item, index) => {
		expect(item.json.error).toBeUndefined();
		expect(item.pairedItem).toEqual({ item: index });
	});
	node.expectNoLeak(result);
}

/** At least one record, and each answered 200 after the simulator verified its signature. */
export function expectAllSignaturesValid(records: SimulatorRecord[]) {
	expect(records.length).toBeGreaterThan(0);
	for (const record of records) {
		expect({
			seq: record.seq,
			path: record.path,
			status: record.status,
			signature: record.signature,
		}).toEqual(
			expect.objectContaining({ status: 200, signature: expect.objectContaining({ valid: true }) }),
		);
	}
}

/** The resource the simulator stored for this output item, as JSON (what the API answered). */
export function storedResource(
	node: NodeSuite,
	item: INodeExecutionData,
	kind: 'accountGroups' | 'roles',
): IDataObject {
	const stored = node.sim.state[kind].find((resource) => resource.id === item.json.id);
	expect(stored).toBeDefined();
	return JSON.parse(JSON.stringify(stored)) as IDataObject;
}
