import AsyncHTTPClient
import Hummingbird
import SQLKit
import SwitchboardCore

/// Ours (Yeastar configures webhooks in its web UI): `event_webhook/list|get|create|update|delete|test`.
///
/// A webhook is `{id, url, method, event_list, enabled, created_at}`; `event_list` `[]` means every
/// Yeastar messaging event (30030, 30031, 30032, 30038). `create` generates the 32-character
/// secret and returns it with the id; `get` shows it too (the receiver needs it to verify
/// `X-Signature`); `list` does not. `update` with `"reset_secret":1` generates a new one and
/// returns it. At most five webhooks (`60002`). `test` sends a signed test event (type 39999,
/// `X-Event-Id: test-<random>`) and answers with the receiver's HTTP status, or `-1 FAILURE`.
struct EventWebhookController: Sendable {
    let database: Database
    let clock: any WallClock
    let secrets: SecretBox
    let http: HTTPClient
    let serial: String

    /// The event type of `event_webhook/test` deliveries (never in the log).
    static let testEventType = 39999

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("event_webhook/list", use: list)
        group.get("event_webhook/get", use: get)
        group.post("event_webhook/create", use: create)
        group.post("event_webhook/update", use: update)
        group.get("event_webhook/delete", use: delete)
        group.post("event_webhook/test", use: test)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        try request.queryReader.finish()
        let rows = try await database.run { db in try await db.raw("SELECT * FROM event_webhooks ORDER BY id").all() }
        let items = try rows.map { JSONValue.object(try Self.render($0)) }
        return .success(["total_number": .integer(items.count), "data": .array(items)])
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var reader = request.queryReader
        let id = reader.id("id", required: true)
        try reader.finish()
        let (row, counts) = try await database.run { db in
            let row = try await db.raw("SELECT * FROM event_webhooks WHERE id = \(bind: id!)").first()
            let counts = try await db.raw("""
                SELECT COALESCE(SUM(CASE WHEN status IN ('pending', 'sending') THEN 1 ELSE 0 END), 0) AS pending,
                  COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) AS failed
                FROM event_deliveries WHERE webhook_id = \(bind: id!)
                """).first()
            return (row, counts)
        }
        guard let row else { throw APIError.notFound }
        var item = try Self.render(row)
        item["secret"] = .string(try secrets.open(try row.decode(column: "secret", as: String.self)))
        item["pending_count"] = .int(try counts?.decode(column: "pending", as: Int64.self) ?? 0)
        item["failed_count"] = .int(try counts?.decode(column: "failed", as: Int64.self) ?? 0)
        return .success(["data": .object(item)])
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var request = request
        var reader = FieldReader(try await request.jsonObject(context: context))
        let fields = EventWebhookFields.read(&reader, creating: true)
        try reader.finish()
        let secret = RandomToken.alphanumeric(32)
        let sealed = try secrets.seal(secret)
        let now = clock.now()
        let engine = database.engine
        let id = try await database.transaction { db in
            if engine == .postgres { try await db.raw("LOCK TABLE event_webhooks IN SHARE ROW EXCLUSIVE MODE").run() }
            let count = try await db.raw("SELECT COUNT(*) AS n FROM event_webhooks").first()?.decode(column: "n", as: Int.self) ?? 0
            guard count < EventWebhookFields.maxWebhooks else {
                throw APIError(.maxLimitationExceeded, detail: "at most \(EventWebhookFields.maxWebhooks) event webhooks")
            }
            let head = try await EventStore.head(db)
            return try await insertReturningID(db, """
                INSERT INTO event_webhooks (url, method, secret, events, enabled, start_seq, created_at)
                VALUES (\(bind: fields.url!), \(bind: (fields.method ?? .post).rawValue), \(bind: sealed),
                  \(bind: EventSelection.encode(fields.events ?? [])), \(bind: (fields.enabled ?? true) ? 1 : 0), \(bind: head), \(bind: now))
                """)
        }
        return .success(["id": .int(id), "secret": .string(secret)])
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var request = request
        var reader = FieldReader(try await request.jsonObject(context: context))
        let id = reader.id("id", required: true)
        let fields = EventWebhookFields.read(&reader, creating: false)
        let resetSecret = reader.flag("reset_secret") ?? false
        try reader.finish()
        let secret = resetSecret ? RandomToken.alphanumeric(32) : nil
        let sealed = try secret.map(secrets.seal)
        try await database.transaction { db in
            try await requireRow(db, table: "event_webhooks", id: id!)
            var sets: [SQLQueryString] = []
            if let url = fields.url { sets.append("url = \(bind: url)") }
            if let method = fields.method { sets.append("method = \(bind: method.rawValue)") }
            if let events = fields.events { sets.append("events = \(bind: EventSelection.encode(events))") }
            if let enabled = fields.enabled { sets.append("enabled = \(bind: enabled ? 1 : 0)") }
            if let sealed { sets.append("secret = \(bind: sealed)") }
            guard !sets.isEmpty else { return }
            let query = SQLQueryString("UPDATE event_webhooks SET ") + sets.joined(separator: ", ")
                + SQLQueryString(" WHERE id = \(bind: id!)")
            try await db.raw(query).run()
        }
        return .success(secret.map { ["secret": .string($0)] } ?? [:])
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var reader = request.queryReader
        let id = reader.id("id", required: true)
        try reader.finish()
        try await database.transaction { db in
            try await requireRow(db, table: "event_webhooks", id: id!)
            try await db.raw("DELETE FROM event_deliveries WHERE webhook_id = \(bind: id!)").run()
            try await db.raw("DELETE FROM event_webhooks WHERE id = \(bind: id!)").run()
        }
        return .success()
    }

    @Sendable func test(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var request = request
        var reader = FieldReader(try await request.jsonObject(context: context))
        let id = reader.id("id", required: true)
        try reader.finish()
        guard let row = try await database.run({ db in try await db.raw("SELECT * FROM event_webhooks WHERE id = \(bind: id!)").first() })
        else { throw APIError.notFound }
        let message: JSONValue = ["test": true, "webhook_id": .int(id!), "time": .int(clock.now())]
        let prepared = EventWebhookRequest.make(
            url: try row.decode(column: "url", as: String.self),
            method: WebhookMethod(rawValue: try row.decode(column: "method", as: String.self)) ?? .post,
            secret: try secrets.open(try row.decode(column: "secret", as: String.self)),
            eventID: "test-" + RandomToken.alphanumeric(12), type: Self.testEventType, serial: serial, messageText: message.serialized())
        let answer = await EventWebhookRequest.send(prepared, http: http)
        guard let status = answer.status else { throw APIError(.failure, detail: "the receiver could not be reached") }
        guard (200..<300).contains(status) else { throw APIError(.failure, detail: "the receiver answered HTTP \(status)") }
        return .success(["status": .integer(status)])
    }

    static func render(_ row: any SQLRow) throws -> JSONObject {
        [
            "id": .int(try row.decode(column: "id", as: Int64.self)),
            "url": .string(try row.decode(column: "url", as: String.self)),
            "method": .string(try row.decode(column: "method", as: String.self)),
            "event_list": .array(EventSelection.decode(try row.decode(column: "events", as: String.self)).map { .integer($0) }),
            "enabled": .integer(try row.decode(column: "enabled", as: Int.self)),
            "created_at": .int(try row.decode(column: "created_at", as: Int64.self)),
        ]
    }
}
