extension Schema {
    /// Sessions, messages, the outbound outbox with per-channel pacing, and the event log.
    ///
    /// The unique keys make retries harmless: `(channel_id, inbound_key)` drops a provider's replayed
    /// webhook; `outbox.message_id` means one send job per message; the partial unique index on open
    /// sessions means one active session per customer and channel number, however many webhooks race.
    static let messaging = Migration("003_messaging", [
        """
        CREATE TABLE sessions (id {{ID}}, channel_id BIGINT NOT NULL REFERENCES message_channels(id) ON DELETE CASCADE,
          number_id BIGINT REFERENCES channel_numbers(id) ON DELETE SET NULL, channel_type TEXT NOT NULL,
          did_number TEXT NOT NULL, customer TEXT NOT NULL, customer_name TEXT NOT NULL DEFAULT '',
          customer_type INTEGER NOT NULL, destination_type TEXT NOT NULL, owner_extension_id BIGINT, queue_id BIGINT,
          origin TEXT NOT NULL DEFAULT '', campaign_id BIGINT, created_at BIGINT NOT NULL, last_active_at BIGINT NOT NULL,
          last_inbound_at BIGINT, closed_at BIGINT, close_type INTEGER, last_msg_id BIGINT NOT NULL DEFAULT 0)
        """,
        "CREATE UNIQUE INDEX sessions_one_open ON sessions (channel_id, did_number, customer) WHERE closed_at IS NULL",
        "CREATE INDEX sessions_last_active ON sessions (last_active_at)",
        "CREATE INDEX sessions_owner ON sessions (owner_extension_id, closed_at)",
        "CREATE INDEX sessions_queue ON sessions (queue_id, closed_at)",
        """
        CREATE TABLE messages (id {{ID}}, session_id BIGINT REFERENCES sessions(id) ON DELETE CASCADE,
          channel_id BIGINT NOT NULL REFERENCES message_channels(id) ON DELETE CASCADE, direction TEXT NOT NULL,
          sender_type INTEGER NOT NULL, sender_no TEXT NOT NULL DEFAULT '', sender_name TEXT NOT NULL DEFAULT '',
          recipient TEXT NOT NULL DEFAULT '', msg_type INTEGER NOT NULL DEFAULT 0, msg_kind INTEGER NOT NULL DEFAULT 0,
          body TEXT NOT NULL DEFAULT '', files TEXT NOT NULL DEFAULT '', param TEXT NOT NULL DEFAULT '',
          whatsapp_msg_param TEXT NOT NULL DEFAULT '', tag TEXT NOT NULL DEFAULT '',
          delivery_status INTEGER NOT NULL DEFAULT 0, send_error TEXT NOT NULL DEFAULT '', send_error_msg TEXT NOT NULL DEFAULT '',
          provider_message_id TEXT, inbound_key TEXT, request_id TEXT NOT NULL DEFAULT '', campaign_id BIGINT,
          created_at BIGINT NOT NULL, received_at BIGINT NOT NULL)
        """,
        "CREATE UNIQUE INDEX messages_inbound_key ON messages (channel_id, inbound_key)",
        "CREATE INDEX messages_provider_id ON messages (channel_id, provider_message_id)",
        "CREATE INDEX messages_session ON messages (session_id, id)",
        """
        CREATE TABLE outbox (id {{ID}}, message_id BIGINT NOT NULL UNIQUE REFERENCES messages(id) ON DELETE CASCADE,
          channel_id BIGINT NOT NULL REFERENCES message_channels(id) ON DELETE CASCADE, status TEXT NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0, due_at BIGINT NOT NULL, lease_until BIGINT NOT NULL DEFAULT 0,
          last_error TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL)
        """,
        "CREATE INDEX outbox_due ON outbox (status, due_at)",
        "CREATE TABLE channel_pacing (channel_id BIGINT PRIMARY KEY REFERENCES message_channels(id) ON DELETE CASCADE, next_free_us BIGINT NOT NULL)",
        """
        CREATE TABLE events (seq {{ID}}, type INTEGER NOT NULL, session_id BIGINT, extension_ids TEXT NOT NULL DEFAULT '',
          payload TEXT NOT NULL, created_at BIGINT NOT NULL)
        """,
        "CREATE INDEX events_created ON events (created_at)",
    ])
}
