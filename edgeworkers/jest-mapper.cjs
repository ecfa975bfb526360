// Jest's equivalent of register.mjs: in jest.config, `moduleNameMapper: require('<kit>/jest-mapper.cjs')`
// maps each EdgeWorkers built-in module name to the kit's stand-in (run Jest with
// NODE_OPTIONS=--experimental-vm-modules: the stand-ins are ES modules).
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const { provided } = JSON.parse(readFileSync(join(__dirname, 'lib', 'builtins.json'), 'utf8'));
module.exports = Object.fromEntries(provided.map((name) => [`^${name}$`, join(__dirname, 'builtins', `${name}.mjs`)]));
