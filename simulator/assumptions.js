'use strict';

/**
 * Where Upvest's behaviour is not documented, the simulator assumes what is written here, in one
 * place, so each assumption is easy to find and change. docs/simulator.md lists them.
 */

module.exports = {
	/** GET /roles narrows the list by these query parameters (UUIDs). */
	ROLE_LIST_FILTERS: ['user_id', 'entity_id'],
	/** DELETE /roles/{id} answers this status with the role, now INACTIVE. */
	ROLE_DEACTIVATE_STATUS: 202,
	/**
	 * GET /users/{user_id}/account_groups lists every group that names the user in `users`
	 * (OWNER, CHILD or GUARDIAN), not only the groups the user owns.
	 */
	USER_GROUPS_INCLUDE_ALL_USER_TYPES: true,
};
