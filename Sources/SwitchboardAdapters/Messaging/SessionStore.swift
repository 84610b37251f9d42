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
        route: SessionRoute, origin: String = "", campaignID: Int64? = nil, createdBy: Acting? = nil, now: Int64
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
        let target = try await SessionTimeline.target(db, type: route.destinationType, id: route.ownerExtensionID ?? route.queueID)
        let actor = createdBy ?? Acting(actor: .administrator, userType: CustomerType.forChannelType(account.type), number: customer, name: customerName)
        try await SessionTimeline.append(db, sessionID: id, .created, by: actor, target: target, now: now)
        try await EventLog.append(
            db, .sessionCreated, sessionID: id, extensionIDs: try await audience(db, sessionID: id),
            payload: try await eventPayload(db, sessionID: id), now: now)
        return OpenSession(id: id, created: true)
    }

    /// One session row as the session rules need it.
    struct Record: Sendable {
        var id: Int64
        var channelID: Int64
        var numberID: Int64?
        var channelType: String
        var didNumber: String
        var customer: String
        var customerName: String
        var destinationType: DestinationType
        var ownerExtensionID: Int64?
        var queueID: Int64?
        var queueMode: AssignmentMode?
        var lastInboundAt: Int64?
        var closedAt: Int64?
        var lastMsgID: Int64

        func facts(actorInQueue: Bool) -> SessionFacts {
            SessionFacts(
                destinationType: destinationType, ownerExtensionID: ownerExtensionID, queueID: queueID, queueMode: queueMode,
                actorInQueue: actorInQueue, closed: closedAt != nil)
        }
    }

    /// The session `id`, or `60001 DATA NOT FOUND`.
    static func load(_ db: any SQLDatabase, id: Int64) async throws -> Record {
        guard let row = try await db.raw("""
            SELECT s.*, q.assignment_mode FROM sessions s LEFT JOIN message_queues q ON q.id = s.queue_id WHERE s.id = \(bind: id)
            """).first()
        else { throw APIError.notFound }
        return Record(
            id: id, channelID: try row.decode(column: "channel_id", as: Int64.self),
            numberID: try row.decode(column: "number_id", as: Int64?.self),
            channelType: try row.decode(column: "channel_type", as: String.self),
            didNumber: try row.decode(column: "did_number", as: String.self),
            customer: try row.decode(column: "customer", as: String.self),
            customerName: try row.decode(column: "customer_name", as: String.self),
            destinationType: DestinationType(rawValue: try row.decode(column: "destination_type", as: String.self)) ?? .api,
            ownerExtensionID: try row.decode(column: "owner_extension_id", as: Int64?.self),
            queueID: try row.decode(column: "queue_id", as: Int64?.self),
            queueMode: (try row.decode(column: "assignment_mode", as: String?.self)).flatMap(AssignmentMode.init(rawValue:)),
            lastInboundAt: try row.decode(column: "last_inbound_at", as: Int64?.self),
            closedAt: try row.decode(column: "closed_at", as: Int64?.self),
            lastMsgID: try row.decode(column: "last_msg_id", as: Int64.self))
    }

    /// Loads the session and checks that `acting` may perform `operation` on it (10005 / 70084 otherwise).
    @discardableResult
    static func authorize(_ db: any SQLDatabase, id: Int64, _ operation: SessionOperation, acting: Acting) async throws -> Record {
        let record = try await load(db, id: id)
        try SessionPolicy.check(operation, actor: acting.actor, facts: try await facts(db, record, actor: acting.actor))
        return record
    }

    /// The sessions of a `*/query` request that exist, each checked for `operation` (a session
    /// the actor may not see fails the whole request with 10005; unknown ids are left out).
    static func authorizedIDs(_ db: any SQLDatabase, _ ids: [Int64], _ operation: SessionOperation, acting: Acting) async throws -> [Int64] {
        var found: [Int64] = []
        for id in ids {
            do {
                try await authorize(db, id: id, operation, acting: acting)
                found.append(id)
            } catch let error as APIError where error.code == .dataNotFound {
                continue
            }
        }
        return found
    }

    static func facts(_ db: any SQLDatabase, _ record: Record, actor: SessionActor) async throws -> SessionFacts {
        var inQueue = false
        if case .agent(let extensionID) = actor, let queueID = record.queueID {
            inQueue = try await db.raw("""
                SELECT 1 AS n FROM message_queue_members WHERE queue_id = \(bind: queueID) AND extension_id = \(bind: extensionID)
                """).first() != nil
        }
        return record.facts(actorInQueue: inQueue)
    }

    /// The extensions who see the session now: its owner, or every agent of its queue while unowned.
    static func audience(_ db: any SQLDatabase, sessionID: Int64) async throws -> [Int64] {
        let rows = try await db.raw("""
            SELECT owner_extension_id AS id FROM sessions WHERE id = \(bind: sessionID) AND owner_extension_id IS NOT NULL
            UNION
            SELECT m.extension_id AS id FROM sessions s JOIN message_queue_members m ON m.queue_id = s.queue_id
            WHERE s.id = \(bind: sessionID) AND s.owner_extension_id IS NULL
            """).all()
        return try rows.map { try $0.decode(column: "id", as: Int64.self) }.sorted()
    }

    /// The payload of session events: where the session is and whether it is open.
    static func eventPayload(_ db: any SQLDatabase, sessionID: Int64, extra: JSONObject = [:]) async throws -> JSONValue {
        guard let row = try await db.raw("""
            SELECT destination_type, owner_extension_id, queue_id, closed_at, close_type FROM sessions WHERE id = \(bind: sessionID)
            """).first()
        else { return .object(extra) }
        var payload: JSONObject = [
            "session_id": .int(sessionID),
            "destination_type": .string(try row.decode(column: "destination_type", as: String.self)),
            "owner_extension_id": .int(try row.decode(column: "owner_extension_id", as: Int64?.self) ?? 0),
            "queue_id": .int(try row.decode(column: "queue_id", as: Int64?.self) ?? 0),
            "is_close": .int(try row.decode(column: "closed_at", as: Int64?.self) == nil ? 0 : 1),
            "close_type": .int(try row.decode(column: "close_type", as: Int64?.self) ?? 0),
        ]
        for member in extra.members { payload[member.key] = member.value }
        return .object(payload)
    }

    /// Appends a session event addressed to the session's audience plus `alsoTo` (e.g. the agent a
    /// transfer took the session from).
    static func announce(
        _ db: any SQLDatabase, _ kind: EventKind, sessionID: Int64, alsoTo: [Int64] = [], extra: JSONObject = [:], now: Int64
    ) async throws {
        let audience = Set(try await audience(db, sessionID: sessionID) + alsoTo).sorted()
        try await EventLog.append(
            db, kind, sessionID: sessionID, extensionIDs: audience,
            payload: try await eventPayload(db, sessionID: sessionID, extra: extra), now: now)
    }

    /// Writes a system message (`msg_type` 1–7) into the session and logs it.
    @discardableResult
    static func systemMessage(
        _ db: any SQLDatabase, sessionID: Int64, channelID: Int64, _ kind: SystemMessageKind, by acting: Acting,
        text: String, param: String = "", now: Int64
    ) async throws -> Int64 {
        let id = try await insertReturningID(db, """
            INSERT INTO messages (session_id, channel_id, direction, sender_type, sender_no, sender_name, msg_type, body, param,
              delivery_status, created_at, received_at)
            VALUES (\(bind: sessionID), \(bind: channelID), 'sys', \(bind: acting.userType), \(bind: acting.number),
              \(bind: acting.name), \(bind: kind.rawValue), \(bind: text), \(bind: param), 1, \(bind: now), \(bind: now))
            """)
        try await db.raw("UPDATE sessions SET last_active_at = \(bind: now), last_msg_id = \(bind: id) WHERE id = \(bind: sessionID)").run()
        let record = try await MessageRecords.load(db, id: id) ?? [:]
        try await EventLog.append(
            db, .messageCreated, sessionID: sessionID, extensionIDs: try await audience(db, sessionID: sessionID),
            payload: .object(record), now: now)
        return id
    }
}

