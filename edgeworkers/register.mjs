// `node --import <kit>/register.mjs your-test.mjs`: makes `http-request`, `streams`,
// `text-encode-transform`, `encoding`, `url-search-params`, `create-response` and `log`
// resolve to the kit's stand-ins (hooks.mjs). Needs Node 18.19 or later (module.register).
import * as nodeModule from 'node:module';

if (typeof nodeModule.register !== 'function')
	throw new Error(`edgekv-emulator kit: Node ${process.version} has no module.register(); use Node 18.19 or later`);
nodeModule.register('./hooks.mjs', import.meta.url);
