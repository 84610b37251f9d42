import SQLKit
import SwitchboardCore

/// Reads sessions and messages as reference §5 renders them: Session_Info (list and detail
/// variants), Customer_Info, and pages of Msg_Record, with the cursor paging of §1.5.
struct SessionViews: Sendable {
    let channels: ChannelStore
    let clock: any WallClock

    /// `message_session/list|search`: the sessions `acting` sees, newest activity first; the next
    /// page starts below the `last_msg_id` of the last item (`first_msg_id`).
    func list(_ db: any SQLDatabase, _ query: SessionListQuery, acting: Acting) async throws -> [JSONValue] {
        let key = acting.actor.stateKey
        var filters: [SQLQueryString] = []
        switch acting.actor {
        case .agent(let id):
            filters.append("""
                (s.owner_extension_id = \(bind: id) OR (s.owner_extension_id IS NULL
                  AND s.queue_id IN (SELECT queue_id FROM message_queue_members WHERE extension_id = \(bind: id))))
                """)
        case .platform, .administrator:
            filters.append("s.destination_type = 'api'")
        }
        filters.append("(st.removed_msg_id IS NULL OR s.last_msg_id > st.removed_msg_id)")
        switch query.collection {
        case .all: break
        case .campaign: filters.append("s.origin = 'campaign'")
        case .regular: filters.append("s.origin <> 'campaign'")
        }
        let archived: SQLQueryString = "(COALESCE(st.archived, 0) = 1 OR s.closed_at IS NOT NULL)"
        if query.archived == 0 { filters.append("NOT " + archived) }
        if query.archived == 1 { filters.append(archived) }
        if query.closed == 0 { filters.append("s.closed_at IS NULL") }
        if query.closed == 1 { filters.append("s.closed_at IS NOT NULL") }
        if query.pickup == 1 { filters.append("s.owner_extension_id IS NOT NULL") }
        if query.pickup == 2 { filters.append("s.owner_extension_id IS NULL") }
        if let cursor = query.firstMsgID { filters.append("s.last_msg_id < \(bind: cursor)") }
        if !query.search.isEmpty {
            let pattern = "%" + query.search.lowercased() + "%"
            filters.append("""
                (LOWER(s.customer) LIKE \(bind: pattern) OR LOWER(s.customer_name) LIKE \(bind: pattern)
                  OR LOWER(s.did_number) LIKE \(bind: pattern) OR EXISTS (SELECT 1 FROM messages sm
                  WHERE sm.session_id = s.id AND LOWER(sm.body) LIKE \(bind: pattern)))
                """)
        }
        var sql: SQLQueryString = """
            SELECT s.*, c.name AS channel_name, COALESCE(st.archived, 0) AS agent_archived,
              (SELECT CAST(COUNT(*) AS BIGINT) FROM messages um WHERE um.session_id = s.id AND um.direction = 'in'
                AND um.id > COALESCE(st.last_read_msg_id, 0)) AS unread
            FROM sessions s JOIN message_channels c ON c.id = s.channel_id
            LEFT JOIN session_agent_state st ON st.session_id = s.id AND st.agent_key = \(bind: key)
            WHERE
            """
        for (index, filter) in filters.enumerated() { sql = sql + (index == 0 ? " " : " AND ") + filter }
        sql = sql + " ORDER BY s.last_msg_id DESC, s.id DESC LIMIT \(unsafeRaw: String(query.pageSize))"
        let now = clock.now()
        var items: [JSONValue] = []
        for row in try await db.raw(sql).all() { items.append(.object(try await listItem(db, row, now: now))) }
        return items
    }

    private func listItem(_ db: any SQLDatabase, _ row: any SQLRow, now: Int64) async throws -> JSONObject {
        let closed = try row.decode(column: "closed_at", as: Int64?.self) != nil
        let lastMsgID = try row.decode(column: "last_msg_id", as: Int64.self)
        let type = try row.decode(column: "channel_type", as: String.self)
        let owner = try row.decode(column: "owner_extension_id", as: Int64?.self)
        return [
            "id": .int(try row.decode(column: "id", as: Int64.self)), "type": .string(type),
            "is_close": .int(closed ? 1 : 0),
            "is_archived": .int(try closed || row.decode(column: "agent_archived", as: Int64.self) == 1 ? 1 : 0),
            "to": .object(try customerInfo(row)),
            "expire": .int(ReplyWindow.expire(channelType: type, lastInboundAt: try row.decode(column: "last_inbound_at", as: Int64?.self), now: now)),
            "did_number": .string(try row.decode(column: "did_number", as: String.self)),
            "last_msg_id": .int(lastMsgID),
            "channel_id": .int(try row.decode(column: "channel_id", as: Int64.self)),
            "channel_name": .string(try row.decode(column: "channel_name", as: String.self)),
            "origin": .string(try row.decode(column: "origin", as: String.self)),
            "destination_type": .string(try row.decode(column: "destination_type", as: String.self)),
            "owner": .object(try await agentInfo(db, owner)),
            "queue_id": .int(try row.decode(column: "queue_id", as: Int64?.self) ?? 0),
            "is_pickup": .int(owner == nil ? 0 : 1),
            "unread_count": .int(try row.decode(column: "unread", as: Int64.self)),
            "create_time": .int(try row.decode(column: "created_at", as: Int64.self)),
            "last_active_time": .int(try row.decode(column: "last_active_at", as: Int64.self)),
            "last_msg": .object(try await MessageRecords.load(db, id: lastMsgID) ?? [:]),
        ]
    }

