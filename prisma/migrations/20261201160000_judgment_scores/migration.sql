-- AlterTable: the two responses' scores, for a judge format whose verdict comes from scores (JudgeLM).
ALTER TABLE "Judgment" ADD COLUMN "scoreOne" DOUBLE PRECISION,
ADD COLUMN "scoreTwo" DOUBLE PRECISION;
