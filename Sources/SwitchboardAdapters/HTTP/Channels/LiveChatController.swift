import Foundation
import Hummingbird
import SQLKit
import SwitchboardCore

/// `message_channel/createlivechat|updatelivechat|getlivechat|embedcode|uploadphoto` (reference §4.10–4.11).
struct LiveChatController {
    let context: ChannelContext

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("message_channel/createlivechat") { request, requestContext in
            var request = request
            return try await create(try await request.jsonObject(context: requestContext))
        }
        group.post("message_channel/updatelivechat") { request, requestContext in
            var request = request
            return try await update(try await request.jsonObject(context: requestContext))
        }
        group.get("message_channel/getlivechat") { request, _ in try await get(request) }
        group.get("message_channel/embedcode") { request, _ in try await embedCode(request) }
        group.post("message_channel/uploadphoto") { request, requestContext in
            try await AvatarUpload(directory: context.uploadDirectory).upload(request, context: requestContext)
        }
    }

    /// Name, domain and destination: the Live Chat fields kept in columns of their own.
    private struct Basics {
        var name: String?
        var domain: String?
        var destinationType: DestinationType?
        var destinationID: Int64?

        init(_ reader: inout FieldReader, creating: Bool) {
            name = reader.string("name", required: creating, maxLength: LiveChat.maxNameLength, allowEmpty: false)
            domain = reader.string("website_domain", required: creating, maxLength: LiveChat.maxDomainLength, allowEmpty: false)
            if !creating {
                if name?.isEmpty == true { reader.fail("name", "required") }
                if domain?.isEmpty == true { reader.fail("website_domain", "required") }
            }
            destinationType = reader.choice("destination_type", required: creating, as: DestinationType.self)
            if destinationType != .api && (destinationType != nil || reader.has("destination_id")) {
                destinationID = reader.id("destination_id", required: true)
            }
        }

        /// Throws `40002` naming `destination_id` when it points at nothing; `stored` is the current
        /// destination type on update.
        func requireDestination(db: any SQLDatabase, stored: DestinationType? = nil) async throws {
            if let type = destinationType ?? stored, type == .api, destinationID != nil, destinationType == nil {
                throw APIError.invalid("destination_id", "invalid_value")
            }
            if let type = destinationType ?? stored, let table = ChannelNumbers.table(for: type), let destinationID,
                try await !ChannelNumbers.exists(db, table: table, id: destinationID)
            {
                throw APIError.invalid("destination_id", "not_existed")
            }
        }
    }

    func create(_ body: JSONObject) async throws -> JSONResponse {
        var reader = FieldReader(body)
        let basics = Basics(&reader, creating: true)
        let settings = LiveChat.readSettings(&reader, existing: nil)
        try reader.finish()
        let now = context.clock.now()
        let id = try await context.database.transaction { db in
            try await basics.requireDestination(db: db)
            let numbers = try await db.raw("SELECT channel_number FROM message_channels WHERE type = 'livechat'").all()
                .compactMap { try $0.decode(column: "channel_number", as: String?.self).flatMap(LiveChat.sequence) }
            let next = (numbers.max() ?? -1) + 1
            guard next <= LiveChat.maxChannelNumber else { throw APIError(.maxLimitationExceeded) }
            return try await insertReturningID(db, """
                INSERT INTO message_channels (type, provider, name, webhook_gid, channel_number, website_domain,
                  destination_type, destination_id, auto_close_session, session_expired_time, settings, created_at)
                VALUES ('livechat', 'livechat', \(bind: basics.name!), \(bind: ChannelContext.randomToken()),
                  \(bind: LiveChat.channelNumber(next)), \(bind: basics.domain!), \(bind: basics.destinationType!.rawValue),
                  \(bind: basics.destinationID), \(bind: settings["auto_close_session"] == 1 ? 1 : 0),
                  \(bind: Self.int(settings["session_expired_time"])), \(bind: JSONValue.object(settings).serialized()), \(bind: now))
                """)
        }
        return .success(["id": .int(id)])
    }

    func update(_ body: JSONObject) async throws -> JSONResponse {
        var idReader = FieldReader(body)
        let id = idReader.id("id", required: true)
        try idReader.finish()
        try await context.database.transaction { db in
            let row = try await Self.liveChatRow(id!, db: db)
            let stored = try Self.decodeSettings(try row.decode(column: "settings", as: String.self))
            var reader = FieldReader(body)
            let basics = Basics(&reader, creating: false)
            let settings = LiveChat.readSettings(&reader, existing: stored)
            try reader.finish()
            let storedType = try row.decode(column: "destination_type", as: String?.self).flatMap(DestinationType.init(rawValue:))
            try await basics.requireDestination(db: db, stored: storedType)
            var changes: [(String, (any Encodable & Sendable)?)] = [
                ("name", basics.name), ("website_domain", basics.domain), ("destination_type", basics.destinationType?.rawValue),
                ("auto_close_session", settings["auto_close_session"] == 1 ? 1 : 0),
                ("session_expired_time", Self.int(settings["session_expired_time"])),
                ("settings", JSONValue.object(settings).serialized()),
            ]
            if basics.destinationType != nil || basics.destinationID != nil { changes.append(("destination_id", basics.destinationID ?? 0)) }
            try await updateColumns(db, table: "message_channels", id: id!, changes)
            if basics.destinationType == .api {
                try await db.raw("UPDATE message_channels SET destination_id = NULL WHERE id = \(bind: id!)").run()
            }
        }
        return .success()
    }

    func get(_ request: Request) async throws -> JSONResponse {
        var reader = request.queryReader
        let id = reader.id("id", required: true)
        try reader.finish()
        let context = self.context
        let data = try await context.database.run { db in try context.liveChatDetail(try await Self.liveChatRow(id!, db: db)) }
        return .success(["data": .object(data)])
    }

    func embedCode(_ request: Request) async throws -> JSONResponse {
        var reader = request.queryReader
        let id = reader.id("id", required: true)
        // With `email`, the snippet and the installation instructions go to that address (seed 003).
        let email = EmailSettings.readRecipient(&reader, "email", required: false)
        try reader.finish()
        let row = try await context.database.run { db in try await Self.liveChatRow(id!, db: db) }
        let number = try row.decode(column: "channel_number", as: String?.self) ?? ""
        let domain = try row.decode(column: "website_domain", as: String.self)
        let code = LiveChat.embedCode(publicURL: context.fqdnURL, channelNumber: number)
        if let email {
            let name = try row.decode(column: "name", as: String.self)
            try await context.email.send { sender in
                LiveChatInstallEmail.message(from: sender, to: email, channelName: name, websiteDomain: domain, embedCode: code)
            }
        }
        return .success(["website_domain": .string(domain), "embed_code": .string(code)])
    }

    /// The row of Live Chat channel `id`; `60001` when there is none.
    static func liveChatRow(_ id: Int64, db: any SQLDatabase) async throws -> any SQLRow {
        guard let row = try await db.raw("SELECT * FROM message_channels WHERE id = \(bind: id) AND type = 'livechat'").first() else {
            throw APIError.notFound
        }
        return row
    }

    static func decodeSettings(_ text: String) throws -> JSONObject {
        (try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))).objectValue ?? [:]
    }

    static func int(_ value: JSONValue?) -> Int64? {
        if case .int(let number)? = value { return number }
        return nil
    }
}

extension ChannelContext {
    /// A `LiveChat_Channel` object (getlivechat, and get/query of a Live Chat id).
    func liveChatDetail(_ row: any SQLRow) throws -> JSONObject {
        var object: JSONObject = [
            "id": .int(try row.decode(column: "id", as: Int64.self)),
            "name": .string(try row.decode(column: "name", as: String.self)),
            "type": "livechat",
            "channel": "livechat",
            "status": .string(try row.decode(column: "status", as: String.self)),
            "reason": .string(try row.decode(column: "reason", as: String.self)),
            "channel_number": .optional(try row.decode(column: "channel_number", as: String?.self)),
            "website_domain": .string(try row.decode(column: "website_domain", as: String.self)),
            "destination_type": .optional(try row.decode(column: "destination_type", as: String?.self)),
            "destination_id": .string(try row.decode(column: "destination_id", as: Int64?.self).map { String($0) } ?? ""),
        ]
        for member in try LiveChatController.decodeSettings(try row.decode(column: "settings", as: String.self)).members {
            object[member.key] = member.value
        }
        return object
    }
}
