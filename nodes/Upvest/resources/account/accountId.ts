import { accountLocator } from '../../shared/descriptions';
import type { IdField } from '../../shared/operations';

export const ACCOUNTS_READ = ['accounts:read', 'accounts:admin'] as const;
export const ACCOUNTS_ADMIN = ['accounts:admin'] as const;

/** The account an operation is about, picked from the list or by ID. */
export const accountIdField = (
	description = 'The account, from the list or by its ID',
): IdField => ({
	property: accountLocator({ description }),
	label: 'Account ID',
	what: 'ID of the Upvest account',
});
