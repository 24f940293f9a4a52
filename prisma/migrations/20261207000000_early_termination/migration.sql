-- Early termination: a trial trains rung by rung, and each rung's checkpoint answers the evaluation
-- instructions and is judged. Epoch 0 means what it meant before: a trial's trained model, no epoch named.

-- AlterTable: a trial's epochs (its full schedule), the epochs trained so far, the epoch it was last
-- sent to train to, and the highest rung (0-based) it reached.
ALTER TABLE "Trial" ADD COLUMN "epochs" DOUBLE PRECISION,
ADD COLUMN "epochsTrained" DOUBLE PRECISION,
ADD COLUMN "stopEpoch" DOUBLE PRECISION,
ADD COLUMN "rung" INTEGER;

-- CreateTable: every checkpoint of an early-terminated trial that answered the evaluation instructions.
CREATE TABLE "Checkpoint" (
    "trialId" TEXT NOT NULL,
    "epoch" DOUBLE PRECISION NOT NULL,
    "path" TEXT NOT NULL,
    "rung" INTEGER,
    "metrics" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Checkpoint_pkey" PRIMARY KEY ("trialId","epoch")
);

-- AddForeignKey
ALTER TABLE "Checkpoint" ADD CONSTRAINT "Checkpoint_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable: answers per checkpoint.
ALTER TABLE "Response" ADD COLUMN "epoch" DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE "Response" DROP CONSTRAINT "Response_pkey";
ALTER TABLE "Response" ADD CONSTRAINT "Response_pkey" PRIMARY KEY ("trialId","epoch","instructionId");

-- AlterTable: standings and the best pick rank checkpoints.
ALTER TABLE "Standing" ADD COLUMN "epoch" DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE "Standing" DROP CONSTRAINT "Standing_pkey";
ALTER TABLE "Standing" ADD CONSTRAINT "Standing_pkey" PRIMARY KEY ("sweepId","baseModelId","trialId","epoch");
ALTER TABLE "BestTrial" ADD COLUMN "epoch" DOUBLE PRECISION;

-- AlterTable: which stop of an early-terminated trial a job attempt ran.
ALTER TABLE "Job" ADD COLUMN "stopEpoch" DOUBLE PRECISION;
