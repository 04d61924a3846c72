'use strict';

/**
 * What the bench writes: test-artifacts/bench.md (the environment, the summary table of every
 * measurement, then each measurement's own section) and test-artifacts/bench.json (all rows and
 * figures).
 */

const fs = require('node:fs');
const path = require('node:path');

const { ROOT } = require('../n8n-runtime');
const { median } = require('./stats');

const ARTIFACTS = path.join(ROOT, 'test-artifacts');

/** Every "other load" figure (cores used by the rest of the machine) any row recorded. */
function otherLoad(measurements) {
	const values = measurements
		.flatMap((m) => m.rows ?? [])
		.map((r) => r.otherLoadCores)
		.filter((v) => typeof v === 'number');
	return values.length === 0
		? undefined
		: { maxCores: Math.max(...values), medianCores: median(values), runs: values.length };
}

function header(report) {
	const env = report.environment;
	const load = report.otherLoad;
	const avg = (values) => values.map((v) => v.toFixed(1)).join(' / ');
	const lines = [
		`## Benchmark (${report.startedAt.slice(0, 10)}${report.options.quick ? ', quick mode: small sizes, figures mean little' : ''})`,
		'',
		`Node ${env.node}, n8n ${env.n8n ?? '–'}, ${env.cpus} cores (${env.cpuModel ?? 'unknown CPU'}), total runtime ${report.totalSeconds.toFixed(0)} s, ` +
			`load average ${avg(env.loadavgAtStart)} at the start and ${avg(env.loadavgAtEnd)} at the end` +
			(load
				? `; other processes used up to ${load.maxCores.toFixed(2)} cores (median ${load.medianCores.toFixed(2)}) while the ${load.runs} timed runs ran. `
				: '. ') +
			"Runs use the Ed25519 key (so the simulator's own verification does not dominate) unless marked ECDSA; " +
			"the simulator runs in its own process. Node times are the Upvest node's `executionTime` from n8n's run data (token fetch included); " +
			'the bare script is axios in one process, one request after another, signing with node:crypto (token fetch included).',
		'',
	];
	if (load && load.maxCores > 0.25)
		lines.push(
			`> **Noisy machine:** other processes used up to ${load.maxCores.toFixed(2)} of the ${env.cpus} cores during the timed runs (column "Other load"); ` +
				'wall-clock figures are then pessimistic, the CPU-per-item columns and the interleaved signing ratios much less so.',
			'',
		);
	return lines;
}

function renderMarkdown(report) {
	const lines = header(report);
	lines.push('### Summary', '');
	lines.push(
		'| Measure | Node | Baseline | Ratio / share | Target |',
		'| --- | ---: | ---: | ---: | --- |',
	);
	for (const m of report.measurements)
		for (const s of m.summary ?? [])
			lines.push(`| ${s.measure} | ${s.node} | ${s.baseline} | ${s.ratio} | ${s.target} |`);
	lines.push('');
	for (const m of report.measurements) {
		lines.push(`### ${m.title}`, '', ...(m.section ?? []), '');
	}
	if (report.problems.length > 0) {
		lines.push('### Broken', '', ...report.problems.map((p) => `- ${p}`), '');
	}
	return `${lines.join('\n')}\n`;
}

/** Writes bench.md and bench.json; returns the markdown. */
function writeReport(report) {
	report.otherLoad = otherLoad(report.measurements);
	const markdown = renderMarkdown(report);
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	fs.writeFileSync(path.join(ARTIFACTS, 'bench.md'), markdown);
	const json = {
		...report,
		measurements: Object.fromEntries(
			report.measurements.map(({ id, title, rows, figures, summary }) => [
				id,
				{ title, figures, summary, rows },
			]),
		),
	};
	fs.writeFileSync(path.join(ARTIFACTS, 'bench.json'), `${JSON.stringify(json, null, 2)}\n`);
	return markdown;
}

module.exports = { writeReport };
