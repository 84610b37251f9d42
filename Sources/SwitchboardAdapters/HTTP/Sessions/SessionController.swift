import Hummingbird
import SQLKit
import SwitchboardCore

/// `message_session/list|search|get|query|transfer|close|archive|unarchive|delete` (reference §5.6–5.9)
/// and `message_session/pickup` (ours; a POST shaped like archive's). `transfer`, `close`, `get` and
/// `query` take no user in the reference: without one the OpenAPI client acts as administrator;
/// with `user_type`/`user_no` (ours), or in the web inbox, the authorization matrix applies.
struct SessionController {
    let context: SessionContext

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("message_session/list") { request, _ in try await list(request, searching: false) }
        group.get("message_session/search") { request, _ in try await list(request, searching: true) }
        group.get("message_session/get") { request, _ in try await get(request) }
        group.get("message_session/query") { request, _ in try await query(request) }
        group.post("message_session/transfer") { request, requestContext in
            var request = request
            return try await transfer(try await request.jsonObject(context: requestContext))
        }
        group.get("message_session/delete") { request, _ in
            var reader = request.queryReader
            return try await act(&reader, .remove, userRequired: true) { db, record, acting, now in
                try await SessionActions.remove(db, record, by: acting, now: now)
            }
        }
        let actions: [(String, SessionOperation, Bool, @Sendable (any SQLDatabase, SessionStore.Record, Acting, Int64) async throws -> Void)] = [
            ("close", .close, false, { db, record, acting, now in
                try await SessionActions.close(db, record, .closedManually, by: acting, now: now) }),
            ("archive", .archive, true, { db, record, acting, now in
                try await SessionActions.setArchived(db, record, true, by: acting, now: now) }),
            ("unarchive", .unarchive, true, { db, record, acting, now in
                try await SessionActions.setArchived(db, record, false, by: acting, now: now) }),
            ("pickup", .pickup, true, { db, record, acting, now in
                try await SessionActions.pickUp(db, record, by: acting, now: now) }),
        ]
        for (path, operation, userRequired, action) in actions {
            group.post(RouterPath(stringLiteral: "message_session/\(path)")) { request, requestContext in
                var request = request
                var reader = FieldReader(try await request.jsonObject(context: requestContext))
                return try await act(&reader, operation, userRequired: userRequired, action)
            }
        }
    }

    func list(_ request: Request, searching: Bool) async throws -> JSONResponse {
        var reader = request.queryReader
        let query = SessionListQuery.read(&reader, forcedUser: InboxAgent.forcedUser, searching: searching)
        try reader.finish()
        let views = context.views
        let items = try await context.database.run { db in
            let acting = try await Acting.resolve(db, query.user, field: "user_no")
            return try await views.list(db, query, acting: acting)
        }
        return .success(["list": .array(items)])
    }

    /// `list` holds one object here (sic, reference §5.8).
    func get(_ request: Request) async throws -> JSONResponse {
        var reader = request.queryReader
        let id = reader.id("id", required: true)
        let acting = try await context.acting(&reader, required: false)
        let views = context.views
        let item = try await context.database.run { db in
            try await SessionStore.authorize(db, id: id!, .view, acting: acting)
            return try await views.detail(db, id: id!, acting: acting)
        }
        return .success(["list": .object(try await views.withPageNames([item])[0])])
    }

    func query(_ request: Request) async throws -> JSONResponse {
        var reader = request.queryReader
        let ids = reader.idList("ids")
        let acting = try await context.acting(&reader, required: false)
        let views = context.views
        let items = try await context.database.run { db in
            var items: [JSONObject] = []
            for id in try await SessionStore.authorizedIDs(db, ids!, .view, acting: acting) {
                items.append(try await views.detail(db, id: id, acting: acting))
            }
            return items
        }
        return .success(["list": .array(try await views.withPageNames(items).map(JSONValue.object))])
    }

    func transfer(_ body: JSONObject) async throws -> JSONResponse {
        var reader = FieldReader(body)
        let type = reader.choice("destination_type", required: true, as: DestinationType.self)
        let destinationID = type == nil || type == .api ? nil : reader.id("destination_id", required: true)
        return try await act(&reader, .transfer, userRequired: false) { db, record, acting, now in
            try await SessionActions.transfer(db, record, to: type!, id: destinationID, by: acting, now: now)
        }
    }

    /// Reads `session_id` and the actor, checks the matrix, and runs `action` in one transaction.
    private func act(
        _ reader: inout FieldReader, _ operation: SessionOperation, userRequired: Bool,
        _ action: @escaping @Sendable (any SQLDatabase, SessionStore.Record, Acting, Int64) async throws -> Void
    ) async throws -> JSONResponse {
        let sessionID = reader.id("session_id", required: true)
        let acting = try await context.acting(&reader, required: userRequired)
        let now = context.clock.now()
        try await context.database.transactionRetryingConflicts { db in
            let record = try await SessionStore.authorize(db, id: sessionID!, operation, acting: acting)
            try await action(db, record, acting, now)
        }
        context.nudge()
        return .success()
    }
}