    /// Customer_Info: `user_id` always 0, empty strings for what is unknown.
    private func customerInfo(_ row: any SQLRow) throws -> JSONObject {
        let customer = try row.decode(column: "customer", as: String.self)
        let name = try row.decode(column: "customer_name", as: String.self)
        return [
            "user_id": 0, "user_no": .string(customer), "user_type": .integer(try row.decode(column: "customer_type", as: Int.self)),
            "avatar": "", "username": .string(name.isEmpty ? customer : name),
        ]
    }

    /// Agent_Info of an extension (`{}` for none): `extension_id`, `ext_num`, `caller_id_name`.
    private func agentInfo(_ db: any SQLDatabase, _ extensionID: Int64?) async throws -> JSONObject {
        guard let extensionID, let agent = try await Acting.agent(db, extensionID: extensionID) else { return [:] }
        return ["extension_id": .int(extensionID), "ext_num": .string(agent.number), "caller_id_name": .string(agent.name)]
    }

    /// Session_Info, detail variant (`message_session/get|query`).
    func detail(_ db: any SQLDatabase, id: Int64, acting: Acting) async throws -> JSONObject {
        guard let row = try await db.raw("""
            SELECT s.*, c.name AS channel_name, c.website_domain, COALESCE(st.archived, 0) AS agent_archived
            FROM sessions s JOIN message_channels c ON c.id = s.channel_id
            LEFT JOIN session_agent_state st ON st.session_id = s.id AND st.agent_key = \(bind: acting.actor.stateKey)
            WHERE s.id = \(bind: id)
            """).first()
        else { throw APIError.notFound }
        let type = try row.decode(column: "channel_type", as: String.self)
        let owner = try row.decode(column: "owner_extension_id", as: Int64?.self)
        let queueID = try row.decode(column: "queue_id", as: Int64?.self)
        let closed = try row.decode(column: "closed_at", as: Int64?.self) != nil
        var participants: [JSONValue] = []
        if let queueID, owner == nil {
            let rows = try await db.raw("SELECT extension_id FROM message_queue_members WHERE queue_id = \(bind: queueID) ORDER BY id").all()
            for member in rows { participants.append(.object(try await agentInfo(db, try member.decode(column: "extension_id", as: Int64.self)))) }
        }
        let customerName = try row.decode(column: "customer_name", as: String.self)
        return [
            "id": .int(id), "channel_type": .string(type), "channel_id": .int(try row.decode(column: "channel_id", as: Int64.self)),
            "channel_name": .string(try row.decode(column: "channel_name", as: String.self)),
            "did_number": .string(try row.decode(column: "did_number", as: String.self)),
            "to_number": .string(try row.decode(column: "customer", as: String.self)),
            "origin": .string(try row.decode(column: "origin", as: String.self)),
            "page_name": "",  // filled in by `withPageNames`, outside the database closure
            "website_domain": .string(type == ChannelType.livechat.rawValue ? try row.decode(column: "website_domain", as: String.self) : ""),
            "pre_chat_form": ["name": .string(type == ChannelType.livechat.rawValue ? customerName : ""), "email": "", "phone": "",
                              "first_name": "", "last_name": ""],
            "user_info": .object(try customerInfo(row)),
            "participants": .array(participants),
            "destination_type": .string(try row.decode(column: "destination_type", as: String.self)),
            "owner": .object(try await agentInfo(db, owner)),
            "queue_id": .int(queueID ?? 0),
            "is_close": .int(closed ? 1 : 0),
            "close_type": .int(try row.decode(column: "close_type", as: Int64?.self) ?? 0),
            "is_archived": .int(try closed || row.decode(column: "agent_archived", as: Int64.self) == 1 ? 1 : 0),
            "expire": .int(ReplyWindow.expire(channelType: type, lastInboundAt: try row.decode(column: "last_inbound_at", as: Int64?.self), now: clock.now())),
            "last_msg_id": .int(try row.decode(column: "last_msg_id", as: Int64.self)),
            "create_time": .int(try row.decode(column: "created_at", as: Int64.self)),
            "last_active_time": .int(try row.decode(column: "last_active_at", as: Int64.self)),
        ]
    }

    /// Fills `page_name` of Facebook sessions from their channel's credentials. Call it outside
    /// `Database.run`/`transaction`: the channel store opens its own database access.
    func withPageNames(_ items: [JSONObject]) async throws -> [JSONObject] {
        var result: [JSONObject] = []
        for var item in items {
            if item["channel_type"] == .string(ChannelType.facebook.rawValue), case .int(let channelID)? = item["channel_id"] {
                item["page_name"] = .string(try await channels.channel(id: channelID)?.account.credentials["page_name"] ?? "")
            }
            result.append(item)
        }
        return result
    }

    /// One page of a session's messages, newest first, older than `before` when given
    /// (`message/get`'s `last_msg_id`: pass the smallest `msg_id` of the previous page).
    func messages(_ db: any SQLDatabase, sessionID: Int64, pageSize: Int64, before: Int64?) async throws -> JSONObject {
        let cursor = before.map { SQLQueryString(" AND m.id < \(bind: $0)") } ?? SQLQueryString("")
        let rows = try await db.raw("SELECT \(unsafeRaw: MessageRecords.columns) FROM messages m WHERE m.session_id = \(bind: sessionID)"
            + cursor + " ORDER BY m.id DESC LIMIT \(unsafeRaw: String(pageSize))").all()
        return ["session_id": .int(sessionID), "records": .array(try rows.map { .object(try MessageRecords.render($0)) })]
    }
}
