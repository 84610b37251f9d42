import Hummingbird
import SQLKit
import SwitchboardCore

/// `message_channel/list|search|get|query|create|update|delete` for SMS, WhatsApp and Facebook
/// channels (reference §4.2–4.8). Live Chat channels appear in list/search/get/query/delete too;
/// they are created and edited through `LiveChatController`.
struct ChannelController {
    let context: ChannelContext

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("message_channel/list") { request, _ in try await list(request, searching: false) }
        group.get("message_channel/search") { request, _ in try await list(request, searching: true) }
        group.get("message_channel/get") { request, _ in try await get(request) }
        group.get("message_channel/query") { request, _ in try await query(request) }
        group.post("message_channel/create") { request, requestContext in
            var request = request
            return try await create(try await request.jsonObject(context: requestContext))
        }
        group.post("message_channel/update") { request, requestContext in
            var request = request
            return try await update(try await request.jsonObject(context: requestContext))
        }
        group.get("message_channel/delete") { request, _ in try await delete(request) }
    }

    func list(_ request: Request, searching: Bool) async throws -> JSONResponse {
        var reader = request.queryReader
        let page = PageRequest.read(&reader)
        let range = reader.choice("time_range", required: true, as: TimeRange.self)
        let search = searching ? reader.string("search_value") : nil
        try reader.finish()
        let window = range!.window(now: context.clock.now())
        let context = self.context
        let (total, items) = try await context.database.run { db in
            var filter = SQLQueryString("")
            if let search, !search.isEmpty {
                let pattern = "%" + search.lowercased() + "%"
                filter = """
                     WHERE (LOWER(name) LIKE \(bind: pattern) OR LOWER(COALESCE(channel_number, '')) LIKE \(bind: pattern)
                      OR id IN (SELECT channel_id FROM channel_numbers WHERE LOWER(did_number) LIKE \(bind: pattern)))
                    """
            }
            let total = try await db.raw("SELECT COUNT(*) AS n FROM message_channels" + filter).first()?.decode(column: "n", as: Int64.self) ?? 0
            let rows = try await db.raw("SELECT * FROM message_channels" + filter
                + " ORDER BY id LIMIT \(unsafeRaw: String(page!.pageSize)) OFFSET \(unsafeRaw: String(page!.offset))").all()
            var items: [JSONValue] = []
            for row in rows { items.append(.object(try await context.summary(row, window: window, db: db))) }
            return (total, items)
        }
        return .success(["total_number": .int(total), "list": .array(items)])
    }

    func get(_ request: Request) async throws -> JSONResponse {
        var reader = request.queryReader
        let id = reader.id("id", required: true)
        try reader.finish()
        guard let item = try await details(ids: [id!]).first else { throw APIError.notFound }
        return .success(["data": item])
    }

    func query(_ request: Request) async throws -> JSONResponse {
        var reader = request.queryReader
        let ids = reader.idList("ids")
        try reader.finish()
        return .success(["list": .array(try await details(ids: ids!))])
    }

    private func details(ids: [Int64]) async throws -> [JSONValue] {
        let context = self.context
        return try await context.database.run { db in
            var items: [JSONValue] = []
            for id in ids {
                if let row = try await db.raw("SELECT * FROM message_channels WHERE id = \(bind: id)").first() {
                    items.append(.object(try await context.detail(row, db: db)))
                }
            }
            return items
        }
    }

    func create(_ body: JSONObject) async throws -> JSONResponse {
        var reader = FieldReader(body)
        let fields = ChannelFields.readCreate(&reader)
        try reader.finish()
        let provider = fields.provider!
        let sealed = try context.seal(fields.accountData ?? [])
        let verifyToken = provider.type == .sms ? "" : ChannelContext.randomToken()
        let now = context.clock.now()
        let id = try await context.database.transaction { db in
            try await ChannelNumbers.check(channel: nil, fields.dids ?? [], db: db)
            let id = try await insertReturningID(db, """
                INSERT INTO message_channels (type, provider, name, credentials, send_rate, auto_close_session,
                  session_expired_time, webhook_url_type, webhook_gid, verify_token, phone_number_id, business_account_id,
                  accompanying_msg, created_at)
                VALUES (\(bind: provider.type.rawValue), \(bind: provider.rawValue), \(bind: fields.name!), \(bind: sealed),
                  \(bind: provider.type == .sms ? fields.sendRate ?? 1 : nil), \(bind: (fields.autoCloseSession ?? false) ? 1 : 0),
                  \(bind: fields.sessionExpiredTime ?? 1), \(bind: fields.webhookURLType!.rawValue), \(bind: ChannelContext.randomToken()),
                  \(bind: verifyToken), \(bind: fields.phoneNumberID ?? ""), \(bind: fields.businessAccountID ?? ""),
                  \(bind: fields.accompanyingMessage ?? ""), \(bind: now))
                """)
            try await ChannelNumbers.replace(channel: id, with: fields.dids ?? [], db: db)
            return id
        }
        return .success(["id": .int(id)])
    }

    func update(_ body: JSONObject) async throws -> JSONResponse {
        var idReader = FieldReader(body)
        let id = idReader.id("id", required: true)
        try idReader.finish()
        let context = self.context
        try await context.database.transaction { db in
            guard let row = try await db.raw("SELECT provider FROM message_channels WHERE id = \(bind: id!)").first() else {
                throw APIError.notFound
            }
            guard let provider = ChannelProvider(rawValue: try row.decode(column: "provider", as: String.self)), provider != .livechat else {
                throw APIError.invalid("id", "invalid_value", detail: "use message_channel/updatelivechat for a Live Chat channel")
            }
            var reader = FieldReader(body)
            let fields = ChannelFields.readUpdate(&reader, provider: provider)
            try reader.finish()
            let changes: [(String, (any Encodable & Sendable)?)] = [
                ("name", fields.name), ("webhook_url_type", fields.webhookURLType?.rawValue),
                ("credentials", try fields.accountData.map(context.seal)), ("send_rate", fields.sendRate),
                ("auto_close_session", fields.autoCloseSession.map { $0 ? 1 : 0 }),
                ("session_expired_time", fields.sessionExpiredTime), ("accompanying_msg", fields.accompanyingMessage),
                ("phone_number_id", fields.phoneNumberID), ("business_account_id", fields.businessAccountID),
            ]
            try await updateColumns(db, table: "message_channels", id: id!, changes)
            if let dids = fields.dids {
                try await ChannelNumbers.replace(channel: id!, with: dids, db: db)
            }
        }
        return .success()
    }

    func delete(_ request: Request) async throws -> JSONResponse {
        var reader = request.queryReader
        let id = reader.id("id", required: true)
        try reader.finish()
        try await context.database.transaction { db in
            try await requireRow(db, table: "message_channels", id: id!)
            try await DeleteGuards.check(path: "message_channel", id: id!, db: db)
            try await db.raw("DELETE FROM message_channels WHERE id = \(bind: id!)").run()
        }
        return .success()
    }
}

