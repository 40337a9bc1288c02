import { join } from 'node:path';

export const TMP_DIR = join(import.meta.dirname, '..', '.tmp');
export const TEMPLATE_PATH = join(TMP_DIR, 'template.db');
