/**
 * Upvest IDs (and API client IDs) are UUIDs in any version; the "By ID" modes of resource locators
 * use the same pattern.
 */
export const UUID_PATTERN =
	'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const UUID = new RegExp(UUID_PATTERN);

export function isUuid(value: string): boolean {
	return UUID.test(value);
}
