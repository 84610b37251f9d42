extension Schema {
    /// Indexes for the external chat log at scale (a million messages): the newest-activity-first
    /// page with its (time, id) tie-break read straight off an index, and the channel type and
    /// channel number filters narrowed before ordering. A session's history and the download's
    /// (session, message) keyset already use `messages_session`; the "created" timeline entry of
    /// each row uses `session_operations_session`.
    static let chatLogs = Migration("010_chat_logs", [
        "CREATE INDEX chat_logs_sessions_active ON sessions (last_active_at, id)",
        "CREATE INDEX chat_logs_sessions_type ON sessions (channel_type, last_active_at, id)",
        "CREATE INDEX chat_logs_sessions_number ON sessions (did_number, last_active_at, id)",
    ])
}