/// Who performs a session operation, with the name system messages and the timeline show.
struct Acting: Sendable {
    var actor: SessionActor
    /// `sender_type` of what they write: 1 extension, 9 platform, 0 the hub itself.
    var userType: Int
    var number: String
    var name: String

    static let system = Acting(actor: .administrator, userType: 0, number: "", name: "PBX System")
    static let platform = Acting(actor: .platform, userType: 9, number: "api", name: "API")
    static let administrator = Acting(actor: .administrator, userType: 9, number: "api", name: "API")

    /// `Name<number>`, as seed 003's logs show agents.
    var label: String { userType == 1 ? "\(name)<\(number)>" : name }

    /// The actor a request names (`nil`: the OpenAPI client as administrator). An unknown extension
    /// number is `40002` naming `field`.
    static func resolve(_ db: any SQLDatabase, _ reference: UserReference?, field: String) async throws -> Acting {
        switch reference {
        case nil: return .administrator
        case .platform: return .platform
        case .extension(let number):
            guard let row = try await db.raw("""
                SELECT id, number, caller_id_name, first_name, last_name FROM extensions WHERE number = \(bind: number)
                """).first()
            else { throw APIError.invalid(field, "not_existed") }
            return Acting(
                actor: .agent(try row.decode(column: "id", as: Int64.self)), userType: 1, number: number,
                name: try displayName(row))
        }
    }

    static func agent(_ db: any SQLDatabase, extensionID: Int64) async throws -> Acting? {
        guard let row = try await db.raw("""
            SELECT id, number, caller_id_name, first_name, last_name FROM extensions WHERE id = \(bind: extensionID)
            """).first()
        else { return nil }
        return Acting(actor: .agent(extensionID), userType: 1, number: try row.decode(column: "number", as: String.self), name: try displayName(row))
    }

    /// The caller ID name, else first and last name, else the number.
    static func displayName(_ row: any SQLRow) throws -> String {
        let callerID = try row.decode(column: "caller_id_name", as: String.self)
        if !callerID.isEmpty { return callerID }
        let full = (try row.decode(column: "first_name", as: String.self) + " " + row.decode(column: "last_name", as: String.self)).trimmingSpaces
        return full.isEmpty ? try row.decode(column: "number", as: String.self) : full
    }
}
