import type { IdField } from '../../shared/operations';
import { userLocator } from '../../shared/descriptions';

export const USERS_READ = ['users:read', 'users:admin'] as const;

/** The user an operation is about, picked from the list or by ID. */
export const userIdField = (description = 'The user, from the list or by its ID'): IdField => ({
	property: userLocator({ description }),
	label: 'User ID',
	what: 'ID of the Upvest user',
});
