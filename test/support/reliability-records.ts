/**
 * Reading the simulator's request records in the reliability suite: the records as they really
 * are (a dropped connection has no status, a request answered before verification no signature),
 * grouping and counting, and a second, independent check of every request's signature.
 */
import type { IDataObject } from 'n8n-workflow';

import { NonceStore, verifyRequest } from '../../simulator/verify';
import { tokensFromRequests } from './secrets';
import { testClient, type SimulatorRecord } from './simulator';

export type WireRecord = Omit<SimulatorRecord, 'status' | 'signature'> & {
	/** null: the connection was dropped without an answer. */
	status: number | null;
	/** null: answered before verification (an injected fault, an expired token). */
	signature: SimulatorRecord['signature'] | null;
	/** Also in the problem+json body and the upvest-request-id header of the answer. */
	requestId: string;
	receivedAt: string;
};

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Resource requests (token requests left out) to one path. */
export function apiRecords(records: WireRecord[], apiPath: string): WireRecord[] {
	return records.filter((record) => record.path === apiPath && !record.tokenRequest);
}

export function tokenRecords(records: WireRecord[]): WireRecord[] {
	return records.filter((record) => record.tokenRequest);
}

/** Every access token the node sent (each token the simulator issued is used at least once). */
export function bearerTokens(records: WireRecord[]): string[] {
	return tokensFromRequests(records as unknown as SimulatorRecord[]);
}

export function bodyOf(record: WireRecord): IDataObject {
	return JSON.parse(record.body) as IDataObject;
}

/** The `user_id` of a request body: every input item of the suite has its own. */
export function ownerOf(record: WireRecord): string {
	return String(bodyOf(record).user_id);
}

export function groupBy<T>(list: T[], key: (item: T) => string): Map<string, T[]> {
	const map = new Map<string, T[]>();
	for (const item of list) {
		const name = key(item);
		map.set(name, [...(map.get(name) ?? []), item]);
	}
	return map;
}

export function count<T>(list: T[], predicate: (item: T, index: number) => boolean): number {
	return list.filter(predicate).length;
}

/** A request that made the simulator create a resource: answered, or dropped after creating. */
export function created(record: WireRecord): boolean {
	return !record.replayed && (record.status === 200 || record.fault === 'drop-after-create');
}

const VERIFY_KEYS = new Map([
	[
		testClient.ecdsa.keyId,
		{ clientId: testClient.clientId, publicKeys: [testClient.ecdsa.publicKeyPem] },
	],
	[
		testClient.ed25519.keyId,
		{ clientId: testClient.clientId, publicKeys: [testClient.ed25519.publicKeyPem] },
	],
]);

/**
 * Verifies every request's signature again, also of requests the simulator answered before
 * verifying (injected faults, expired tokens), with one nonce store per checker: a nonce used
 * twice anywhere in one test fails.
 */
export class SignatureChecker {
	private readonly nonces = new NonceStore();
	checked = 0;

	/** Problems found, one line per bad request ([] when every signature is valid). */
	problems(records: WireRecord[]): string[] {
		const problems: string[] = [];
		for (const record of records) {
			if (record.signature !== null && !record.signature.valid) {
				problems.push(`#${record.seq} ${record.path}: simulator: ${record.signature.error}`);
			}
			const again = verifyRequest(
				{
					method: record.method,
					path: record.path,
					query: record.query,
					headers: record.headers,
					body: Buffer.from(record.body, 'utf8'),
				},
				{
					keys: VERIFY_KEYS,
					now: Math.floor(Date.parse(record.receivedAt) / 1000),
					nonceStore: this.nonces,
				},
			);
			this.checked++;
			if (!again.valid) problems.push(`#${record.seq} ${record.path}: re-verified: ${again.error}`);
		}
		return problems;
	}
}
