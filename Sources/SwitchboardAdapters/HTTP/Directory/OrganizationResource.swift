import SQLKit
import SwitchboardCore

/// `organization/*`: the organization tree (`parent_id`, 0 for a root) with extensions as members.
/// Names are unique among siblings; an organization with children cannot be deleted.
struct OrganizationResource: CrudResource {
    let path = "organization"
    let table = "organizations"
    let searchColumns = ["name"]
    let sortColumns = ["id", "name"]

    func render(_ row: any SQLRow, db: any SQLDatabase) async throws -> JSONObject {
        let parent = try row.decode(column: "parent_id", as: Int64?.self) ?? 0
        return try await renderWithMembers(row, links: .organizationMembers, extra: ["parent_id": .int(parent)], db: db)
    }

    func create(_ body: JSONObject, db: any SQLDatabase, now: Int64) async throws -> Int64 {
        var reader = FieldReader(body)
        let fields = OrganizationFields.read(&reader, creating: true)
        try reader.finish()
        let parent = fields.parentID ?? 0
        try await requireParent(db, parent)
        try await requireExtensions(db, fields.memberIDs)
        try await requireUniqueAmongSiblings(db, name: fields.name!, parent: parent, excluding: nil)
        let id = try await insertReturningID(db, """
            INSERT INTO organizations (name, parent_id, created_at)
            VALUES (\(bind: fields.name!), \(bind: parent == 0 ? nil : parent), \(bind: now))
            """)
        try await LinkTable.organizationMembers.replace(owner: id, with: fields.memberIDs ?? [], db: db)
        return id
    }

    func update(id: Int64, _ body: JSONObject, db: any SQLDatabase) async throws {
        var reader = FieldReader(body)
        let fields = OrganizationFields.read(&reader, creating: false)
        try reader.finish()
        if let parent = fields.parentID {
            try await requireParent(db, parent)
            if parent != 0, try await Self.tree(db).createsCycle(moving: id, under: parent) {
                throw APIError.invalid("parent_id", "invalid_value", detail: "an organization cannot be placed under itself")
            }
        }
        try await requireExtensions(db, fields.memberIDs)
        guard let current = try await db.raw("SELECT name, parent_id FROM organizations WHERE id = \(bind: id)").first() else {
            throw APIError.notFound
        }
        let name = try fields.name ?? current.decode(column: "name", as: String.self)
        let parent = try fields.parentID ?? current.decode(column: "parent_id", as: Int64?.self) ?? 0
        try await requireUniqueAmongSiblings(db, name: name, parent: parent, excluding: id)
        try await db.raw("""
            UPDATE organizations SET name = \(bind: name), parent_id = \(bind: parent == 0 ? nil : parent) WHERE id = \(bind: id)
            """).run()
        if let members = fields.memberIDs { try await LinkTable.organizationMembers.replace(owner: id, with: members, db: db) }
    }

    func checkUnreferenced(id: Int64, db: any SQLDatabase) async throws {
        try await requireNoReference(
            db, "SELECT id FROM organizations WHERE parent_id = \(bind: id)", detail: "the organization has child organizations")
    }

    /// `40002` naming `parent_id` unless it is 0 (the root) or an existing organization.
    private func requireParent(_ db: any SQLDatabase, _ parent: Int64) async throws {
        guard parent != 0 else { return }
        try await requireExisting(db, table: table, ids: [parent]) { _ in "parent_id" }
    }

    /// `40003` naming `name` when a sibling under `parent` already has it.
    private func requireUniqueAmongSiblings(_ db: any SQLDatabase, name: String, parent: Int64, excluding id: Int64?) async throws {
        let clash = try await db.raw("""
            SELECT id FROM organizations
            WHERE COALESCE(parent_id, 0) = \(bind: parent) AND name = \(bind: name) AND id <> \(bind: id ?? -1)
            """).first()
        if clash != nil { throw APIError.duplicate("name") }
    }

    /// Every organization, for cycle checks and menus.
    static func tree(_ db: any SQLDatabase) async throws -> OrganizationTree {
        let rows = try await db.raw("SELECT id, name, parent_id FROM organizations").all()
        return OrganizationTree(try rows.map { row in
            OrganizationTree.Node(
                id: try row.decode(column: "id", as: Int64.self), name: try row.decode(column: "name", as: String.self),
                parentID: try row.decode(column: "parent_id", as: Int64?.self))
        })
    }
}
