#!/usr/bin/env node
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { backendSettings, type BackendSettings } from './backend/settings';
import { configJsonSchema, loadConfig, loadConfigFile, type ConfigLocation, type ResolvedConfig } from './config';
import { deploymentOrder, deploymentWaves, STATE_STACK_STATE_FILE } from './naming';
import { UsageError, UserError } from './errors';
import { packageRoot } from './package-root';
import { makeScratchDir, removeOpenScratchDirs, removeScratchDir } from './scratch';
import { stopTerraform } from './terraform/run';
import { writeOutputFile, writingOutput } from './output';
import { plural } from './text';

const DEFAULT_OUTDIR = 'cdktf.out';

function positiveInteger(flag: string) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) {
      throw new InvalidArgumentError(`${flag} takes a whole number of at least 1, got "${value}".`);
    }
    return parsed;
  };
}

function describeLocation(location: ConfigLocation, cwd: string): string {
  const base = location.origin === 'embedded' ? packageRoot() : cwd;
  const shown = path.relative(base, location.path) || location.path;
  const origin = { flag: '--config', env: '$ACTIVE_ACTIVE_CONFIG', cwd: 'working directory', embedded: 'embedded example' }[
    location.origin
  ];
  return `${shown} (${origin})`;
}

function renderBackend(stack: string, settings: BackendSettings, format: 'hcl' | 'json'): string {
  const entries: Array<[string, string | boolean]> = [
    ['bucket', settings.bucket],
    ['key', settings.key],
    ['region', settings.region],
    ['encrypt', settings.encrypt],
    ['kms_key_id', settings.kmsKeyId],
    ['dynamodb_table', settings.dynamodbTable],
    ...(settings.useLockfile ? [['use_lockfile', true] as [string, boolean]] : []),
  ];
  if (format === 'json') return JSON.stringify({ stack, ...Object.fromEntries(entries) });
  const width = Math.max(...entries.map(([k]) => k.length));
  return [
    `# ${stack}: terraform -chdir=cdktf.out/stacks/${stack} init -reconfigure -backend-config=<this file>`,
    ...entries.map(([k, v]) => `${k.padEnd(width)} = ${JSON.stringify(v)}`),
  ].join('\n');
}

