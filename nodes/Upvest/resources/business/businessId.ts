import { businessLocator } from '../../shared/descriptions';
import type { IdField } from '../../shared/operations';

export const BUSINESSES_READ = ['businesses:read', 'businesses:admin'] as const;

/** The business an operation is about, picked from the list or by ID. */
export const businessIdField = (
	description = 'The business, from the list or by its ID',
): IdField => ({
	property: businessLocator({ description }),
	label: 'Business ID',
	what: 'ID of the Upvest business',
});
