import SQLKit
import SwitchboardCore

/// `extensiongroup/*`: named sets of extensions.
struct ExtensionGroupResource: CrudResource {
    let path = "extensiongroup"
    let table = "extension_groups"
    let searchColumns = ["name"]
    let sortColumns = ["id", "name"]

    func render(_ row: any SQLRow, db: any SQLDatabase) async throws -> JSONObject {
        try await renderWithMembers(row, links: .groupMembers, db: db)
    }

    func create(_ body: JSONObject, db: any SQLDatabase, now: Int64) async throws -> Int64 {
        var reader = FieldReader(body)
        let fields = ExtensionGroupFields.read(&reader, creating: true)
        try reader.finish()
        try await requireExtensions(db, fields.memberIDs)
        try await requireUnique(db, table: table, column: "name", value: fields.name!, field: "name")
        let id = try await insertReturningID(db, """
            INSERT INTO extension_groups (name, created_at) VALUES (\(bind: fields.name!), \(bind: now))
            """)
        try await LinkTable.groupMembers.replace(owner: id, with: fields.memberIDs ?? [], db: db)
        return id
    }

    func update(id: Int64, _ body: JSONObject, db: any SQLDatabase) async throws {
        var reader = FieldReader(body)
        let fields = ExtensionGroupFields.read(&reader, creating: false)
        try reader.finish()
        try await requireExtensions(db, fields.memberIDs)
        if let name = fields.name {
            try await requireUnique(db, table: table, column: "name", value: name, field: "name", excluding: id)
        }
        try await updateColumns(db, table: table, id: id, [("name", fields.name)])
        if let members = fields.memberIDs { try await LinkTable.groupMembers.replace(owner: id, with: members, db: db) }
    }
}
