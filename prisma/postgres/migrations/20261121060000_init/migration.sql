-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "guilds" (
    "id" TEXT NOT NULL,
    "mixtape_channel_id" TEXT,
    "max_jobs_per_user" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "guilds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tracks" (
    "id" TEXT NOT NULL,
    "guild_id" TEXT NOT NULL,
    "channel_id" TEXT,
    "message_id" TEXT,
    "author_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "genre" TEXT NOT NULL,
    "model_id" TEXT,
    "bars" INTEGER NOT NULL,
    "tempo" DOUBLE PRECISION NOT NULL,
    "seed" BIGINT NOT NULL,
    "temperature" DOUBLE PRECISION NOT NULL,
    "instrument" TEXT NOT NULL,
    "params" TEXT NOT NULL DEFAULT '{}',
    "midi" BYTEA NOT NULL,
    "parent_track_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMP(3),

    CONSTRAINT "tracks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "votes" (
    "track_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "votes_pkey" PRIMARY KEY ("track_id","user_id")
);

-- CreateTable
CREATE TABLE "personal_models" (
    "id" TEXT NOT NULL,
    "owner_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "base_genre" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "weights" BYTEA NOT NULL,
    "card" TEXT NOT NULL DEFAULT '{}',
    "shared" BOOLEAN NOT NULL DEFAULT false,
    "guild_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "personal_models_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "jobs" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "guild_id" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "jobs_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "tracks" ADD CONSTRAINT "tracks_parent_track_id_fkey" FOREIGN KEY ("parent_track_id") REFERENCES "tracks"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tracks" ADD CONSTRAINT "tracks_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "personal_models"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "votes" ADD CONSTRAINT "votes_track_id_fkey" FOREIGN KEY ("track_id") REFERENCES "tracks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

