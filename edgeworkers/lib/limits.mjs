// The EdgeWorkers runtime limits that matter to code calling EdgeKV, as Akamai documents them
// for the Dynamic Compute resource tier (the default): a sub-request may take at most 5.5 s
// of wall time (8 s inside responseProvider) and its response may be at most 5 MB. The
// stand-in applies the event-handler figure unless told otherwise.
export const SUBREQUEST_TIMEOUT_MS = 5500;
export const SUBREQUEST_TIMEOUT_RESPONSE_PROVIDER_MS = 8000;
export const SUBREQUEST_MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

/** Limits in force: EDGEKV_SUBREQUEST_TIMEOUT_MS and EDGEKV_SUBREQUEST_MAX_BYTES override. */
export function limits() {
	const num = (v, d) => (v !== undefined && v !== '' && Number(v) > 0 ? Number(v) : d);
	return {
		timeoutMs: num(process.env.EDGEKV_SUBREQUEST_TIMEOUT_MS, SUBREQUEST_TIMEOUT_MS),
		maxBytes: num(process.env.EDGEKV_SUBREQUEST_MAX_BYTES, SUBREQUEST_MAX_RESPONSE_BYTES),
	};
}
