// Preloaded into a process under test (NODE_OPTIONS=--require …) to say what it loaded: on SIGUSR2
// it writes Node's list of loaded internal modules to MODULE_REPORT_FILE. Tests use it to check
// that a process does not load what it must not (e.g. the connector and undici).
const { writeFileSync } = require('node:fs');

process.on('SIGUSR2', () => {
  writeFileSync(process.env.MODULE_REPORT_FILE, JSON.stringify(process.moduleLoadList));
});
