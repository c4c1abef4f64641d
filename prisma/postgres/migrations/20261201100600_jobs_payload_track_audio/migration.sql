-- AlterTable
ALTER TABLE "jobs" ADD COLUMN "payload" TEXT,
ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "jobs_status_created_at_idx" ON "jobs"("status", "created_at");

-- CreateTable
CREATE TABLE "track_audio" (
    "track_id" TEXT NOT NULL,
    "ogg" BYTEA NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "track_audio_pkey" PRIMARY KEY ("track_id")
);
