// Stand-in for the EdgeWorkers built-in module `url-search-params`: its default export is the
// WHATWG URLSearchParams class, which Node implements.
import { URLSearchParams } from 'node:url';

export default URLSearchParams;
