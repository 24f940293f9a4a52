-- AlterTable: the prompt's length in tokens and how many of them the judge evaluated (the rest came from
-- a cached prefix), for a backend that counts them (llama).
ALTER TABLE "Judgment" ADD COLUMN "promptTokens" INTEGER,
ADD COLUMN "evaluatedTokens" INTEGER;
