import { defineConfig } from 'drizzle-kit';
import { configFromProcessEnv } from './src/env.ts';

export default defineConfig({
  dialect: 'turso',
  schema: './src/db/schema.ts',
  out: './migrations',
  dbCredentials: { url: configFromProcessEnv().DATABASE_URL },
});
