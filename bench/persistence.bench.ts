/**
 * Persistence throughput: judgments written per second into PostgreSQL and into the embedded database
 * (PGlite), measured side by side in one run, the way the judge activity writes them: Prisma
 * `createMany({ skipDuplicates: true })` in batches of 8 rows, one writer per running match. Larger
 * batches are measured too, to show which batch size reaches the goal (>= 5,000 judgments/s on
 * PostgreSQL). For comparison the same rows are also written with one plain SQL statement per batch
 * (`INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING` through `pg`), which shows how much of
 * the cost is Prisma's per-query overhead. Prints one JSON document.
 *
 * Usage: tsx bench/persistence.bench.ts [--rows 5000] [--batches 8,64,512] [--writers 1,4] [--no-embedded] [--reasons]
 * PostgreSQL comes from BENCH_DATABASE_URL (an admin URL; default TEST_DATABASE_URL or
 * postgresql://postgres@127.0.0.1:5432/postgres): a throw-away database is created there and dropped.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { PrismaClient } from '../generated/prisma/client.js';
import { openDatabase, type Database } from '../services/database.js';

/** Options of `runPersistenceBench`. */
export interface PersistenceBenchOptions {
  /** Judgments written per measurement. Defaults to `5000`. */
  readonly rows?: number;
  /** Batch sizes (rows per `createMany`); the judge activity uses 8. Defaults to `[8, 64, 512]`. */
  readonly batches?: readonly number[];
  /** Concurrent writers (matches judged at once), each on its own matches. Defaults to `[1, 4]`. */
  readonly writers?: readonly number[];
  /** Measure the embedded database too. Defaults to `true`. */
  readonly embedded?: boolean;
  /** Write a reason and reference (~600 characters) per judgment, as full mode does. Defaults to `false`. */
  readonly reasons?: boolean;
  /** Admin URL of the PostgreSQL server to create the throw-away database on. */
  readonly adminUrl?: string;
}

/** One measurement. */
export interface PersistenceMeasurement {
  readonly database: 'postgres' | 'embedded';
  /** `prisma`: `createMany({ skipDuplicates })` as the judge activity does; `sql`: one `unnest` INSERT per batch through `pg`. */
  readonly method: 'prisma' | 'sql';
  readonly batchSize: number;
  readonly writers: number;
  readonly rows: number;
  readonly seconds: number;
  readonly judgmentsPerSecond: number;
}

/** The benchmark's JSON document. */
export interface PersistenceBenchResult {
  readonly bench: 'persistence';
  readonly rows: number;
  readonly reasons: boolean;
  readonly measurements: readonly PersistenceMeasurement[];
  /** Judgments per second at the judge activity's batch size (8) with one writer. */
  readonly activityBatch: { readonly postgres: number | null; readonly embedded: number | null };
  /** Embedded over PostgreSQL at each (batch size, writers), measured in this run. */
  readonly embeddedOverPostgres: readonly { readonly batchSize: number; readonly writers: number; readonly ratio: number }[];
  readonly goal: string;
  /** Smallest batch size whose best writer count reaches the goal on PostgreSQL through Prisma, `null` when none does. */
  readonly smallestBatchReachingGoal: number | null;
  /** The same through plain SQL. */
  readonly smallestBatchReachingGoalWithSql: number | null;
  /** Plain SQL over Prisma at each (database, batch size, writers). */
  readonly sqlOverPrisma: readonly { readonly database: string; readonly batchSize: number; readonly writers: number; readonly ratio: number }[];
  readonly goalMetAtActivityBatch: boolean;
}

const goalPerSecond = 5000;
const activityBatchSize = 8;
// A real match writes 170 instructions x 2 orders; matches are spread over writers like concurrent activities.
const judgmentsPerMatch = 340;

