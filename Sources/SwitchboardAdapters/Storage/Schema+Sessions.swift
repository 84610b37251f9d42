extension Schema {
    /// Per-agent session state (archive, removal, unread), the operation timeline of sessions, and
    /// agent sign-in sessions for the web inbox.
    ///
    /// `session_agent_state` is keyed by (session, agent): `agent_key` is the extension id, 0 for the
    /// third-party platform. A session is removed from an agent's lists while its `last_msg_id` is not
    /// newer than `removed_msg_id` (new activity brings it back); unread counts are the customer
    /// messages newer than `last_read_msg_id`. `inbox_sessions` keeps only SHA-256 hashes of cookies.
    static let sessionAgents = Migration("004_session_agents", [
        """
        CREATE TABLE session_agent_state (session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
          agent_key BIGINT NOT NULL, archived INTEGER NOT NULL DEFAULT 0, removed_msg_id BIGINT,
          last_read_msg_id BIGINT NOT NULL DEFAULT 0, updated_at BIGINT NOT NULL, PRIMARY KEY (session_id, agent_key))
        """,
        "CREATE INDEX session_agent_state_agent ON session_agent_state (agent_key, session_id)",
        """
        CREATE TABLE session_operations (id {{ID}}, session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
          operation TEXT NOT NULL, actor_type INTEGER NOT NULL, actor_no TEXT NOT NULL DEFAULT '',
          actor_name TEXT NOT NULL DEFAULT '', target_type TEXT NOT NULL DEFAULT '', target_id BIGINT,
          target_name TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL)
        """,
        "CREATE INDEX session_operations_session ON session_operations (session_id, id)",
        """
        CREATE TABLE inbox_sessions (token_hash TEXT PRIMARY KEY,
          extension_id BIGINT NOT NULL REFERENCES extensions(id) ON DELETE CASCADE,
          created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)
        """,
        "CREATE INDEX inbox_sessions_extension ON inbox_sessions (extension_id)",
        "CREATE INDEX sessions_last_msg ON sessions (last_msg_id)",
        "CREATE INDEX sessions_open_channel ON sessions (channel_id, last_active_at) WHERE closed_at IS NULL",
    ])
}
