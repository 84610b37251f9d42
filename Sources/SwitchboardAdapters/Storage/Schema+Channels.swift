extension Schema {
    /// Message channels (SMS, WhatsApp, Facebook, Live Chat), their numbers and who may use them,
    /// per-number daily message counters, and message queues with their agents.
    static let channelsAndQueues = Migration("002_channels_queues", [
        """
        CREATE TABLE message_queues (id {{ID}}, name TEXT NOT NULL UNIQUE, assignment_mode TEXT NOT NULL,
          created_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE message_queue_members (id {{ID}}, queue_id BIGINT NOT NULL REFERENCES message_queues(id) ON DELETE CASCADE,
          extension_id BIGINT NOT NULL REFERENCES extensions(id), UNIQUE (queue_id, extension_id))
        """,
        "CREATE INDEX message_queue_members_extension ON message_queue_members (extension_id)",
        """
        CREATE TABLE message_channels (id {{ID}}, type TEXT NOT NULL, provider TEXT NOT NULL, name TEXT NOT NULL,
          credentials TEXT NOT NULL DEFAULT '', send_rate BIGINT, auto_close_session INTEGER NOT NULL DEFAULT 0,
          session_expired_time BIGINT, webhook_url_type TEXT NOT NULL DEFAULT 'nat', webhook_gid TEXT NOT NULL UNIQUE,
          verify_token TEXT NOT NULL DEFAULT '', phone_number_id TEXT NOT NULL DEFAULT '',
          business_account_id TEXT NOT NULL DEFAULT '', accompanying_msg TEXT NOT NULL DEFAULT '',
          status TEXT NOT NULL DEFAULT 'status_connect_succ', reason TEXT NOT NULL DEFAULT '',
          channel_number TEXT UNIQUE, website_domain TEXT NOT NULL DEFAULT '',
          destination_type TEXT, destination_id BIGINT, settings TEXT NOT NULL DEFAULT '{}',
          created_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE channel_numbers (id {{ID}}, channel_id BIGINT NOT NULL REFERENCES message_channels(id) ON DELETE CASCADE,
          did_number TEXT NOT NULL UNIQUE, destination_type TEXT NOT NULL, destination_id BIGINT, position INTEGER NOT NULL)
        """,
        "CREATE INDEX channel_numbers_channel ON channel_numbers (channel_id)",
        "CREATE INDEX channel_numbers_destination ON channel_numbers (destination_type, destination_id)",
        """
        CREATE TABLE channel_number_members (number_id BIGINT NOT NULL REFERENCES channel_numbers(id) ON DELETE CASCADE,
          member_type TEXT NOT NULL, member_id BIGINT NOT NULL, position INTEGER NOT NULL,
          PRIMARY KEY (number_id, member_type, member_id))
        """,
        "CREATE INDEX channel_number_members_member ON channel_number_members (member_type, member_id)",
        """
        CREATE TABLE channel_number_stats (number_id BIGINT NOT NULL REFERENCES channel_numbers(id) ON DELETE CASCADE,
          day BIGINT NOT NULL, sent BIGINT NOT NULL DEFAULT 0, delivered BIGINT NOT NULL DEFAULT 0,
          failed BIGINT NOT NULL DEFAULT 0, received BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (number_id, day))
        """,
    ])
}
