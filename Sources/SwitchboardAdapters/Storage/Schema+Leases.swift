extension Schema {
    /// Named leases for work one node at a time must do (the campaign runner): the holder renews
    /// its lease while it works; another node takes over only after the lease has run out.
    static let runnerLeases = Migration("012_runner_leases", [
        """
        CREATE TABLE runner_leases (
            name TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            expires_at BIGINT NOT NULL
        )
        """,
    ])
}
