import * as path from 'node:path';
import { loadConfigFile } from '../config';
import { packageRoot } from '../package-root';

/** The two-Region example: module examples take realistic inputs from it. */
export const example = loadConfigFile(path.join(packageRoot(), 'examples', 'two-region.json'));
