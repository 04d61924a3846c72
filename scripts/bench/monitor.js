'use strict';

/**
 * Samples /proc every 10 ms while something runs: RSS, peak RSS (VmHWM) and CPU time of the n8n
 * process, the simulator's CPU time, this process's CPU time and the busy time of the whole
 * machine, so that every run also says how much CPU the rest of the machine used meanwhile
 * ("other load"). Linux only.
 */

const fs = require('node:fs');

const CLOCK_TICKS = 100; // getconf CLK_TCK on Linux x86-64

function readStat(pid) {
	const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
	return { cpuMs: ((Number(rest[11]) + Number(rest[12])) * 1000) / CLOCK_TICKS };
}

function readStatus(pid) {
	const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (name) => {
		const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
		return match ? Number(match[1]) * 1024 : undefined;
	};
	return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Busy CPU time of the whole machine (all cores), from /proc/stat, in ms. */
function machineBusyMs() {
	const fields = fs
		.readFileSync('/proc/stat', 'utf8')
		.split('\n', 1)[0]
		.trim()
		.split(/\s+/)
		.slice(1)
		.map(Number);
	const [user, nice, system, , , irq, softirq, steal] = fields; // idle and iowait are not busy
	return ((user + nice + system + irq + softirq + steal) * 1000) / CLOCK_TICKS;
}

/**
 * @param {object} watch
 * @param {number} [watch.pid] the process to follow (n8n); none for a bare run
 * @param {number} watch.simulatorPid
 */
function startMonitor({ pid, simulatorPid }) {
	const samples = [];
	let gone = false;
	const tick = () => {
		const sample = { t: Date.now() };
		if (pid !== undefined && !gone) {
			try {
				Object.assign(sample, readStatus(pid), { cpuMs: readStat(pid).cpuMs });
			} catch {
				gone = true;
			}
		}
		try {
			sample.simCpuMs = readStat(simulatorPid).cpuMs;
			sample.busyMs = machineBusyMs();
			const own = process.cpuUsage();
			sample.selfCpuMs = (own.user + own.system) / 1000;
		} catch {
			return; // the simulator is gone
		}
		if (pid === undefined || sample.rss !== undefined) samples.push(sample);
	};
	const timer = setInterval(tick, 10);
	tick();
	return {
		stop() {
			clearInterval(timer);
			if (pid === undefined) tick();
			return { pid, samples };
		},
	};
}

/** CPU shares of the window between two samples, and the other load on the machine, in cores. */
function cpuOfWindow(first, end) {
	const wall = end.t - first.t;
	if (wall <= 0) return {};
	const n8nMs = end.cpuMs !== undefined ? end.cpuMs - first.cpuMs : 0;
	const simMs = end.simCpuMs - first.simCpuMs;
	const selfMs = end.selfCpuMs - first.selfCpuMs;
	const summary = {
		simulatorCpuShare: simMs / wall,
		simulatorCpuMs: simMs,
		selfCpuShare: selfMs / wall,
		selfCpuMs: selfMs,
		// everything else on the machine (other processes, the task runner, the kernel), in cores
		otherLoadCores: Math.max(0, (end.busyMs - first.busyMs - n8nMs - simMs - selfMs) / wall),
	};
	if (end.cpuMs !== undefined)
		Object.assign(summary, { n8nCpuShare: n8nMs / wall, n8nCpuMs: n8nMs });
	return summary;
}

/**
 * What the samples say about the whole process and about the window [from, to] (epoch ms):
 * peak RSS, the RSS just before the window, the peak inside it, and the CPU figures of the window.
 */
function summarizeSamples(samples, from, to) {
	if (samples.length === 0) return {};
	const last = samples[samples.length - 1];
	const summary = { samples: samples.length };
	if (last.rss !== undefined) {
		summary.peakRssBytes = Math.max(...samples.map((s) => s.hwm ?? s.rss));
		summary.cpuMsTotal = last.cpuMs;
	}
	const inside =
		from === undefined ? samples : samples.filter((s) => s.t >= from - 10 && s.t <= to + 10);
	if (inside.length >= 2) {
		const end = inside[inside.length - 1];
		summary.windowMs = end.t - inside[0].t;
		if (end.rss !== undefined) summary.windowPeakRssBytes = Math.max(...inside.map((s) => s.rss));
		Object.assign(summary, cpuOfWindow(inside[0], end));
	}
	if (from !== undefined) {
		const before = samples.filter((s) => s.t < from && s.rss !== undefined);
		if (before.length > 0) summary.rssBeforeNodeBytes = before[before.length - 1].rss;
	}
	return summary;
}

module.exports = { startMonitor, summarizeSamples };
