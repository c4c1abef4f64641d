-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "guilds" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "mixtape_channel_id" TEXT,
    "max_jobs_per_user" INTEGER,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "tracks" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "guild_id" TEXT NOT NULL,
    "channel_id" TEXT,
    "message_id" TEXT,
    "author_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "genre" TEXT NOT NULL,
    "model_id" TEXT,
    "bars" INTEGER NOT NULL,
    "tempo" REAL NOT NULL,
    "seed" BIGINT NOT NULL,
    "temperature" REAL NOT NULL,
    "instrument" TEXT NOT NULL,
    "params" TEXT NOT NULL DEFAULT '{}',
    "midi" BLOB NOT NULL,
    "parent_track_id" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" DATETIME,
    CONSTRAINT "tracks_parent_track_id_fkey" FOREIGN KEY ("parent_track_id") REFERENCES "tracks" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "tracks_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "personal_models" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "votes" (
    "track_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("track_id", "user_id"),
    CONSTRAINT "votes_track_id_fkey" FOREIGN KEY ("track_id") REFERENCES "tracks" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "personal_models" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "owner_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "base_genre" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "weights" BLOB NOT NULL,
    "card" TEXT NOT NULL DEFAULT '{}',
    "shared" BOOLEAN NOT NULL DEFAULT false,
    "guild_id" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "jobs" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "guild_id" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "progress" REAL NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "tracks_guild_id_created_at_idx" ON "tracks"("guild_id", "created_at");

-- CreateIndex
CREATE INDEX "tracks_guild_id_genre_idx" ON "tracks"("guild_id", "genre");

-- CreateIndex
CREATE INDEX "tracks_author_id_created_at_idx" ON "tracks"("author_id", "created_at");

-- CreateIndex
CREATE INDEX "votes_updated_at_track_id_idx" ON "votes"("updated_at", "track_id");

-- CreateIndex
CREATE INDEX "personal_models_guild_id_shared_idx" ON "personal_models"("guild_id", "shared");

-- CreateIndex
CREATE UNIQUE INDEX "personal_models_owner_id_name_key" ON "personal_models"("owner_id", "name");

-- CreateIndex
CREATE INDEX "jobs_user_id_status_idx" ON "jobs"("user_id", "status");

