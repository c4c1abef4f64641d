-- CreateTable
CREATE TABLE "guild_settings" (
    "guild_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updated_by" TEXT NOT NULL,
    "updated_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("guild_id", "key")
);

-- CreateTable
CREATE TABLE "setting_changes" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "guild_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT,
    "user_id" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "setting_changes_guild_id_created_at_idx" ON "setting_changes"("guild_id", "created_at");

-- The two settings the guilds table held move into guild_settings (values as JSON text).
INSERT INTO "guild_settings" ("guild_id", "key", "value", "updated_by")
SELECT "id", 'mixtapeChannel', '"' || "mixtape_channel_id" || '"', 'migration' FROM "guilds" WHERE "mixtape_channel_id" IS NOT NULL;
INSERT INTO "guild_settings" ("guild_id", "key", "value", "updated_by")
SELECT "id", 'maxJobsPerUser', CAST("max_jobs_per_user" AS TEXT), 'migration' FROM "guilds" WHERE "max_jobs_per_user" IS NOT NULL;
