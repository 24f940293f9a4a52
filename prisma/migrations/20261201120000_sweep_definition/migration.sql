-- AlterTable: the digests of what a sweep's recorded results depend on (core/spec/sweep-definition.ts).
ALTER TABLE "Sweep" ADD COLUMN "definition" JSONB;
