extension Schema {
    /// The system's outgoing mail server (the portal's Email page): one row, `id` 1. `password` is
    /// sealed with the master key like provider credentials (`v1:…`, empty when none).
    static let email = Migration("011_email_settings", [
        """
        CREATE TABLE email_settings (id INTEGER PRIMARY KEY, host TEXT NOT NULL, port INTEGER NOT NULL,
          security TEXT NOT NULL, username TEXT NOT NULL DEFAULT '', password TEXT NOT NULL DEFAULT '',
          sender_address TEXT NOT NULL, sender_name TEXT NOT NULL DEFAULT '', updated_at BIGINT NOT NULL)
        """,
    ])
}
