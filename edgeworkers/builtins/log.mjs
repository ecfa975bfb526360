// Stand-in for the EdgeWorkers built-in module `log`: logger.log/trace/debug/info/warn/error
// with printf-style formats. The runtime sends these to its debug headers and DataStream;
// here they go to stderr, from EDGEKV_LOG_LEVEL up (trace, debug, info (default), warn,
// error, or off).
import { format } from 'node:util';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error'];

function threshold() {
	const want = process.env.EDGEKV_LOG_LEVEL ?? 'info';
	if (want === 'off') return LEVELS.length;
	const i = LEVELS.indexOf(want);
	return i < 0 ? LEVELS.indexOf('info') : i;
}

function emit(level, fmt, values) {
	// logger.log is the runtime's plain level, shown like info.
	const rank = LEVELS.indexOf(level === 'log' ? 'info' : level);
	if (rank < threshold()) return;
	process.stderr.write(`[ew ${level}] ${format(String(fmt), ...values)}\n`);
}

export const logger = Object.freeze({
	log: (fmt, ...values) => emit('log', fmt, values),
	trace: (fmt, ...values) => emit('trace', fmt, values),
	debug: (fmt, ...values) => emit('debug', fmt, values),
	info: (fmt, ...values) => emit('info', fmt, values),
	warn: (fmt, ...values) => emit('warn', fmt, values),
	error: (fmt, ...values) => emit('error', fmt, values),
});
