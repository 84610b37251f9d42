import SQLKit
import SwitchboardCore

/// `extension/*`: the agents. `user_password` is write-only (stored as a salted hash, never returned).
struct ExtensionResource: CrudResource {
    let path = "extension"
    let table = "extensions"
    let searchColumns = ["number", "caller_id_name", "first_name", "last_name", "email_addr", "mobile_number"]
    let sortColumns = ["id", "number", "caller_id_name", "email_addr", "mobile_number", "presence_status"]

    func render(_ row: any SQLRow, db: any SQLDatabase) async throws -> JSONObject {
        [
            "id": .int(try row.decode(column: "id", as: Int64.self)),
            "number": .string(try row.decode(column: "number", as: String.self)),
            "caller_id_name": .string(try row.decode(column: "caller_id_name", as: String.self)),
            "first_name": .string(try row.decode(column: "first_name", as: String.self)),
            "last_name": .string(try row.decode(column: "last_name", as: String.self)),
            "email_addr": .string(try row.decode(column: "email_addr", as: String.self)),
            "mobile_number": .string(try row.decode(column: "mobile_number", as: String.self)),
            "presence_status": .string(try row.decode(column: "presence_status", as: String.self)),
        ]
    }

    func create(_ body: JSONObject, db: any SQLDatabase, now: Int64) async throws -> Int64 {
        var reader = FieldReader(body)
        let fields = ExtensionFields.read(&reader, creating: true)
        try reader.finish()
        try await requireUnique(db, table: table, column: "number", value: fields.number!, field: "number")
        let hash = fields.password.map(PasswordHasher.hash) ?? ""
        return try await insertReturningID(db, """
            INSERT INTO extensions (number, caller_id_name, first_name, last_name, email_addr, mobile_number,
              password_hash, presence_status, created_at)
            VALUES (\(bind: fields.number!), \(bind: fields.callerIDName ?? ""), \(bind: fields.firstName ?? ""),
              \(bind: fields.lastName ?? ""), \(bind: fields.email ?? ""), \(bind: fields.mobileNumber ?? ""),
              \(bind: hash), \(bind: (fields.presence ?? .available).rawValue), \(bind: now))
            """)
    }

    func update(id: Int64, _ body: JSONObject, db: any SQLDatabase) async throws {
        var reader = FieldReader(body)
        let fields = ExtensionFields.read(&reader, creating: false)
        try reader.finish()
        if let number = fields.number {
            try await requireUnique(db, table: table, column: "number", value: number, field: "number", excluding: id)
        }
        let changes: [(String, (any Encodable & Sendable)?)] = [
            ("number", fields.number), ("caller_id_name", fields.callerIDName), ("first_name", fields.firstName),
            ("last_name", fields.lastName), ("email_addr", fields.email), ("mobile_number", fields.mobileNumber),
            ("password_hash", fields.password.map(PasswordHasher.hash)), ("presence_status", fields.presence?.rawValue),
        ]
        try await updateColumns(db, table: table, id: id, changes)
    }
}

/// `UPDATE table SET col = value, … WHERE id = id` for the changes that are not nil.
func updateColumns(_ db: any SQLDatabase, table: String, id: Int64, _ changes: [(String, (any Encodable & Sendable)?)]) async throws {
    let present = changes.compactMap { change in change.1.map { (change.0, $0) } }
    guard !present.isEmpty else { return }
    var builder = db.update(table)
    for (column, value) in present { builder = builder.set(SQLIdentifier(column), to: SQLBind(value)) }
    try await builder.where("id", .equal, id).run()
}
