// Runs before anything else on `npm start` / `npm test`, in syntax any Node understands,
// so an old Node stops here with a clear message instead of a stack trace from a library.
'use strict';
var required = [22, 12];
var parts = process.versions.node.split('.').map(Number);
var ok = parts[0] > required[0] || (parts[0] === required[0] && parts[1] >= required[1]);
if (!ok) {
  process.stderr.write(
    '\nBistro needs Node.js >= ' + required.join('.') + ' (Node 24 recommended); this is ' + process.version + '.\n' +
      'Install it with nvm (`nvm install` reads .nvmrc), fnm, or https://nodejs.org/, then run the command again.\n\n'
  );
  process.exit(1);
}
