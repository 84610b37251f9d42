extension Schema {
    /// Stored files (uploads, inbound media) with their unguessable public ids and expiry, and the
    /// queue of inbound media still to download.
    static let files = Migration("006_files", [
        """
        CREATE TABLE files (id TEXT PRIMARY KEY, name TEXT NOT NULL, content_type TEXT NOT NULL, size BIGINT NOT NULL,
          path TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)
        """,
        "CREATE INDEX files_expiry ON files (expires_at)",
        """
        CREATE TABLE media_downloads (id {{ID}}, message_id BIGINT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
          position INTEGER NOT NULL, url TEXT NOT NULL, content_type TEXT NOT NULL DEFAULT '', attempts INTEGER NOT NULL DEFAULT 0,
          due_at BIGINT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', last_error TEXT NOT NULL DEFAULT '',
          UNIQUE (message_id, position))
        """,
        "CREATE INDEX media_downloads_due ON media_downloads (status, due_at)",
    ])
}
