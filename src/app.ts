/**
 * The app command of `cdktf.json`, so that `cdktf synth`, `cdktf diff` and `cdktf deploy` work on
 * the same stacks as `active-active synth`. The cdktf CLI passes the output directory in
 * CDKTF_OUTDIR; the config comes from $ACTIVE_ACTIVE_CONFIG, ./active-active.config.json or the
 * embedded example.
 */
import { loadConfig } from './config';
import { UserError } from './errors';
import { synthesizeInPlace } from './synth/synthesize';

try {
  const { config } = loadConfig();
  synthesizeInPlace(config, { outdir: process.env.CDKTF_OUTDIR ?? 'cdktf.out', projectDir: process.cwd() });
} catch (error) {
  if (!(error instanceof UserError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
