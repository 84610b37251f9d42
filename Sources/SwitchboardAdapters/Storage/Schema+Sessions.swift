extension Schema {
    /// Per-agent session state (archive, removal, unread), the operation timeline of sessions, and
    /// agent sign-in sessions for the web inbox.
    static let sessionAgents = Migration("004_session_agents", [])
}
