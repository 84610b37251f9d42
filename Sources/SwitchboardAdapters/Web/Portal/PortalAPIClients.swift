import Hummingbird
import SQLKit
import SwitchboardCore

/// Portal-only (not on the OpenAPI): the OpenAPI client credentials.
/// - `GET api_client/list` — `{data: [{client_id, created_at}]}` (secrets are stored hashed, never shown);
/// - `POST api_client/create` `{}` — a new client; its `client_secret` is in this answer only;
/// - `POST api_client/delete` `{"client_id"}` — removes it and revokes its tokens; the last client stays (`70084`).
struct PortalAPIClients: Sendable {
    let database: Database
    let clock: any WallClock

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("api_client/list") { _, _ in
            let rows = try await database.run { db in try await db.raw("SELECT client_id, created_at FROM api_clients ORDER BY id").all() }
            let items = try rows.map { row -> JSONValue in
                .object(["client_id": .string(try row.decode(column: "client_id", as: String.self)),
                         "created_at": .int(try row.decode(column: "created_at", as: Int64.self))])
            }
            return JSONResponse.success(["total_number": .integer(items.count), "data": .array(items)])
        }
        group.post("api_client/create") { _, _ in
            let id = RandomToken.alphanumeric(32), secret = RandomToken.alphanumeric(32)
            try await CredentialStore(database: database).upsertClient(clientID: id, secret: secret)
            return JSONResponse.success(["client_id": .string(id), "client_secret": .string(secret)])
        }
        group.post("api_client/delete") { request, context in
            var request = request
            var reader = FieldReader(try await request.jsonObject(context: context))
            let id = reader.string("client_id", required: true)
            try reader.finish()
            try await database.transaction { db in
                guard try await db.raw("SELECT id FROM api_clients WHERE client_id = \(bind: id!)").first() != nil else { throw APIError.notFound }
                let count = try await db.raw("SELECT COUNT(*) AS n FROM api_clients").first()?.decode(column: "n", as: Int.self) ?? 0
                guard count > 1 else { throw APIError(.actionForbidden, detail: "the last OpenAPI client cannot be deleted") }
                try await db.raw("DELETE FROM api_tokens WHERE client_id = \(bind: id!)").run()
                try await db.raw("DELETE FROM api_clients WHERE client_id = \(bind: id!)").run()
            }
            return JSONResponse.success()
        }
    }
}
