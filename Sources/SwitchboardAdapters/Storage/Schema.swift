/// Every schema change, oldest first. Append only: never edit or reorder a shipped migration.
public enum Schema {
    public static let migrations: [Migration] = [
        foundation, channelsAndQueues, messaging, sessionAgents, eventDelivery, files,
        numberStatsShards,
        web,
        campaigns,
        chatLogs,
        email,
        runnerLeases,
    ]

    static let foundation = Migration("001_foundation", [
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE api_clients (id {{ID}}, client_id TEXT NOT NULL UNIQUE, secret_hash TEXT NOT NULL, created_at BIGINT NOT NULL)",
        """
        CREATE TABLE api_tokens (token_hash TEXT PRIMARY KEY, kind TEXT NOT NULL, client_id TEXT NOT NULL,
          pair_id TEXT NOT NULL, expires_at BIGINT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0)
        """,
        "CREATE INDEX api_tokens_client ON api_tokens (client_id, kind, expires_at)",
        "CREATE INDEX api_tokens_pair ON api_tokens (pair_id)",
        "CREATE TABLE login_failures (ip TEXT PRIMARY KEY, failures INTEGER NOT NULL, blocked_until BIGINT NOT NULL)",
        """
        CREATE TABLE extensions (id {{ID}}, number TEXT NOT NULL UNIQUE, caller_id_name TEXT NOT NULL DEFAULT '',
          first_name TEXT NOT NULL DEFAULT '', last_name TEXT NOT NULL DEFAULT '', email_addr TEXT NOT NULL DEFAULT '',
          mobile_number TEXT NOT NULL DEFAULT '', password_hash TEXT NOT NULL DEFAULT '',
          presence_status TEXT NOT NULL DEFAULT 'available', created_at BIGINT NOT NULL)
        """,
        "CREATE TABLE extension_groups (id {{ID}}, name TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL)",
        """
        CREATE TABLE extension_group_members (group_id BIGINT NOT NULL REFERENCES extension_groups(id) ON DELETE CASCADE,
          extension_id BIGINT NOT NULL REFERENCES extensions(id) ON DELETE CASCADE, PRIMARY KEY (group_id, extension_id))
        """,
        "CREATE TABLE organizations (id {{ID}}, name TEXT NOT NULL, parent_id BIGINT REFERENCES organizations(id), created_at BIGINT NOT NULL)",
        "CREATE UNIQUE INDEX organizations_name ON organizations (COALESCE(parent_id, 0), name)",
        """
        CREATE TABLE organization_members (organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
          extension_id BIGINT NOT NULL REFERENCES extensions(id) ON DELETE CASCADE, PRIMARY KEY (organization_id, extension_id))
        """,
        "CREATE TABLE phonebooks (id {{ID}}, name TEXT NOT NULL UNIQUE, description TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL)",
        """
        CREATE TABLE company_contacts (id {{ID}}, first_name TEXT NOT NULL DEFAULT '', last_name TEXT NOT NULL DEFAULT '',
          company TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '', remark TEXT NOT NULL DEFAULT '',
          business_number TEXT NOT NULL DEFAULT '', business_number2 TEXT NOT NULL DEFAULT '',
          mobile_number TEXT NOT NULL DEFAULT '', mobile_number2 TEXT NOT NULL DEFAULT '',
          home_number TEXT NOT NULL DEFAULT '', home_number2 TEXT NOT NULL DEFAULT '',
          business_fax TEXT NOT NULL DEFAULT '', home_fax TEXT NOT NULL DEFAULT '', other_number TEXT NOT NULL DEFAULT '',
          created_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE phonebook_contacts (phonebook_id BIGINT NOT NULL REFERENCES phonebooks(id) ON DELETE CASCADE,
          contact_id BIGINT NOT NULL REFERENCES company_contacts(id) ON DELETE CASCADE, PRIMARY KEY (phonebook_id, contact_id))
        """,
    ])
}
