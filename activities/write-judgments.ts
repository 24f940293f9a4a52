import type { PrismaClient } from '../generated/prisma/client.js';

/** One judgment row as the judge activity records it. */
export interface JudgmentRow {
  readonly matchId: string;
  readonly instructionId: string;
  readonly order: number;
  readonly verdict: number;
  readonly probOne: number | null;
  readonly probTwo: number | null;
  readonly probTie: number | null;
  readonly scoreOne: number | null;
  readonly scoreTwo: number | null;
  readonly promptTokens: number | null;
  readonly evaluatedTokens: number | null;
  readonly reason: string | null;
  readonly reference: string | null;
  readonly raw: string | null;
  readonly judgeId: string;
  readonly latencyMs: number;
}

// One statement per batch, whatever its size: Prisma's `createMany` costs several round trips and
// about 0.7 ms of client overhead per call, which capped writes near 2,000 judgments/s
// (bench/persistence.bench.ts); column arrays through `unnest` do not. `ON CONFLICT DO NOTHING` keeps
// the write idempotent for retried activities, like `skipDuplicates`.
const insertJudgments =
  'INSERT INTO "Judgment" ("matchId", "instructionId", "order", "verdict", "probOne", "probTwo", "probTie", "scoreOne", "scoreTwo", "promptTokens", "evaluatedTokens", "reason", "reference", "raw", "judgeId", "latencyMs") ' +
  'SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::int[], $11::int[], $12::text[], $13::text[], $14::text[], $15::text[], $16::float8[]) ' +
  'ON CONFLICT ("matchId", "instructionId", "order") DO NOTHING';

// A judge's text can hold U+0000 (a byte-fallback token, a NUL in a replay file or an HTTP answer), which
// PostgreSQL text cannot store: the write would fail on every retry. U+FFFD keeps the place visible.
function storable(text: string | null): string | null {
  return text === null ? null : text.replaceAll('\u0000', '\uFFFD');
}

/** Writes judgments in one statement, skipping rows already recorded; returns how many were new. */
export async function writeJudgments(prisma: PrismaClient, rows: readonly JudgmentRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  return prisma.$executeRawUnsafe(
    insertJudgments,
    rows.map((r) => r.matchId),
    rows.map((r) => r.instructionId),
    rows.map((r) => r.order),
    rows.map((r) => r.verdict),
    rows.map((r) => r.probOne),
    rows.map((r) => r.probTwo),
    rows.map((r) => r.probTie),
    rows.map((r) => r.scoreOne),
    rows.map((r) => r.scoreTwo),
    rows.map((r) => r.promptTokens),
    rows.map((r) => r.evaluatedTokens),
    rows.map((r) => storable(r.reason)),
    rows.map((r) => storable(r.reference)),
    rows.map((r) => storable(r.raw)),
    rows.map((r) => r.judgeId),
    rows.map((r) => r.latencyMs),
  );
}
