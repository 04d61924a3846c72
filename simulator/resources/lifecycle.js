'use strict';

/**
 * Status changes of simulated resources: each one moves `updated_at` forward and emits the
 * webhook event that goes with the new status; delayed ones run on the resource scheduler.
 */

/** An ISO timestamp now, but strictly after `previous`, so every change moves updated_at. */
function timestampAfter(previous) {
	const now = Date.now();
	const last = previous ? Date.parse(previous) : 0;
	return new Date(Math.max(now, last + 1)).toISOString();
}

/** The times of a resource created now. */
function createdNow() {
	const now = new Date().toISOString();
	return { created_at: now, updated_at: now };
}

/**
 * @param deps {{ scheduler: Scheduler, emit: (type: string, object: object) => void,
 *                onMove?: (resource, status) => void (after the event: what follows from it),
 *                timestamps?: boolean (false: the resource has no updated_at, e.g. checks) }}
 * @param events Record<status, event type> (statuses without an event are left out)
 */
function createLifecycle({ scheduler, emit, onMove = () => {}, timestamps = true }, events) {
	/** A change that is not a status change (e.g. a new name): updated_at moves, `type` is emitted. */
	function touch(resource, type) {
		if (timestamps) resource.updated_at = timestampAfter(resource.updated_at);
		if (type) emit(type, resource);
	}

	function move(resource, status) {
		resource.status = status;
		touch(resource, events[status]);
		onMove(resource, status);
	}

	/** Moves `resource` from `from` to `to` after `delayMs` (null = never), if still in `from`. */
	function later(delayMs, resource, from, to) {
		if (delayMs === null) return;
		scheduler.after(delayMs, () => {
			if (resource.status === from) move(resource, to);
		});
	}

	return { move, later, touch };
}

/** The statuses users and businesses share (Upvest's API reference). */
const ONBOARDING_STATUSES = ['INACTIVE', 'ACTIVE', 'OFFBOARDING', 'OFFBOARDED'];

/** Their events, in the category `category` (USER or BUSINESS). */
const onboardingEvents = (category) => ({
	ACTIVE: `${category}.ACTIVATED`,
	INACTIVE: `${category}.DEACTIVATED`,
	OFFBOARDING: `${category}.OFFBOARDING_INITIATED`,
	OFFBOARDED: `${category}.OFFBOARDED`,
});

module.exports = {
	createLifecycle,
	createdNow,
	timestampAfter,
	ONBOARDING_STATUSES,
	onboardingEvents,
};
