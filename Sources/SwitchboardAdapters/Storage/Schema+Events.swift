extension Schema {
    /// Event webhooks (URLs, secrets, chosen events) and their delivery queue.
    ///
    /// `event_webhooks.secret` is sealed with the master key (it is shown again on `get`, so it
    /// cannot be a hash); `events` is `""` (all Yeastar messaging events) or `,30031,30032,`;
    /// `start_seq` is the log's head when the webhook was created (older events are not sent).
    /// `event_deliveries` holds one row per (webhook, event): the unique key makes planning by
    /// several nodes harmless, and rows are claimed with a lease like the outbox. `event_cursors`
    /// remembers how far the planner has turned the log into delivery rows.
    static let eventDelivery = Migration("005_event_delivery", [
        """
        CREATE TABLE event_webhooks (id {{ID}}, url TEXT NOT NULL, method TEXT NOT NULL DEFAULT 'POST', secret TEXT NOT NULL,
          events TEXT NOT NULL DEFAULT '', enabled INTEGER NOT NULL DEFAULT 1, start_seq BIGINT NOT NULL DEFAULT 0,
          created_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE event_deliveries (id {{ID}}, webhook_id BIGINT NOT NULL REFERENCES event_webhooks(id) ON DELETE CASCADE,
          event_seq BIGINT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
          due_at BIGINT NOT NULL, lease_until BIGINT NOT NULL DEFAULT 0, last_status INTEGER,
          last_error TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL, finished_at BIGINT)
        """,
        "CREATE UNIQUE INDEX event_deliveries_once ON event_deliveries (webhook_id, event_seq)",
        "CREATE INDEX event_deliveries_due ON event_deliveries (status, due_at)",
        "CREATE TABLE event_cursors (name TEXT PRIMARY KEY, seq BIGINT NOT NULL)",
    ])
}
