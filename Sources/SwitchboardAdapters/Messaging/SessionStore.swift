import SQLKit
import SwitchboardCore

/// Session rows: finding the customer's open session on a number, or opening one routed by the
/// number's rule. A closed session never reopens; the partial unique index `sessions_one_open`
/// guarantees one open session per (channel, number, customer) however many requests race.
enum SessionStore {
    struct OpenSession: Sendable {
        var id: Int64
        var created: Bool
    }

    static func openSession(
        _ db: any SQLDatabase, account: ChannelAccount, numberID: Int64?, did: String, customer: String, customerName: String,
        route: SessionRoute, origin: String = "", campaignID: Int64? = nil, now: Int64
    ) async throws -> OpenSession {
        if let row = try await db.raw("""
            SELECT id FROM sessions
            WHERE channel_id = \(bind: account.channelID) AND did_number = \(bind: did) AND customer = \(bind: customer) AND closed_at IS NULL
            """).first()
        {
            return OpenSession(id: try row.decode(column: "id", as: Int64.self), created: false)
        }
        let id = try await insertReturningID(db, """
            INSERT INTO sessions (channel_id, number_id, channel_type, did_number, customer, customer_name, customer_type,
              destination_type, owner_extension_id, queue_id, origin, campaign_id, created_at, last_active_at)
            VALUES (\(bind: account.channelID), \(bind: numberID), \(bind: account.type), \(bind: did), \(bind: customer),
              \(bind: customerName), \(bind: CustomerType.forChannelType(account.type)), \(bind: route.destinationType),
              \(bind: route.ownerExtensionID), \(bind: route.queueID), \(bind: origin), \(bind: campaignID), \(bind: now), \(bind: now))
            """)
        try await EventLog.append(
            db, .sessionCreated, sessionID: id,
            payload: ["session_id": .int(id), "destination_type": .string(route.destinationType),
                      "owner_extension_id": route.ownerExtensionID.map(JSONValue.int) ?? .null,
                      "queue_id": route.queueID.map(JSONValue.int) ?? .null],
            now: now)
        return OpenSession(id: id, created: true)
    }
}
