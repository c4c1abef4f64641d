-- CreateTable
CREATE TABLE "weekly_posts" (
    "guild_id" TEXT NOT NULL,
    "week" TEXT NOT NULL,
    "channel_id" TEXT,
    "message_id" TEXT,
    "claimed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "weekly_posts_pkey" PRIMARY KEY ("guild_id","week")
);
