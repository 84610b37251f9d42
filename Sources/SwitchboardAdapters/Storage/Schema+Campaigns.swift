extension Schema {
    /// Message campaigns and their recipients, and the WhatsApp templates synced per channel.
    ///
    /// `campaign_recipients` holds one row per (campaign, number) — the unique key that makes
    /// enqueueing idempotent — and the message that carries the campaign to that number
    /// (`message_id`, NULL until queued). `round` counts retries: a failed recipient is queued
    /// again only in a later round. `uncertain` marks a send that was in flight when the process
    /// died: its outcome is unknown, so it is never sent again (no recipient gets it twice).
    static let campaigns = Migration("009_campaigns", [
        """
        CREATE TABLE campaigns (id {{ID}}, name TEXT NOT NULL, status TEXT NOT NULL, channel_type TEXT NOT NULL,
          channel_id BIGINT NOT NULL, sender_id BIGINT NOT NULL, recipient_type TEXT NOT NULL, recipient_id BIGINT,
          recipient_num_type TEXT NOT NULL DEFAULT '', content_type TEXT NOT NULL, content TEXT NOT NULL DEFAULT '',
          msg_param TEXT NOT NULL DEFAULT '', send_type TEXT NOT NULL, send_time BIGINT NOT NULL DEFAULT 0,
          send_mode TEXT NOT NULL, assign_to_type TEXT NOT NULL DEFAULT '', assign_to_id BIGINT,
          round INTEGER NOT NULL DEFAULT 1, queued_at BIGINT NOT NULL DEFAULT 0, started_at BIGINT, finished_at BIGINT,
          created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
        """,
        "CREATE INDEX campaigns_status ON campaigns (status, queued_at)",
        """
        CREATE TABLE campaign_recipients (id {{ID}}, campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
          number TEXT NOT NULL, contact_name TEXT NOT NULL DEFAULT '', position INTEGER NOT NULL,
          message_id BIGINT, round INTEGER NOT NULL DEFAULT 0, uncertain INTEGER NOT NULL DEFAULT 0, error TEXT NOT NULL DEFAULT '',
          UNIQUE (campaign_id, number))
        """,
        "CREATE INDEX campaign_recipients_message ON campaign_recipients (message_id)",
        "CREATE INDEX messages_campaign ON messages (campaign_id)",
        "CREATE INDEX messages_sender_channel ON messages (sender_no, channel_id)",
        """
        CREATE TABLE whatsapp_templates (id {{ID}}, channel_id BIGINT NOT NULL REFERENCES message_channels(id) ON DELETE CASCADE,
          template_id TEXT NOT NULL, name TEXT NOT NULL, language TEXT NOT NULL, category TEXT NOT NULL,
          sub_category TEXT NOT NULL DEFAULT '', parameter_format TEXT NOT NULL, components TEXT NOT NULL,
          synced_at BIGINT NOT NULL, UNIQUE (channel_id, template_id))
        """,
        """
        CREATE TABLE whatsapp_template_syncs (channel_id BIGINT PRIMARY KEY REFERENCES message_channels(id) ON DELETE CASCADE,
          synced_at BIGINT NOT NULL, error TEXT NOT NULL DEFAULT '')
        """,
    ])
}
