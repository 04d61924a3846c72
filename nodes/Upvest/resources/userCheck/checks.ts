import type { IDataObject } from 'n8n-workflow';

import { listEntries } from '../../shared/operations';

export const CHECKS_READ = ['checks:read', 'checks:admin'] as const;

/**
 * The check of `type` confirmed at the same instant, in a `{data: [...]}` list of checks: the one
 * an earlier run submitted (Upvest takes no idempotency key for checks).
 */
export function findCheck(
	answer: IDataObject,
	type: string,
	confirmedAt: string,
): IDataObject | undefined {
	const instant = Date.parse(confirmedAt);
	return listEntries(answer).find(
		(check) =>
			check.type === type &&
			typeof check.check_confirmed_at === 'string' &&
			Date.parse(check.check_confirmed_at) === instant,
	);
}
