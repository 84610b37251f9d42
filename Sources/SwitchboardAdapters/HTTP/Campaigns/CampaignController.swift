import Foundation
import Hummingbird
import SQLKit
import SwitchboardCore

/// `message_campaign/*` (seed 002, reference §6): create, update, list, search, get, query, retry,
/// delete, plus ours — `duplicate`, `results` (per-recipient outcomes) and `import` (a recipient CSV);
/// also `message/batchupload`, where campaign (and message) files come from.
struct CampaignController {
    let database: Database
    let clock: any WallClock
    let runner: CampaignRunner
    let files: FileStore
    let templates: TemplateStore

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("message_campaign/create", use: create)
        group.post("message_campaign/update", use: update)
        group.get("message_campaign/list") { request, _ in try await list(request, searching: false) }
        group.get("message_campaign/search") { request, _ in try await list(request, searching: true) }
        group.get("message_campaign/get", use: get)
        group.get("message_campaign/query", use: query)
        group.get("message_campaign/retry", use: retry)
        group.get("message_campaign/delete", use: delete)
        group.get("message_campaign/duplicate", use: duplicate)
        group.get("message_campaign/results", use: results)
        group.post("message_campaign/import", use: CampaignImport(database: database, clock: clock).importCSV)
        group.post("message/batchupload", use: BatchUpload(files: files).upload)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var request = request
        let body = try await request.jsonObject(context: context)
        let campaign = try CampaignRequest.read(body, parseJSON: SocketLoop.decodeJSON)
        try await syncTemplatesIfNeeded(campaign)
        let now = clock.now()
        let id = try await database.transaction { db in try await CampaignStore.create(db, campaign, now: now) }
        runner.nudge()
        return .success(["id": .int(id)])
    }

    /// A template campaign on a channel whose templates were never synced syncs them first (best effort).
    private func syncTemplatesIfNeeded(_ campaign: CampaignRequest) async throws {
        guard campaign.contentType == .template else { return }
        let channelID = campaign.channelID
        if try await !database.run({ db in try await TemplateStore.isSynced(db, channelID: channelID) }) {
            _ = try? await templates.sync(channelID: channelID)
        }
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var request = request
        let body = try await request.jsonObject(context: context)
        var reader = FieldReader(body)
        let id = reader.id("id", required: true)
        try reader.finish()
        let now = clock.now()
        try await database.transaction { db in
            var merged = try await CampaignStore.requestObject(db, id: id!)
            for member in body.members where member.key != "id" { merged[member.key] = member.value }
            // Switching to a phonebook drops the typed numbers; switching to input needs a number_list.
            if body["recipient_type"] != nil, body["number_list"] == nil, merged["recipient_type"]?.stringValue == "phonebook" {
                merged["number_list"] = nil
            }
            let campaign = try CampaignRequest.read(merged, parseJSON: SocketLoop.decodeJSON)
            try await CampaignStore.update(db, id: id!, campaign, now: now)
        }
        runner.nudge()
        return .success()
    }

    func list(_ request: Request, searching: Bool) async throws -> JSONResponse {
        var reader = request.queryReader
        let page = PageRequest.read(&reader)
        let search = searching ? reader.string("search_value") : nil
        try reader.finish()
        let (total, items) = try await database.run { db in
            var filter = SQLQueryString("")
            if let search, !search.isEmpty {
                filter = SQLQueryString(" WHERE LOWER(c.name) LIKE \(bind: "%" + search.lowercased() + "%")")
            }
            let total = try await db.raw(SQLQueryString("SELECT COUNT(*) AS n FROM campaigns c") + filter).first()?.decode(column: "n", as: Int64.self) ?? 0
            let rows = try await db.raw(SQLQueryString(CampaignViews.select) + filter
                + SQLQueryString(" ORDER BY c.id DESC LIMIT \(bind: page!.pageSize) OFFSET \(bind: page!.offset)")).all()
            var items: [JSONValue] = []
            for row in rows { items.append(.object(try await CampaignViews.listItem(db, row))) }
            return (total, items)
        }
        return .success(["total_number": .int(total), "data": .array(items)])
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var reader = request.queryReader
        let id = reader.id("id", required: true)
        try reader.finish()
        guard let item = try await details([id!]).first else { throw APIError.notFound }
        return .success(["data": item])
    }

    @Sendable func query(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var reader = request.queryReader
        let ids = reader.idList("ids")
        try reader.finish()
        return .success(["list": .array(try await details(ids!))])
    }

    private func details(_ ids: [Int64]) async throws -> [JSONValue] {
        try await database.run { db in
            var items: [JSONValue] = []
            for id in ids {
                if let row = try await db.raw(SQLQueryString(CampaignViews.select) + SQLQueryString(" WHERE c.id = \(bind: id)")).first() {
                    items.append(.object(try await CampaignViews.detail(db, row)))
                }
            }
            return items
        }
    }

    /// Resends the failed messages (and sends any never sent) of a completed or stopped campaign.
    @Sendable func retry(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var reader = request.queryReader
        let id = reader.id("id", required: true)
        try reader.finish()
        let now = clock.now()
        try await database.transaction { db in
            let status = try await CampaignStore.status(db, id: id!)
            guard status.isRetryable else {
                throw APIError(.actionForbidden, detail: "only a completed or stopped campaign can be retried (it is \(status.rawValue))")
            }
            let round = try await db.raw("SELECT round FROM campaigns WHERE id = \(bind: id!)").first()!.decode(column: "round", as: Int.self)
            let left = try await db.raw("""
                SELECT COUNT(*) AS n FROM campaign_recipients r LEFT JOIN messages m ON m.id = r.message_id
                WHERE r.campaign_id = \(bind: id!) AND r.uncertain = 0 AND (r.message_id IS NULL OR m.delivery_status = 2)
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            guard left > 0 else { throw APIError(.actionForbidden, detail: "the campaign has no failed messages to retry") }
            try await db.raw("""
                UPDATE campaigns SET status = 'pending', round = \(bind: round + 1), queued_at = \(bind: now), updated_at = \(bind: now)
                WHERE id = \(bind: id!)
                """).run()
        }
        runner.nudge()
        return .success()
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var reader = request.queryReader
        let id = reader.id("id", required: true)
        try reader.finish()
        try await database.transaction { db in
            let status = try await CampaignStore.status(db, id: id!)
            guard !status.isRunning else { throw APIError(.actionForbidden, detail: "the campaign is sending; delete it when it has finished") }
            try await db.raw("DELETE FROM campaign_recipients WHERE campaign_id = \(bind: id!)").run()
            try await db.raw("DELETE FROM campaigns WHERE id = \(bind: id!)").run()
        }
        return .success()
    }

    @Sendable func duplicate(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var reader = request.queryReader
        let id = reader.id("id", required: true)
        try reader.finish()
        let now = clock.now()
        let copy = try await database.transaction { db in try await CampaignStore.duplicate(db, id: id!, now: now) }
        return .success(["id": .int(copy)])
    }

    /// Per-recipient results: `total_number`, `succeeded`, `failed`, and a page of
    /// `{contact_name, number, result, failed_reason}` (`result`: waiting, sending, succeeded, failed).
    @Sendable func results(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var reader = request.queryReader
        let id = reader.id("id", required: true)
        let page = PageRequest.read(&reader, required: false)
        try reader.finish()
        return try await database.run { db in
            _ = try await CampaignStore.status(db, id: id!)
            let tally = try await CampaignViews.tally(db, campaignID: id!)
            let items = try await CampaignViews.results(db, campaignID: id!, page: page!)
            return .success([
                "total_number": .integer(tally.total), "succeeded": .integer(tally.succeeded), "failed": .integer(tally.failed),
                "result_count": .string(tally.resultCount), "response_rate": .string(tally.responseRate), "data": .array(items),
            ])
        }
    }
}
