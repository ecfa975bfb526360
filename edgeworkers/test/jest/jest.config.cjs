// The Jest set-up the README documents: the kit's mapping of the EdgeWorkers built-in names
// (run with NODE_OPTIONS=--experimental-vm-modules; the stand-ins are ES modules).
module.exports = {
	rootDir: __dirname,
	testEnvironment: 'node',
	transform: {},
	testMatch: ['<rootDir>/*.jest.mjs'],
	moduleFileExtensions: ['js', 'mjs', 'cjs', 'json'],
	moduleNameMapper: require('../../jest-mapper.cjs'),
};
