import Hummingbird
import SQLKit
import SwitchboardCore

/// A directory-style object served with Yeastar's seven endpoints:
/// `list|search|get|query` (GET), `create|update` (POST JSON) and `delete` (GET).
protocol CrudResource: Sendable {
    /// Path segment, e.g. `extension` → `/openapi/v1.0/extension/list`.
    var path: String { get }
    var table: String { get }
    /// Key holding the array in list/search/query answers (`data` for most, `list` for some).
    var listKey: String { get }
    /// Columns `search_value` matches (case-insensitive substring).
    var searchColumns: [String] { get }
    /// Columns `sort_by` accepts.
    var sortColumns: [String] { get }

    /// The JSON of one row (with its members, if any).
    func render(_ row: any SQLRow, db: any SQLDatabase) async throws -> JSONObject
    /// Validates the body and inserts; returns the new id. Runs inside a transaction.
    func create(_ body: JSONObject, db: any SQLDatabase, now: Int64) async throws -> Int64
    /// Validates the body and changes the existing row `id`. Runs inside a transaction.
    func update(id: Int64, _ body: JSONObject, db: any SQLDatabase) async throws
    /// Throws `70091` when something still refers to `id`. Runs inside the delete transaction.
    func checkUnreferenced(id: Int64, db: any SQLDatabase) async throws
}

extension CrudResource {
    var listKey: String { "data" }
    func checkUnreferenced(id: Int64, db: any SQLDatabase) async throws {}
}

/// Serves one `CrudResource`.
struct CrudController<Resource: CrudResource> {
    let resource: Resource
    let database: Database
    let clock: any WallClock

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        let base = resource.path
        group.get(RouterPath(stringLiteral: "\(base)/list")) { request, _ in try await list(request, searching: false) }
        group.get(RouterPath(stringLiteral: "\(base)/search")) { request, _ in try await list(request, searching: true) }
        group.get(RouterPath(stringLiteral: "\(base)/get"), use: get)
        group.get(RouterPath(stringLiteral: "\(base)/query"), use: query)
        group.post(RouterPath(stringLiteral: "\(base)/create"), use: create)
        group.post(RouterPath(stringLiteral: "\(base)/update"), use: update)
        group.get(RouterPath(stringLiteral: "\(base)/delete"), use: delete)
    }

    func list(_ request: Request, searching: Bool) async throws -> JSONResponse {
        var reader = request.queryReader
        let page = PageRequest.read(&reader)
        let search = searching ? reader.string("search_value") : nil
        let sortBy = reader.string("sort_by")
        if let sortBy, !resource.sortColumns.contains(sortBy) { reader.fail("sort_by", "invalid_value") }
        let orderBy = reader.string("order_by")
        if let orderBy, !["asc", "desc"].contains(orderBy) { reader.fail("order_by", "invalid_value") }
        try reader.finish()
        let resource = self.resource
        let (total, items) = try await database.run { db in
            var filter = SQLQueryString("")
            if let search, !search.isEmpty {
                let pattern = "%" + search.lowercased() + "%"
                filter = SQLQueryString(" WHERE (")
                for (index, column) in resource.searchColumns.enumerated() {
                    if index > 0 { filter.appendLiteral(" OR ") }
                    filter.appendInterpolation(unsafeRaw: "LOWER(\(column))")
                    filter.appendInterpolation(unsafeRaw: " LIKE ")
                    filter.appendInterpolation(bind: pattern)
                }
                filter.appendLiteral(")")
            }
            let countQuery = SQLQueryString("SELECT COUNT(*) AS n FROM \(unsafeRaw: resource.table)") + filter
            let total = try await db.raw(countQuery).first()?.decode(column: "n", as: Int64.self) ?? 0
            // sort_by and order_by were checked against fixed lists above, so raw interpolation is safe.
            let order = " ORDER BY \(sortBy ?? "id") \(orderBy ?? "asc"), id ASC LIMIT \(page!.pageSize) OFFSET \(page!.offset)"
            let rows = try await db.raw(SQLQueryString("SELECT * FROM \(unsafeRaw: resource.table)") + filter + SQLQueryString(order)).all()
            var items: [JSONValue] = []
            for row in rows { items.append(.object(try await resource.render(row, db: db))) }
            return (total, items)
        }
        return .success(["total_number": .int(total), resource.listKey: .array(items)])
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var reader = request.queryReader
        let id = reader.id("id", required: true)
        try reader.finish()
        let found = try await rendered(ids: [id!])
        guard let item = found.first else { throw APIError.notFound }
        return .success(["data": item])
    }

    @Sendable func query(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var reader = request.queryReader
        let ids = reader.idList("ids")
        try reader.finish()
        return .success([resource.listKey: .array(try await rendered(ids: ids!))])
    }

    private func rendered(ids: [Int64]) async throws -> [JSONValue] {
        let resource = self.resource
        return try await database.run { db in
            var items: [JSONValue] = []
            for id in ids {
                if let row = try await db.raw("SELECT * FROM \(unsafeRaw: resource.table) WHERE id = \(bind: id)").first() {
                    items.append(.object(try await resource.render(row, db: db)))
                }
            }
            return items
        }
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var request = request
        let body = try await request.jsonObject(context: context)
        let resource = self.resource
        let now = clock.now()
        let id = try await database.transaction { db in try await resource.create(body, db: db, now: now) }
        return .success(["id": .int(id)])
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var request = request
        let body = try await request.jsonObject(context: context)
        var reader = FieldReader(body)
        let id = reader.id("id", required: true)
        try reader.finish()
        let resource = self.resource
        try await database.transaction { db in
            try await requireRow(db, table: resource.table, id: id!)
            try await resource.update(id: id!, body, db: db)
        }
        return .success()
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var reader = request.queryReader
        let id = reader.id("id", required: true)
        try reader.finish()
        let resource = self.resource
        try await database.transaction { db in
            try await requireRow(db, table: resource.table, id: id!)
            try await resource.checkUnreferenced(id: id!, db: db)
            try await DeleteGuards.check(path: resource.path, id: id!, db: db)
            try await db.raw("DELETE FROM \(unsafeRaw: resource.table) WHERE id = \(bind: id!)").run()
        }
        return .success()
    }
}

