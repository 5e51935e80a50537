/**
 * Removes, after each test file, the temporary directories `tempDir()` made in it (syntheses among
 * them), so that no test leaves one behind however it ends. Kept free of heavy imports so every test
 * file loads it cheaply.
 */
import * as fs from 'node:fs';

/** Temporary directories made by the running test file. */
export const temporaryDirs = new Set<string>();

afterAll(() => {
  for (const dir of temporaryDirs) fs.rmSync(dir, { recursive: true, force: true });
  temporaryDirs.clear();
});
