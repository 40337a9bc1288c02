import { join } from 'node:path';

/** Root of all test scratch folders (gitignored). */
export const TMP_ROOT = join(import.meta.dirname, '..', '.tmp');

/**
 * This run's scratch folder. The global setup picks a folder per run and exports it in the
 * environment, which the test workers inherit: concurrent runs never touch each other's files.
 */
export const TMP_DIR = process.env.PTCE_TEST_RUN_DIR ?? join(TMP_ROOT, 'default');
export const TEMPLATE_PATH = join(TMP_DIR, 'template.db');