/// Throws `60001 DATA NOT FOUND` unless `table` has a row with `id`.
func requireRow(_ db: any SQLDatabase, table: String, id: Int64, field: String? = nil) async throws {
    let found = try await db.raw("SELECT id FROM \(unsafeRaw: table) WHERE id = \(bind: id)").first()
    guard found != nil else {
        if let field { throw APIError(.dataNotFound, invalidParams: [ParamIssue(field: field, value: String(id))]) }
        throw APIError.notFound
    }
}

/// Throws `40003 DUPLICATE KEY VALUE` naming `field` when another row of `table` already has `value` in `column`.
func requireUnique(_ db: any SQLDatabase, table: String, column: String, value: String, field: String, excluding id: Int64? = nil) async throws {
    let row = try await db.raw("""
        SELECT id FROM \(unsafeRaw: table) WHERE \(unsafeRaw: column) = \(bind: value) AND id <> \(bind: id ?? -1)
        """).first()
    if row != nil { throw APIError.duplicate(field) }
}

/// Throws `70091 CONNECTION_RELATION_EXISTED` when `sql` finds any row.
func requireNoReference(_ db: any SQLDatabase, _ sql: SQLQueryString, detail: String) async throws {
    if try await db.raw(sql).first() != nil {
        throw APIError(.connectionRelationExisted, detail: detail)
    }
}

/// Runs an `INSERT … RETURNING id` and gives back the id.
func insertReturningID(_ db: any SQLDatabase, _ sql: SQLQueryString) async throws -> Int64 {
    guard let row = try await db.raw(sql + SQLQueryString(" RETURNING id")).first() else {
        throw APIError(.internalServerError)
    }
    return try row.decode(column: "id", as: Int64.self)
}
