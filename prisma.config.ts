import 'dotenv/config';
import { defineConfig } from 'prisma/config';

// Prisma 7 reads the connection from here, not from schema.prisma. `db:generate` needs no database;
// `prisma migrate deploy` (on a machine with internet) agrees with our own runner in services/migrate.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/pandasweep' },
});
