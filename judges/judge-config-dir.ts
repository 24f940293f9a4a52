import { fileURLToPath } from 'node:url';

/** The named judge configs shipped with pandasweep (`configs/judges/<name>.yaml`), wherever it is run from. */
export const judgeConfigDir = fileURLToPath(new URL('../configs/judges', import.meta.url));