extension ChannelContext {
    /// A `Msg_Channel` summary (list/search) with its counters over `window`.
    func summary(_ row: any SQLRow, window: (start: Int64?, end: Int64?), db: any SQLDatabase) async throws -> JSONObject {
        let id = try row.decode(column: "id", as: Int64.self)
        let type = try row.decode(column: "type", as: String.self)
        let numbers: [JSONValue]
        if type == ChannelType.livechat.rawValue {
            numbers = [.optional(try row.decode(column: "channel_number", as: String?.self))]
        } else {
            numbers = try await db.raw("SELECT did_number FROM channel_numbers WHERE channel_id = \(bind: id) ORDER BY position, id")
                .all().map { .string(try $0.decode(column: "did_number", as: String.self)) }
        }
        var object: JSONObject = [
            "id": .int(id),
            "status": .string(try row.decode(column: "status", as: String.self)),
            "reason": .string(try row.decode(column: "reason", as: String.self)),
            "name": .string(try row.decode(column: "name", as: String.self)),
            "channel": .string(try row.decode(column: "provider", as: String.self)),
            "type": .string(type),
            "number": .array(numbers),
        ]
        for member in try await ChannelNumbers.statistics(channel: id, window: window, db: db).members {
            object[member.key] = member.value
        }
        return object
    }

    /// A `Msg_Channel` detail (get/query): credentials masked, webhook URL built from the public base.
    func detail(_ row: any SQLRow, db: any SQLDatabase) async throws -> JSONObject {
        let providerName = try row.decode(column: "provider", as: String.self)
        guard let provider = ChannelProvider(rawValue: providerName) else { throw APIError(.internalServerError) }
        if provider == .livechat { return try liveChatDetail(row) }
        let id = try row.decode(column: "id", as: Int64.self)
        let urlType = WebhookURLType(rawValue: try row.decode(column: "webhook_url_type", as: String.self)) ?? .nat
        let gid = try row.decode(column: "webhook_gid", as: String.self)
        var object: JSONObject = [
            "id": .int(id),
            "name": .string(try row.decode(column: "name", as: String.self)),
            "type": .string(provider.type.rawValue),
            "channel": .string(providerName),
            "status": .string(try row.decode(column: "status", as: String.self)),
            "reason": .string(try row.decode(column: "reason", as: String.self)),
            "domain_type": .string(urlType.rawValue),
            "webhook_url_type": .string(urlType.rawValue),
            "webhook_gid": .string(gid),
            "webhook_url": .string(webhookURL(type: urlType, provider: providerName, gid: gid)),
            "account_data": try maskedAccountData(try row.decode(column: "credentials", as: String.self), provider: provider),
        ]
        switch provider.type {
        case .sms:
            object["send_rate"] = .int(try row.decode(column: "send_rate", as: Int64?.self) ?? 1)
            object["accompanying_msg"] = .string(try row.decode(column: "accompanying_msg", as: String.self))
        case .whatsapp:
            object["verify_token"] = .string(try row.decode(column: "verify_token", as: String.self))
            object["phone_number_id"] = .string(try row.decode(column: "phone_number_id", as: String.self))
            object["business_account_id"] = .string(try row.decode(column: "business_account_id", as: String.self))
        case .facebook, .livechat:
            object["verify_token"] = .string(try row.decode(column: "verify_token", as: String.self))
        }
        object["auto_close_session"] = .int(try row.decode(column: "auto_close_session", as: Int64.self))
        object["session_expired_time"] = .int(try row.decode(column: "session_expired_time", as: Int64?.self) ?? 1)
        object["dids"] = .array(try await ChannelNumbers.render(channel: id, type: provider.type, db: db))
        return object
    }
}