/** Runs the measurements and returns the JSON document. */
export async function runPersistenceBench(options: PersistenceBenchOptions = {}): Promise<PersistenceBenchResult> {
  const rows = options.rows ?? 5_000;
  const batches = options.batches ?? [8, 64, 512];
  const writers = options.writers ?? [1, 4];
  const reasons = options.reasons ?? false;
  const adminUrl = options.adminUrl ?? process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const measurements: PersistenceMeasurement[] = [];
  const stateDir = await mkdtemp(join(tmpdir(), 'pandasweep-bench-persistence-'));
  const dbName = `pandasweep_bench_${randomBytes(5).toString('hex')}`;
  try {
    await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${dbName}`));
    const url = new URL(adminUrl);
    url.pathname = `/${dbName}`;
    const targets: { kind: 'postgres' | 'embedded'; open: () => Promise<Database> }[] = [
      { kind: 'postgres', open: () => openDatabase({ databaseUrl: url.toString(), stateDir, poolSize: Math.max(4, ...writers) }) },
    ];
    if (options.embedded ?? true) targets.push({ kind: 'embedded', open: () => openDatabase({ stateDir, poolSize: Math.max(4, ...writers) }) });
    for (const target of targets) {
      const db = await target.open();
      try {
        let run = 0;
        for (const batchSize of batches) {
          for (const writerCount of writers) {
            for (const method of ['prisma', 'sql'] as const) {
              run += 1;
              const matchIds = await prepareMatches(db.prisma, `bench-${run}`, Math.ceil(rows / judgmentsPerMatch));
              const write = method === 'prisma' ? prismaWriter(db.prisma) : await sqlWriter(db.url, writerCount);
              try {
                // Warm-up outside the clock: connection set-up and the first statement's planning.
                await writeJudgments(write, [`${matchIds[0]}`], 16, batchSize, 1, reasons, 'warm');
                const started = performance.now();
                await writeJudgments(write, matchIds, rows, batchSize, writerCount, reasons, 'i');
                const seconds = (performance.now() - started) / 1000;
                const written = await db.prisma.judgment.count({ where: { match: { sweepId: `bench-${run}` }, instructionId: { startsWith: 'i' } } });
                if (written !== rows) throw new Error(`Expected ${rows} judgments after the run, found ${written}.`);
                measurements.push({ database: target.kind, method, batchSize, writers: writerCount, rows, seconds, judgmentsPerSecond: rows / seconds });
                process.stderr.write(`${target.kind} ${method} batch ${batchSize} x ${writerCount} writer(s): ${(rows / seconds).toFixed(0)} judgments/s\n`);
              } finally {
                await write.close();
              }
            }
          }
        }
      } finally {
        await db.close();
      }
    }
  } finally {
    await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)).catch(() => undefined);
    await rm(stateDir, { recursive: true, force: true });
  }
  const find = (database: string, batchSize: number, w: number, method: 'prisma' | 'sql' = 'prisma'): PersistenceMeasurement | undefined =>
    measurements.find((m) => m.database === database && m.method === method && m.batchSize === batchSize && m.writers === w);
  const smallestReaching = (method: 'prisma' | 'sql'): number | null => {
    const reaching = batches.filter((b) => measurements.some((m) => m.database === 'postgres' && m.method === method && m.batchSize === b && m.judgmentsPerSecond >= goalPerSecond));
    return reaching.length === 0 ? null : Math.min(...reaching);
  };
  const activityPg = Math.max(0, ...measurements.filter((m) => m.database === 'postgres' && m.method === 'prisma' && m.batchSize === activityBatchSize).map((m) => m.judgmentsPerSecond));
  return {
    bench: 'persistence',
    rows,
    reasons,
    measurements,
    activityBatch: {
      postgres: find('postgres', activityBatchSize, 1)?.judgmentsPerSecond ?? null,
      embedded: find('embedded', activityBatchSize, 1)?.judgmentsPerSecond ?? null,
    },
    embeddedOverPostgres: measurements
      .filter((m) => m.database === 'embedded' && m.method === 'prisma')
      .flatMap((m) => {
        const p = find('postgres', m.batchSize, m.writers);
        return p ? [{ batchSize: m.batchSize, writers: m.writers, ratio: m.judgmentsPerSecond / p.judgmentsPerSecond }] : [];
      }),
    goal: `postgres >= ${goalPerSecond} judgments/s`,
    smallestBatchReachingGoal: smallestReaching('prisma'),
    smallestBatchReachingGoalWithSql: smallestReaching('sql'),
    sqlOverPrisma: measurements
      .filter((m) => m.method === 'sql')
      .flatMap((m) => {
        const p = find(m.database, m.batchSize, m.writers);
        return p ? [{ database: m.database, batchSize: m.batchSize, writers: m.writers, ratio: m.judgmentsPerSecond / p.judgmentsPerSecond }] : [];
      }),
    goalMetAtActivityBatch: activityPg >= goalPerSecond,
  };
}

/** Creates a sweep, two trials and `count` matches for the judgments to belong to; returns the match ids. */
async function prepareMatches(prisma: PrismaClient, sweepId: string, count: number): Promise<string[]> {
  await prisma.sweep.create({ data: { id: sweepId, name: sweepId, file: 'bench.yaml', plan: {}, workflowId: sweepId } });
  const trial = (key: string) => ({ id: `${sweepId}/${key}`, sweepId, baseModelId: 'bench', key, params: {}, index: 0, workflowId: `${sweepId}/bench/${key}` });
  await prisma.trial.createMany({ data: [trial('a'), trial('b')] });
  const ids = Array.from({ length: count }, (_, i) => `${sweepId}/bench/m${i}`);
  await prisma.match.createMany({
    data: ids.map((id) => ({ id, sweepId, baseModelId: 'bench', stage: 'round-robin', trialAId: `${sweepId}/a`, trialBId: `${sweepId}/b`, status: 'running' })),
  });
  return ids;
}

/** One judgment row as the judge activity writes it. */
interface JudgmentRow {
  matchId: string;
  instructionId: string;
  order: number;
  verdict: number;
  probOne: number;
  probTwo: number;
  probTie: number;
  reason: string | null;
  reference: string | null;
  raw: string | null;
  judgeId: string;
  latencyMs: number;
}

/** Writes one batch; `writer` is the index of the concurrent loop calling it. */
interface BatchWriter {
  write(rows: JudgmentRow[], writer: number): Promise<void>;
  close(): Promise<void>;
}

function prismaWriter(prisma: PrismaClient): BatchWriter {
  return {
    write: async (data) => void (await prisma.judgment.createMany({ data, skipDuplicates: true })),
    close: async () => undefined,
  };
}

/** One `pg` connection per writer, one INSERT per batch with the columns passed as arrays. */
async function sqlWriter(url: string, writers: number): Promise<BatchWriter> {
  const clients = await Promise.all(
    Array.from({ length: writers }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    }),
  );
  const text =
    'INSERT INTO "Judgment" ("matchId", "instructionId", "order", "verdict", "probOne", "probTwo", "probTie", "reason", "reference", "raw", "judgeId", "latencyMs") ' +
    'SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::float8[], $6::float8[], $7::float8[], $8::text[], $9::text[], $10::text[], $11::text[], $12::float8[]) ' +
    'ON CONFLICT DO NOTHING';
  return {
    write: async (rows, writer) => {
      const column = <K extends keyof JudgmentRow>(key: K): JudgmentRow[K][] => rows.map((r) => r[key]);
      await clients[writer]!.query(text, [
        column('matchId'), column('instructionId'), column('order'), column('verdict'), column('probOne'), column('probTwo'),
        column('probTie'), column('reason'), column('reference'), column('raw'), column('judgeId'), column('latencyMs'),
      ]);
    },
    close: async () => void (await Promise.all(clients.map((c) => c.end()))),
  };
}

/** Writes `total` judgments over `matchIds` with `writers` concurrent loops of batches. */
async function writeJudgments(out: BatchWriter, matchIds: readonly string[], total: number, batchSize: number, writers: number, reasons: boolean, prefix: string): Promise<void> {
  const reason = reasons ? 'Response 1 follows the instruction and answers it correctly, while response 2 misses the point. '.repeat(3) : null;
  const reference = reasons ? 'A concise reference answer that covers what the instruction asks for. '.repeat(4) : null;
  // Each writer owns whole matches, as one judge activity owns one match.
  const perWriter = Array.from({ length: writers }, () => [] as number[]);
  for (let n = 0; n < total; n++) perWriter[Math.floor(n / judgmentsPerMatch) % writers]!.push(n);
  await Promise.all(
    perWriter.map(async (indices, writer) => {
      for (let start = 0; start < indices.length; start += batchSize) {
        const data = indices.slice(start, start + batchSize).map((n): JudgmentRow => {
          const within = n % judgmentsPerMatch;
          const probOne = ((n * 7919) % 1000) / 1000;
          return {
            matchId: matchIds[Math.floor(n / judgmentsPerMatch) % matchIds.length]!,
            instructionId: `${prefix}${Math.floor(within / 2)}`,
            order: (within % 2) + 1,
            verdict: probOne > 0.5 ? 1 : probOne < 0.2 ? 2 : 0,
            probOne,
            probTwo: (1 - probOne) * 0.6,
            probTie: (1 - probOne) * 0.4,
            reason,
            reference,
            raw: null,
            judgeId: 'bench',
            latencyMs: 42.5,
          };
        });
        await out.write(data, writer);
      }
    }),
  );
}

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '5000' },
      batches: { type: 'string', default: '8,64,512' },
      writers: { type: 'string', default: '1,4' },
      'no-embedded': { type: 'boolean', default: false },
      reasons: { type: 'boolean', default: false },
    },
  });
  const list = (text: string): number[] => text.split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
  const result = await runPersistenceBench({
    rows: Number(values.rows),
    batches: list(values.batches),
    writers: list(values.writers),
    embedded: !values['no-embedded'],
    reasons: values.reasons,
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
