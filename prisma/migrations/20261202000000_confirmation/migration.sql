-- CreateTable: tuned vs default, the best trial of a base model against the sweep's baseline (one row
-- per confirmation match; a second-opinion judge's row also counts its agreement with the tournament judge).
CREATE TABLE "Confirmation" (
    "matchId" TEXT NOT NULL,
    "sweepId" TEXT NOT NULL,
    "baseModelId" TEXT NOT NULL,
    "judge" TEXT NOT NULL,
    "judgeId" TEXT NOT NULL,
    "bestTrialId" TEXT NOT NULL,
    "baselineTrialId" TEXT NOT NULL,
    "wins" INTEGER NOT NULL,
    "ties" INTEGER NOT NULL,
    "losses" INTEGER NOT NULL,
    "winRate" DOUBLE PRECISION NOT NULL,
    "ciLow" DOUBLE PRECISION NOT NULL,
    "ciHigh" DOUBLE PRECISION NOT NULL,
    "agreed" INTEGER,
    "shared" INTEGER,
    "decidedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Confirmation_pkey" PRIMARY KEY ("matchId")
);

-- CreateIndex
CREATE INDEX "Confirmation_sweepId_baseModelId_idx" ON "Confirmation"("sweepId", "baseModelId");

-- AddForeignKey
ALTER TABLE "Confirmation" ADD CONSTRAINT "Confirmation_sweepId_fkey" FOREIGN KEY ("sweepId") REFERENCES "Sweep"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Confirmation" ADD CONSTRAINT "Confirmation_matchId_fkey" FOREIGN KEY ("matchId") REFERENCES "Match"("id") ON DELETE CASCADE ON UPDATE CASCADE;
