import Hummingbird
import SQLKit
import SwitchboardCore

/// `message/send|get|query` (reference §5.1, §5.3, §5.4). `get` and `query` also take an optional
/// `user_type`/`user_no` (ours): with one, only what that actor may view is answered, and an agent's
/// reading marks the session read for them.
struct MessageController {
    let context: SessionContext

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("message/send") { request, requestContext in
            var request = request
            return try await send(try await request.jsonObject(context: requestContext))
        }
        group.get("message/get") { request, _ in try await get(request) }
        group.get("message/query") { request, _ in try await query(request) }
    }

    func send(_ body: JSONObject) async throws -> JSONResponse {
        var reader = FieldReader(body)
        let request = SendRequest.read(&reader, forcedSender: InboxAgent.forcedUser)
        try reader.finish()
        let sent = try await context.sender.send(request)
        context.nudge()
        return .success(["session_id": .int(sent.sessionID), "msg_id": .int(sent.messageID)])
    }

    func get(_ request: Request) async throws -> JSONResponse {
        var reader = request.queryReader
        let pageSize = reader.int("page_size", required: true, range: 1...PageRequest.maxPageSize)
        let id = reader.id("id", required: true)
        let before = reader.int("last_msg_id", range: 0...Int64.max).flatMap { $0 == 0 ? nil : $0 }
        let acting = try await context.acting(&reader, required: false)
        let views = context.views, now = context.clock.now()
        let data = try await context.database.transaction { db in
            try await SessionStore.authorize(db, id: id!, .view, acting: acting)
            let page = try await views.messages(db, sessionID: id!, pageSize: pageSize!, before: before)
            try await Self.markRead(db, page, sessionID: id!, acting: acting, now: now)
            return page
        }
        return .success(["data": .object(data)])
    }

    func query(_ request: Request) async throws -> JSONResponse {
        var reader = request.queryReader
        let pageSize = reader.int("page_size", required: true, range: 1...PageRequest.maxPageSize)
        let ids = reader.idList("ids")
        let acting = try await context.acting(&reader, required: false)
        let views = context.views, now = context.clock.now()
        let data = try await context.database.transaction { db in
            var pages: [JSONValue] = []
            for id in try await SessionStore.authorizedIDs(db, ids!, .view, acting: acting) {
                let page = try await views.messages(db, sessionID: id, pageSize: pageSize!, before: nil)
                try await Self.markRead(db, page, sessionID: id, acting: acting, now: now)
                pages.append(.object(page))
            }
            return pages
        }
        return .success(["data": .array(data)])
    }

    /// An agent who reads the newest messages has read the session up to them.
    private static func markRead(_ db: any SQLDatabase, _ page: JSONObject, sessionID: Int64, acting: Acting, now: Int64) async throws {
        guard case .agent = acting.actor, case .int(let newest)? = page["records"]?.arrayValue?.first?["msg_id"] else { return }
        try await SessionActions.markRead(db, sessionID: sessionID, upTo: newest, by: acting, now: now)
    }
}
