-- AlterTable: the downstream `evaluate` job of a trial picked for it (running, done or failed, and why),
-- and the digest of the job that produced its results.
ALTER TABLE "Trial" ADD COLUMN "evaluationStatus" TEXT,
ADD COLUMN "evaluationError" TEXT,
ADD COLUMN "evaluationJob" TEXT;

-- CreateTable: the results of a trial's `evaluate` job, one value per metric name.
CREATE TABLE "EvaluationMetric" (
    "trialId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "jobId" TEXT,

    CONSTRAINT "EvaluationMetric_pkey" PRIMARY KEY ("trialId","name")
);

-- AddForeignKey
ALTER TABLE "EvaluationMetric" ADD CONSTRAINT "EvaluationMetric_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE CASCADE ON UPDATE CASCADE;
