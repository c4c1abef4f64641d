-- CreateTable
CREATE TABLE "weekly_posts" (
    "guild_id" TEXT NOT NULL,
    "week" TEXT NOT NULL,
    "channel_id" TEXT,
    "message_id" TEXT,
    "claimed_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("guild_id", "week")
);
