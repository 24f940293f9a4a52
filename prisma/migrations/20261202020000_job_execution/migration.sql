-- AlterTable: which execution of the job activity (its workflow run and activity id) made each attempt,
-- so a rerun of a sweep numbers its attempts after the earlier runs' instead of overwriting them.
-- Rows from before this column stay NULL and count as earlier executions.
ALTER TABLE "Job" ADD COLUMN "execution" TEXT;