export function buildCli(): Command {
  const cwd = process.cwd();
  const version = (JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  const configOption = () =>
    new Option(
      '-c, --config <path>',
      `config file (default: $ACTIVE_ACTIVE_CONFIG, else ./active-active.config.json, else the embedded two-Region example)`,
    );

  const program = new Command('active-active')
    .description('Generates Terraform for active-active, multi-Region AWS from one validated config file.')
    .version(version, '-v, --version')
    .showSuggestionAfterError()
    .exitOverride();

  program
    .command('synth')
    .description('Synthesize the Terraform JSON stacks into the output directory (replaced only on success).')
    .addOption(configOption())
    .option('-o, --output <dir>', 'output directory', DEFAULT_OUTDIR)
    .action(async (options: { config?: string; output: string }) => {
      const started = process.hrtime.bigint();
      const { config, location } = loadConfig({ flag: options.config, cwd });
      const { synthesize } = await import('./synth/synthesize');
      const outdir = path.resolve(cwd, options.output);
      const result = writingOutput('--output', options.output, () => synthesize(config, { outdir, projectDir: cwd }));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const width = Math.max(...result.stacks.map((s) => s.length));
      const lines = result.stacks.map((stack) => `  ${stack.padEnd(width)}  ${plural(result.resources[stack], 'resource')}`);
      process.stdout.write(
        [
          `Synthesized ${plural(result.stacks.length, 'stack')} from ${describeLocation(location, cwd)} into ${path.relative(cwd, result.outdir) || '.'} in ${seconds.toFixed(2)} s:`,
          ...lines,
          `Deploy order: ${result.stacks.join(' -> ')} (cdktf deploy '*' follows it).`,
          '',
        ].join('\n'),
      );
    });

  program
    .command('validate')
    .description(
      'Synthesize, then check every stack with real Terraform offline: init (local provider mirror) and plan, which validates first.',
    )
    .addOption(configOption())
    .option('--synthesized <dir>', 'check an existing synthesis output instead of synthesizing')
    .option('-j, --concurrency <n>', 'stacks checked at once (default: number of CPUs)', positiveInteger('--concurrency'))
    .option('--keep', 'keep the temporary Terraform working directories')
    .option('--plans <dir>', "also write each stack's plan as JSON to <dir>/<stack>.json (for plan-summary)")
    .action(async (options: { config?: string; synthesized?: string; concurrency?: number; keep?: boolean; plans?: string }) => {
      const { checkSynthesized, formatReport } = await import('./terraform/harness');
      let outdir: string;
      let scratch: string | undefined;
      if (options.synthesized) {
        outdir = path.resolve(cwd, options.synthesized);
      } else {
        const { config, location } = loadConfig({ flag: options.config, cwd });
        const { synthesize } = await import('./synth/synthesize');
        scratch = makeScratchDir('active-active-synth-');
        outdir = synthesize(config, { outdir: path.join(scratch, DEFAULT_OUTDIR), projectDir: cwd }).outdir;
        process.stdout.write(`Synthesized ${describeLocation(location, cwd)}.\n`);
      }
      try {
        const report = await checkSynthesized(outdir, {
          concurrency: options.concurrency,
          keepWorkdirs: options.keep,
          planJsonDir: options.plans ? path.resolve(cwd, options.plans) : undefined,
          onResult: (r) => process.stderr.write(`  ${r.stack}: ${r.ok ? 'valid' : `${r.failedStep} failed`} (${r.seconds.toFixed(1)} s)\n`),
        });
        process.stdout.write(`${formatReport(report)}\n`);
        if (options.keep) process.stdout.write(`Working directories kept: ${path.dirname(report.results[0]?.workdir ?? '')}\n`);
        if (!report.ok) process.exitCode = 1;
      } finally {
        if (scratch) removeScratchDir(scratch);
      }
    });

  program
    .command('cost')
    .description(
      'Estimate the monthly cost of the synthesized stacks, offline: fixed charges from the configuration, usage from a usage file.',
    )
    .addOption(configOption())
    .option('--synthesized <dir>', 'price an existing synthesis output instead of synthesizing')
    .option('--usage <file>', 'monthly usage figures per Region (docs/cost.md); default: a modest month')
    .option('--json', 'print {"currency", "monthlyTotal", "items", "assumptions"} instead of Markdown')
    .action(async (options: { config?: string; synthesized?: string; usage?: string; json?: boolean }) => {
      const { defaultUsage, loadUsage } = await import('./cost/usage');
      const usage = options.usage ? loadUsage(path.resolve(cwd, options.usage), options.usage) : defaultUsage();
      const { readStacks } = await import('./terraform/harness');
      const { layoutOfSynthesized } = await import('./cost/layout');
      const { estimate } = await import('./cost/estimate');
      const { priceTable } = await import('./cost/price-table');
      const { estimateJson, formatEstimate } = await import('./cost/format');
      let stacks: ReturnType<typeof readStacks>;
      let title: string;
      if (options.synthesized) {
        stacks = readStacks(path.resolve(cwd, options.synthesized));
        title = `Monthly cost of ${options.synthesized}`;
      } else {
        const { config, location } = loadConfig({ flag: options.config, cwd });
        const { synthesize } = await import('./synth/synthesize');
        const scratch = makeScratchDir('active-active-cost-');
        try {
          stacks = readStacks(synthesize(config, { outdir: path.join(scratch, DEFAULT_OUTDIR), projectDir: cwd }).outdir);
        } finally {
          removeScratchDir(scratch);
        }
        title = `Monthly cost of ${config.name}, from ${describeLocation(location, cwd)}`;
      }
      const result = estimate(layoutOfSynthesized(stacks), priceTable(), usage);
      for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
      process.stdout.write(options.json ? estimateJson(result) : formatEstimate(result, title));
    });

  program
    .command('bootstrap')
    .description(
      'Create the state stack and keep its own state in the bucket it creates: apply it with a local backend, then move the state there (init -migrate-state); no state file stays behind.',
    )
    .option('--synthesized <dir>', 'the synthesis output holding the state stack', DEFAULT_OUTDIR)
    .option('--no-apply', `only move an existing ${STATE_STACK_STATE_FILE} (a state stack deployed by an earlier version) into the bucket`)
    .option('--auto-approve', 'apply the state stack without asking')
    .option('--reverse', `move the state stack's state out of its bucket into ${STATE_STACK_STATE_FILE}, before destroying the stack`)
    .option('--backend-config <file>', 'extra S3 backend settings for terraform init (for example a profile)')
    .action(async (options: { synthesized: string; apply: boolean; autoApprove?: boolean; reverse?: boolean; backendConfig?: string }) => {
      const { bootstrapState, unbootstrapState } = await import('./terraform/bootstrap');
      const move = {
        stackDir: path.join(path.resolve(cwd, options.synthesized), 'stacks', 'state'),
        localStateFile: path.join(cwd, STATE_STACK_STATE_FILE),
        backendConfigFile: options.backendConfig,
        log: (line: string) => process.stderr.write(`${line}\n`),
      };
      if (options.reverse) {
        if (!options.apply || options.autoApprove)
          throw new UsageError('--reverse only moves state. Fix: leave out --no-apply and --auto-approve');
        await unbootstrapState(move);
      } else {
        await bootstrapState({ ...move, apply: options.apply, autoApprove: options.autoApprove });
      }
    });

  program
    .command('backend')
    .description(
      'Print the S3 backend settings of each stack, the state stack included (the state copy that state.active selects), for operators running Terraform by hand.',
    )
    .addOption(configOption())
    .option('-s, --stack <name>', 'only this stack')
    // Kept only to explain its replacement: switching one stack's backend left every remote-state read
    // of its outputs on the state bucket.
    .addOption(new Option('--replica').hideHelp())
    .addOption(new Option('-f, --format <format>', 'output format').choices(['hcl', 'json']).default('hcl'))
    .action((options: { config?: string; stack?: string; replica?: boolean; format: 'hcl' | 'json' }) => {
      if (options.replica) {
        throw new UsageError(
          '--replica is gone: it moved one stack\'s backend but not the other stacks\' reads of its outputs. Fix: set "state": { "active": "replica" } in the config, synthesize, and run init -reconfigure in every stack',
        );
      }
      const { config } = loadConfig({ flag: options.config, cwd });
      const allStacks = deploymentOrder(config.primaryRegion, config.secondaryRegions);
      if (options.stack !== undefined && !allStacks.includes(options.stack)) {
        throw new UsageError(`--stack "${options.stack}" is not a stack of this config. Fix: use one of ${allStacks.join(', ')}`);
      }
      const stacks = options.stack ? [options.stack] : allStacks;
      const blocks = stacks.map((stack) => renderBackend(stack, backendSettings(config, stack), options.format));
      process.stdout.write(`${blocks.join(options.format === 'json' ? '\n' : '\n\n')}\n`);
    });

  program
    .command('plan-summary')
    .description('Summarize the plans of several stacks (terraform show -json) as Markdown for a pull request comment.')
    .argument('[plans...]', 'plan JSON files as [stack=]path; the stack defaults to the file name, or the directory for plan.json')
    .option(
      '--failed <stack>',
      'a stack that could not be planned (repeatable)',
      (value: string, list: string[]) => [...list, value],
      [] as string[],
    )
    .option('--full-plans <where>', 'where the full plans are, for the note when the summary is truncated')
    .option('--max-length <n>', 'longest output in characters (a GitHub comment takes 65536)', positiveInteger('--max-length'))
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .action(async (args: string[], options: { failed: string[]; fullPlans?: string; maxLength?: number; output?: string }) => {
      const { parsePlanJson, PlanInputError, stackFromArgument, summarizePlans } = await import('./report/plan-summary');
      if (args.length === 0 && options.failed.length === 0) {
        throw new UsageError(
          'no plans and no --failed stacks. Fix: pass plan JSON files, or --failed <stack> for each stack that failed to plan',
        );
      }
      const plans = args.map((argument) => {
        const { stack, path: file } = stackFromArgument(argument);
        let text: Uint8Array;
        try {
          text = fs.readFileSync(path.resolve(cwd, file));
        } catch (error) {
          throw new PlanInputError(
            `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}). Fix: pass the path of a plan JSON file`,
          );
        }
        return { stack, plan: parsePlanJson(text, file) };
      });
      const names = plans.map((p) => p.stack);
      const duplicate = names.find((name, i) => names.indexOf(name) !== i);
      if (duplicate) throw new UsageError(`two plans are for stack "${duplicate}". Fix: name them explicitly, as <stack>=<path>`);
      const plannedAndFailed = names.find((name) => options.failed.includes(name));
      if (plannedAndFailed) throw new UsageError(`stack "${plannedAndFailed}" has a plan and is also --failed. Fix: pass one or the other`);
      const markdown = summarizePlans(plans, {
        failedStacks: options.failed,
        fullPlanLocation: options.fullPlans,
        maxLength: options.maxLength,
      });
      if (options.output) writeOutputFile('--output', options.output, path.resolve(cwd, options.output), markdown);
      else process.stdout.write(markdown);
    });

  program
    .command('preview')
    .description(
      'Show what a config change does to running infrastructure, offline: the old config is applied on paper, the new one planned against it.',
    )
    .option('--from <old-config>', 'the config as it is deployed now')
    .option('--from-git <ref>', 'the config file as it is at a git revision (e.g. origin/main), instead of --from')
    .addOption(configOption())
    .option('--json', 'print {"changes": [{"stack", "address", "type", "actions"}]} instead of Markdown')
    .option('-j, --concurrency <n>', 'stacks planned at once (default: number of CPUs)', positiveInteger('--concurrency'))
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .action(
      async (options: { from?: string; fromGit?: string; config?: string; json?: boolean; concurrency?: number; output?: string }) => {
        if ((options.from === undefined) === (options.fromGit === undefined)) {
          throw new UsageError(
            'preview compares with one old config. Fix: pass --from <old-config>, or --from-git <ref> for the config file at a git revision',
          );
        }
        const { config, location } = loadConfig({ flag: options.config, cwd });
        let old: ResolvedConfig;
        let oldName: string;
        if (options.fromGit !== undefined) {
          if (location.origin === 'embedded') {
            throw new UsageError('--from-git reads your config file at a revision, and none was found. Fix: pass --config <file>');
          }
          old = (await import('./config/git')).loadConfigAtRevision(options.fromGit, location.path);
          oldName = `${options.fromGit}:${path.basename(location.path)}`;
        } else {
          old = loadConfigFile(path.resolve(cwd, options.from!));
          oldName = options.from!;
        }
        const { configChangeProblems, UnsafeChangeError } = await import('./config/change');
        const problems = configChangeProblems(old, config);
        if (problems.length > 0) throw new UnsafeChangeError(oldName, describeLocation(location, cwd), problems);
        const { synthesize } = await import('./synth/synthesize');
        const { previewChange, formatFailures } = await import('./terraform/preview');
        const { summarizePlans } = await import('./report/plan-summary');
        const scratch = makeScratchDir('active-active-preview-');
        try {
          const outdirOf = (name: string, resolved: ResolvedConfig) =>
            synthesize(resolved, { outdir: path.join(scratch, name, DEFAULT_OUTDIR), projectDir: cwd }).outdir;
          const preview = await previewChange(outdirOf('from', old), outdirOf('to', config), {
            concurrency: options.concurrency,
            onResult: (r) =>
              process.stderr.write(
                `  ${r.stack}: ${r.ok ? (r.settled ? 'settled' : 'planned') : `${r.failedStep} failed`} (${r.seconds.toFixed(1)} s)\n`,
              ),
          });
          if (preview.failures.length > 0) {
            throw new UserError(`preview could not plan every stack:\n${formatFailures(preview)}`);
          }
          const text = options.json
            ? `${JSON.stringify({ changes: preview.changes }, null, 2)}\n`
            : summarizePlans(preview.plans, { title: 'Change preview', marker: false });
          if (options.output) writeOutputFile('--output', options.output, path.resolve(cwd, options.output), text);
          else process.stdout.write(text);
        } finally {
          removeScratchDir(scratch);
        }
      },
    );

  program
    .command('stacks')
    .description('Print the stacks of the config in deployment order, one per line.')
    .addOption(configOption())
    .option('--waves', 'print the waves of stacks that can deploy at the same time, one wave per line')
    .option('--json', 'with --waves: print the waves as a JSON array of arrays, on one line')
    .action((options: { config?: string; waves?: boolean; json?: boolean }) => {
      if (options.json && !options.waves) throw new UsageError('--json goes with --waves. Fix: pass --waves --json');
      const { config } = loadConfig({ flag: options.config, cwd });
      if (!options.waves) {
        process.stdout.write(`${deploymentOrder(config.primaryRegion, config.secondaryRegions).join('\n')}\n`);
        return;
      }
      const waves = deploymentWaves(config.primaryRegion, config.secondaryRegions);
      process.stdout.write(
        options.json ? `${JSON.stringify(waves)}\n` : `${waves.map((stacks, i) => `wave ${i + 1}: ${stacks.join(' ')}`).join('\n')}\n`,
      );
    });

  program
    .command('subnets')
    .description('Print the subnet plan of every Region as a Markdown table (usable addresses in parentheses).')
    .addOption(configOption())
    .action(async (options: { config?: string }) => {
      const { config } = loadConfig({ flag: options.config, cwd });
      const { subnetTable } = await import('./report/subnet-table');
      process.stdout.write(`${subnetTable(config)}\n`);
    });

  program
    .command('report')
    .description(
      'Print the designed recovery of the config: failover and data-loss figures (from the config, or cited from AWS), the control planes each step needs, and a Mermaid diagram.',
    )
    .addOption(configOption())
    .option('--json', 'print the figures as JSON (format: docs/operations.md#designed-recovery-time-and-data-loss) instead of Markdown')
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .action(async (options: { config?: string; json?: boolean; output?: string }) => {
      const { config } = loadConfig({ flag: options.config, cwd });
      const { recoveryJson, recoveryMarkdown } = await import('./report/recovery-report');
      const text = options.json ? recoveryJson(config) : recoveryMarkdown(config);
      if (options.output) writeOutputFile('--output', options.output, path.resolve(cwd, options.output), text);
      else process.stdout.write(text);
    });

  program
    .command('modules')
    .description('Generate the HCL modules (modules/) from the constructs, or check that they are current.')
    .option('-o, --output <dir>', 'where to write them', 'modules')
    .option('--check', 'write nothing; fail when the modules differ from what the constructs generate')
    .action(async (options: { output: string; check?: boolean }) => {
      const { MODULES } = await import('./modules/catalog');
      const { readBlockData, renderModules, staleModuleFiles, writeModules } = await import('./modules/generate');
      const outDir = path.resolve(cwd, options.output);
      const files = renderModules(MODULES, readBlockData());
      if (options.check) {
        const stale = writingOutput('--output', options.output, () => staleModuleFiles(outDir, files));
        if (stale.length > 0) {
          throw new UserError(`${options.output}/ is stale: ${stale.join(', ')}. Fix: run "npm run modules" and commit the result`);
        }
        process.stdout.write(`${options.output}/ is current (${plural(MODULES.length, 'module')}, ${plural(files.size, 'file')}).\n`);
        return;
      }
      writingOutput('--output', options.output, () => writeModules(outDir, files));
      process.stdout.write(`Wrote ${plural(MODULES.length, 'module')} (${plural(files.size, 'file')}) to ${options.output}/.\n`);
    });

  program
    .command('schema')
    .description('Print the JSON Schema of config files (or write it with --output).')
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .option('--reference', 'the Markdown field reference generated from it (docs/configuration.md) instead')
    .action(async (options: { output?: string; reference?: boolean }) => {
      const text = options.reference
        ? (await import('./report/config-reference')).configReference()
        : `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
      if (options.output) writeOutputFile('--output', options.output, path.resolve(cwd, options.output), text);
      else process.stdout.write(text);
    });

  return program;
}

/** Runs the CLI; user mistakes print a message (no stack trace) and set a non-zero exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildCli().parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed help, the version or its own error message already.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UserError) {
      process.stderr.write(`${error.message.startsWith('Invalid configuration') ? '' : 'error: '}${error.message}\n`);
      return error instanceof UsageError ? 2 : 1;
    }
    throw error;
  }
}

if (require.main === module) {
  // Interrupted (Ctrl-C, a cancelled job): no new Terraform command starts, the running ones end as
  // the signal tells them (an apply writes its state first), then the temporary directories go and
  // the exit code is the shell's for the signal. A second interrupt does not wait.
  let interrupted = false;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(signal, () => {
      const quit = () => {
        removeOpenScratchDirs();
        process.exit(code);
      };
      if (interrupted) return quit();
      interrupted = true;
      process.stderr.write(`${signal}: waiting for Terraform to stop (interrupt again to quit at once)\n`);
      void stopTerraform().then(quit);
    });
  }
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // Not a user mistake: a bug, so the stack trace is worth showing.
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 70;
    },
  );
}
