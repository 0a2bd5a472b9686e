// Lint Cypher statements with Neo4j's own front end (@neo4j-cypher/language-support).
//
//   node lint.cjs MODULES_DIR < statements.json > diagnostics.json
//
// Input: a JSON list of statement texts. Output: a JSON object with the package version and, per
// statement and Cypher version ("CYPHER 5", "CYPHER 25"), the diagnostics as
// [severity, message, offset]: severity 1 is an error, 2 a warning (notices such as a cartesian
// product). Functions and procedures are checked against the registry of a Neo4j server that
// the package ships (testData.mockSchema), without plugins: APOC and GDS are left out because
// the compose file installs neither. Undeclared $parameters are not errors here: every
// statement takes its values as parameters.
'use strict';

const path = require('node:path');
const fs = require('node:fs');

const modules = path.resolve(process.argv[2] || '.');
const pkgDir = path.join(modules, 'node_modules', '@neo4j-cypher', 'language-support');
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const ls = require(pkgDir);

const PLUGINS = /^(apoc|gds)\./;
function withoutPlugins(registry) {
  const out = {};
  for (const [version, entries] of Object.entries(registry || {})) {
    out[version] = Object.fromEntries(
      Object.entries(entries).filter(([name]) => !PLUGINS.test(name)),
    );
  }
  return out;
}

const mock = ls.testData.mockSchema;
const schema = {
  functions: withoutPlugins(mock.functions),
  procedures: withoutPlugins(mock.procedures),
};

const statements = JSON.parse(fs.readFileSync(0, 'utf8'));
const results = statements.map((text) => {
  const perVersion = {};
  for (const version of ls.allCypherVersions) {
    const { diagnostics } = ls.lintCypherQuery(`${version} ${text}`, schema);
    perVersion[version] = diagnostics
      .filter((d) => ls.isNotParamError(d))
      .map((d) => [d.severity, d.message, d.offsets ? d.offsets.start - version.length - 1 : -1]);
  }
  return perVersion;
});

process.stdout.write(
  JSON.stringify({
    package: `${pkg.name}@${pkg.version}`,
    versions: ls.allCypherVersions,
    functions: Object.fromEntries(
      Object.entries(schema.functions).map(([v, f]) => [v, Object.keys(f).length]),
    ),
    results,
  }),
);
