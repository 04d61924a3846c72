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

/**
 * @param deps {{ scheduler: Scheduler, emit: (type: string, object: object) => void }}
 * @param events Record<status, event type> (statuses without an event are left out)
 */
function createLifecycle({ scheduler, emit }, events) {
	function move(resource, status) {
		resource.status = status;
		resource.updated_at = timestampAfter(resource.updated_at);
		if (events[status]) emit(events[status], resource);
	}

	/** Moves `resource` from `from` to `to` after `delayMs` (null = never), if still in `from`. */
	function later(delayMs, resource, from, to) {
		if (delayMs === null) return;
		scheduler.after(delayMs, () => {
			if (resource.status === from) move(resource, to);
		});
	}

	return { move, later };
}

module.exports = { createLifecycle, timestampAfter };
