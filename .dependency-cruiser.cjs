/**
 * The layer rules of ARCHITECTURE.md, checked on every import: `npm run lint` runs this.
 * Arrows point down: app → scan → (github | report | diff | deps | templates | config) → rules → engine.
 */
const LOWER_THAN_SCAN = '^src/(engine|rules|diff|config|deps|templates|report|github|queue|ops)/';
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Import cycles hide the layering.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'engine-stands-alone',
      severity: 'error',
      comment: 'The engine imports nothing outside itself, so it can be reused and tested alone.',
      from: { path: '^src/engine/' },
      to: { path: '^src/', pathNot: '^src/engine/' },
    },
    {
      name: 'rules-use-only-the-engine',
      severity: 'error',
      comment: 'A rule sees the rule context and nodes, never the pipeline, GitHub or reporting.',
      from: { path: '^src/rules/' },
      to: { path: '^src/', pathNot: '^src/(engine|rules)/' },
    },
    {
      name: 'templates-use-only-the-engine-and-config',
      severity: 'error',
      comment: 'The template check reads a template and the config, and reports findings as the engine does.',
      from: { path: '^src/templates/' },
      to: { path: '^src/', pathNot: '^src/(engine|config|templates)/' },
    },
    {
      name: 'report-and-github-are-leaves',
      severity: 'error',
      comment: 'report turns findings into text and data; github sends it. Neither imports the other, nor scan.',
      from: { path: '^src/(report|github)/' },
      to: { path: '^src/(scan|app|cli|queue)/|^src/(report|github)/', pathNot: '^src/$1/' },
    },
    {
      name: 'queue-is-generic',
      severity: 'error',
      comment: 'The queues move jobs; they know nothing of scans, GitHub or findings.',
      from: { path: '^src/queue/' },
      to: { path: '^src/', pathNot: '^src/queue/' },
    },
    {
      name: 'lower-layers-never-import-the-pipeline',
      severity: 'error',
      comment: 'Only the front-ends (app, cli) call the pipeline.',
      from: { path: LOWER_THAN_SCAN },
      to: { path: '^src/(scan|app|cli)/' },
    },
    {
      name: 'the-pipeline-never-imports-a-front-end',
      severity: 'error',
      from: { path: '^src/scan/' },
      to: { path: '^src/(app|cli)/' },
    },
    {
      name: 'the-product-never-imports-tooling',
      severity: 'error',
      comment: 'dev/, tools/ and test/ never ship in dist/.',
      from: { path: '^src/' },
      to: { path: '^(dev|tools|test)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
