extension Schema {
    /// Spreads each number's daily counters over `ChannelStats.shardCount` rows.
    ///
    /// With one row per number and day, every inbound webhook and every send result on a busy number
    /// updated the same row, so on PostgreSQL concurrent transactions queued on its row lock (a
    /// 16-way webhook burst timed out behind it). Writers now pick a random shard; readers `SUM` over
    /// all rows of the day, as they already did over days. Also records when a customer first read
    /// an outbound message (`messages.read_at`), so a repeated read report raises 30038 once.
    static let numberStatsShards = Migration("007_stats_shards_read_receipts", [
        """
        CREATE TABLE channel_number_stats_sharded (number_id BIGINT NOT NULL REFERENCES channel_numbers(id) ON DELETE CASCADE,
          day BIGINT NOT NULL, shard INTEGER NOT NULL, sent BIGINT NOT NULL DEFAULT 0, delivered BIGINT NOT NULL DEFAULT 0,
          failed BIGINT NOT NULL DEFAULT 0, received BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (number_id, day, shard))
        """,
        """
        INSERT INTO channel_number_stats_sharded (number_id, day, shard, sent, delivered, failed, received)
        SELECT number_id, day, 0, sent, delivered, failed, received FROM channel_number_stats
        """,
        "DROP TABLE channel_number_stats",
        "ALTER TABLE channel_number_stats_sharded RENAME TO channel_number_stats",
        // When the customer first read an outbound message (provider read reports; event 30038).
        "ALTER TABLE messages ADD COLUMN read_at BIGINT",
    ])
}
