-- CreateTable
CREATE TABLE "Sweep" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "file" TEXT NOT NULL,
    "plan" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "workflowId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Sweep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Trial" (
    "id" TEXT NOT NULL,
    "sweepId" TEXT NOT NULL,
    "baseModelId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "isBaseline" BOOLEAN NOT NULL DEFAULT false,
    "index" INTEGER NOT NULL,
    "block" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "failureType" TEXT,
    "failureMessage" TEXT,
    "checkpointPath" TEXT,
    "finalMetrics" JSONB,
    "workflowId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Trial_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL,
    "trialId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "argv" JSONB NOT NULL,
    "cwd" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "gpuIds" INTEGER[],
    "stdoutPath" TEXT NOT NULL,
    "stderrPath" TEXT NOT NULL,
    "exitCode" INTEGER,
    "signal" TEXT,
    "error" TEXT,
    "logTail" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Metric" (
    "trialId" TEXT NOT NULL,
    "jobId" TEXT,
    "step" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "Metric_pkey" PRIMARY KEY ("trialId","step","name")
);

-- CreateTable
CREATE TABLE "EvalInstruction" (
    "sweepId" TEXT NOT NULL,
    "instructionId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "instruction" TEXT NOT NULL,
    "input" TEXT NOT NULL,

    CONSTRAINT "EvalInstruction_pkey" PRIMARY KEY ("sweepId","instructionId")
);

-- CreateTable
CREATE TABLE "Response" (
    "trialId" TEXT NOT NULL,
    "instructionId" TEXT NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "Response_pkey" PRIMARY KEY ("trialId","instructionId")
);

-- CreateTable
CREATE TABLE "Match" (
    "id" TEXT NOT NULL,
    "sweepId" TEXT NOT NULL,
    "baseModelId" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "block" INTEGER,
    "round" INTEGER NOT NULL DEFAULT 0,
    "trialAId" TEXT NOT NULL,
    "trialBId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "aWins" INTEGER NOT NULL DEFAULT 0,
    "bWins" INTEGER NOT NULL DEFAULT 0,
    "ties" INTEGER NOT NULL DEFAULT 0,
    "judgeId" TEXT,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Match_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Judgment" (
    "matchId" TEXT NOT NULL,
    "instructionId" TEXT NOT NULL,
    "order" INTEGER NOT NULL,
    "verdict" INTEGER NOT NULL,
    "probOne" DOUBLE PRECISION,
    "probTwo" DOUBLE PRECISION,
    "probTie" DOUBLE PRECISION,
    "reason" TEXT,
    "reference" TEXT,
    "raw" TEXT,
    "judgeId" TEXT NOT NULL,
    "latencyMs" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Judgment_pkey" PRIMARY KEY ("matchId","instructionId","order")
);

-- CreateTable
CREATE TABLE "Standing" (
    "sweepId" TEXT NOT NULL,
    "baseModelId" TEXT NOT NULL,
    "trialId" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "matches" INTEGER NOT NULL,
    "wins" INTEGER NOT NULL,
    "losses" INTEGER NOT NULL,
    "ties" INTEGER NOT NULL,
    "points" DOUBLE PRECISION NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "rating" DOUBLE PRECISION NOT NULL,
    "ciLow" DOUBLE PRECISION NOT NULL,
    "ciHigh" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "Standing_pkey" PRIMARY KEY ("sweepId","baseModelId","trialId")
);

-- CreateTable
CREATE TABLE "BestTrial" (
    "sweepId" TEXT NOT NULL,
    "baseModelId" TEXT NOT NULL,
    "trialId" TEXT NOT NULL,
    "checkpointPath" TEXT,
    "decidedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BestTrial_pkey" PRIMARY KEY ("sweepId","baseModelId")
);

-- CreateIndex
CREATE INDEX "Trial_sweepId_baseModelId_status_idx" ON "Trial"("sweepId", "baseModelId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Trial_sweepId_key_key" ON "Trial"("sweepId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Job_trialId_kind_attempt_key" ON "Job"("trialId", "kind", "attempt");

-- CreateIndex
CREATE INDEX "Match_sweepId_baseModelId_stage_idx" ON "Match"("sweepId", "baseModelId", "stage");

-- AddForeignKey
ALTER TABLE "Trial" ADD CONSTRAINT "Trial_sweepId_fkey" FOREIGN KEY ("sweepId") REFERENCES "Sweep"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Job" ADD CONSTRAINT "Job_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Metric" ADD CONSTRAINT "Metric_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Metric" ADD CONSTRAINT "Metric_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvalInstruction" ADD CONSTRAINT "EvalInstruction_sweepId_fkey" FOREIGN KEY ("sweepId") REFERENCES "Sweep"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Response" ADD CONSTRAINT "Response_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Match" ADD CONSTRAINT "Match_sweepId_fkey" FOREIGN KEY ("sweepId") REFERENCES "Sweep"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Judgment" ADD CONSTRAINT "Judgment_matchId_fkey" FOREIGN KEY ("matchId") REFERENCES "Match"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Standing" ADD CONSTRAINT "Standing_sweepId_fkey" FOREIGN KEY ("sweepId") REFERENCES "Sweep"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Standing" ADD CONSTRAINT "Standing_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BestTrial" ADD CONSTRAINT "BestTrial_sweepId_fkey" FOREIGN KEY ("sweepId") REFERENCES "Sweep"("id") ON DELETE CASCADE ON UPDATE CASCADE;
