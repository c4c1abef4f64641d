-- AlterTable
ALTER TABLE "jobs" ADD COLUMN "payload" TEXT;
ALTER TABLE "jobs" ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "jobs_status_created_at_idx" ON "jobs"("status", "created_at");

-- CreateTable
CREATE TABLE "track_audio" (
    "track_id" TEXT NOT NULL PRIMARY KEY,
    "ogg" BLOB NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
