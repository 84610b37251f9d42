import Hummingbird
import SQLKit
import ServiceLifecycle
import SwitchboardCore

/// `GET message_channel/whatsapp_template` (reference §4.9): a WhatsApp channel's synced templates,
/// filtered by `category` and `language` (comma-separated) and `search_value` (name), paged;
/// and ours, `POST message_channel/whatsapp_template/refresh` (`omnichannel_id`): sync now.
struct TemplateController {
    let templates: TemplateStore

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("message_channel/whatsapp_template", use: list)
        group.post("message_channel/whatsapp_template/refresh", use: refresh)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var reader = request.queryReader
        let channelID = reader.id("omnichannel_id", required: true)
        let categories = reader.string("category").map(Self.list) ?? []
        let languages = reader.string("language").map(Self.list) ?? []
        let search = reader.string("search_value") ?? ""
        let page = PageRequest.read(&reader, required: false)
        try reader.finish()
        return try await templates.database.run { db in
            guard try await db.raw("SELECT id FROM message_channels WHERE id = \(bind: channelID!) AND type = 'whatsapp'").first() != nil else {
                throw APIError.invalid("omnichannel_id", "not_existed")
            }
            var filter = SQLQueryString(" WHERE channel_id = \(bind: channelID!)")
            if !categories.isEmpty { filter = filter + Self.inList("UPPER(category)", categories.map { $0.uppercased() }) }
            if !languages.isEmpty { filter = filter + Self.inList("language", languages) }
            if !search.isEmpty { filter = filter + SQLQueryString(" AND LOWER(name) LIKE \(bind: "%" + search.lowercased() + "%")") }
            let total = try await db.raw(SQLQueryString("SELECT COUNT(*) AS n FROM whatsapp_templates") + filter).first()?.decode(column: "n", as: Int64.self) ?? 0
            let rows = try await db.raw(SQLQueryString("SELECT * FROM whatsapp_templates") + filter
                + SQLQueryString(" ORDER BY id LIMIT \(bind: page!.pageSize) OFFSET \(bind: page!.offset)")).all()
            return .success(["total_number": .int(total), "data": .array(try rows.map { .object(try TemplateStore.render($0)) })])
        }
    }

    @Sendable func refresh(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var request = request
        let body = try await request.jsonObject(context: context)
        var reader = FieldReader(body)
        let channelID = reader.id("omnichannel_id", required: true)
        try reader.finish()
        let count = try await templates.sync(channelID: channelID!)
        return .success(["total_number": .integer(count)])
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }

    static func inList(_ column: String, _ values: [String]) -> SQLQueryString {
        var sql = SQLQueryString(" AND \(unsafeRaw: column) IN (")
        for (index, value) in values.enumerated() {
            if index > 0 { sql.appendLiteral(", ") }
            sql.appendInterpolation(bind: value)
        }
        sql.appendLiteral(")")
        return sql
    }
}

/// Refreshes every WhatsApp channel's templates once a day (checked hourly; a failed sync is
/// retried at the next check a day later, or on demand through the refresh endpoint).
struct TemplateRefresher: Service {
    let templates: TemplateStore
    var interval: Duration = .seconds(3600)

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let cutoff = templates.clock.now() - 86_400
            for channelID in (try? await templates.stale(before: cutoff)) ?? [] {
                _ = try? await templates.sync(channelID: channelID)
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
