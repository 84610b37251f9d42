extension Schema {
    /// The web: admin portal sign-ins (only SHA-256 hashes of cookies, with the session's CSRF
    /// token), Live Chat office hours per channel, and Live Chat visitors (hashes of their widget
    /// tokens). Agent presence lives in `extensions.presence_status`.
    static let web = Migration("008_web", [
        """
        CREATE TABLE admin_sessions (token_hash TEXT PRIMARY KEY, csrf TEXT NOT NULL,
          created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE livechat_hours (channel_id BIGINT PRIMARY KEY REFERENCES message_channels(id) ON DELETE CASCADE,
          hours TEXT NOT NULL, updated_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE livechat_visitors (token_hash TEXT PRIMARY KEY,
          channel_id BIGINT NOT NULL REFERENCES message_channels(id) ON DELETE CASCADE,
          visitor TEXT NOT NULL UNIQUE, name TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '',
          phone TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL)
        """,
    ])
}
