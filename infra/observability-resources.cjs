'use strict';

const { buildSync } = require('esbuild');
const Module = require('node:module');
const { join } = require('node:path');

/**
 * Adds the CloudWatch dashboard and alarms (plain CloudFormation resources) to the packaged template. They are
 * rendered by infra/observability/resources.ts from the figure definitions in src/analytics/, which this plugin
 * bundles with esbuild on the fly, so the dashboard can never drift from the metrics the code emits. Runs on
 * `serverless package` and `deploy` only, never offline. The alarm e-mail comes from
 * `custom.observability.alarmEmail` (the `alarmEmail` param).
 */
class ObservabilityResources {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'after:package:compileEvents': () => this.add() };
  }

  add() {
    const { service } = this.serverless;
    const stage = this.serverless.getProvider('aws').getStage();
    const functionNames = {};
    const functionTimeouts = {};
    for (const key of service.getAllFunctions()) {
      const fn = service.getFunction(key);
      functionNames[key] = fn.name;
      functionTimeouts[key] = Number(fn.timeout ?? service.provider.timeout ?? 6);
    }
    const prefix = `${service.service}-${stage}`;
    const resources = loadRenderer().observabilityResources({
      functionNames,
      functionTimeouts,
      tableName: service.custom.tableName,
      dashboardName: prefix,
      alarmEmail: String(service.custom.observability?.alarmEmail ?? '').trim(),
      alarmPrefix: prefix,
    });
    Object.assign(service.provider.compiledCloudFormationTemplate.Resources, resources);
  }
}

function loadRenderer() {
  const file = join(__dirname, 'observability', 'resources.ts');
  const { outputFiles } = buildSync({
    entryPoints: [file],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
  });
  const compiled = new Module(file, module);
  compiled.filename = file;
  compiled.paths = Module._nodeModulePaths(__dirname);
  compiled._compile(outputFiles[0].text, file);
  return compiled.exports;
}

module.exports = ObservabilityResources;
