import HTTPTypes
import Hummingbird
import SQLKit
import SwitchboardCore

/// The agent inbox page (`/inbox`) and the small JSON endpoints it needs beyond the session API:
/// - `GET /api/inbox/me` — the signed-in agent and their presence;
/// - `POST /api/inbox/presence` `{"presence_status": "available|away|business_trip|do_not_disturb|lunch_break|off_work"}`;
/// - `GET /api/inbox/directory` — colleagues and queues to transfer to, numbers the agent may start sessions on;
/// - `POST /api/inbox/upload?name=…` — a file (raw body, its `Content-Type`) stored for sending; answers File_Info;
/// - `GET /api/inbox/contacts?search_value=&page=&page_size=` — company contacts, as `company_contact/search`
///   answers (read only), for "Add to Existing Contact";
/// - `GET /api/inbox/whatsapp_template?omnichannel_id=&page=&page_size=` — a channel's approved templates,
///   as `message_channel/whatsapp_template` answers, for the template picker.
struct InboxPage: Sendable {
    let auth: InboxAuth
    let database: Database
    let clock: any WallClock
    let templates: TemplateStore
    let files: FileStore
    let web: WebResources
    /// Largest file an agent may attach.
    static let maxUpload = 25 << 20

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("inbox") { _, _ in
            web.page("inbox", [
                "title": "Inbox",
                "presence": PresenceStatus.allCases.map { ["value": $0.rawValue, "label": $0.label] },
                "numberTypes": ContactNumberType.allCases.map { ["value": $0.rawValue, "label": $0.label] },
            ])
        }
        let group = router.group("api/inbox").add(middleware: InboxAuthMiddleware(auth: auth))
        group.get("me") { _, _ in try await me() }
        group.post("presence") { request, context in
            var request = request
            var reader = FieldReader(try await request.jsonObject(context: context))
            let presence = reader.choice("presence_status", required: true, as: PresenceStatus.self)
            try reader.finish()
            let agent = InboxAgent.current!
            try await database.run { db in
                try await db.raw("UPDATE extensions SET presence_status = \(bind: presence!.rawValue) WHERE id = \(bind: agent.extensionID)").run()
            }
            return JSONResponse.success()
        }
        group.get("directory") { _, _ in try await directory() }
        group.get("whatsapp_template", use: TemplateController(templates: templates).list)
        group.get("contacts") { request, _ in
            try await CrudController(resource: CompanyContactResource(), database: database, clock: clock).list(request, searching: true)
        }
        group.post("upload") { request, _ in
            var request = request
            var reader = request.queryReader
            let name = reader.requiredText("name", maxLength: 255)
            try reader.finish()
            let body = try await request.collectBody(upTo: Self.maxUpload)
            guard body.readableBytes > 0 else { throw APIError.invalid("file", "required") }
            let stored = try await files.save(Array(body.readableBytesView), name: name!, contentType: request.headers[.contentType] ?? "")
            return JSONResponse.success(["file": stored.json])
        }
    }

    func me() async throws -> JSONResponse {
        let agent = InboxAgent.current!
        let acting = try await database.run { db in
            let acting = try await Acting.agent(db, extensionID: agent.extensionID)
            let presence = try await db.raw("SELECT presence_status FROM extensions WHERE id = \(bind: agent.extensionID)").first()?
                .decode(column: "presence_status", as: String.self)
            return (acting, presence ?? PresenceStatus.available.rawValue)
        }
        return .success([
            "extension_id": .int(agent.extensionID), "extension": .string(agent.number), "name": .string(acting.0?.name ?? agent.number),
            "presence_status": .string(acting.1),
        ])
    }

    func directory() async throws -> JSONResponse {
        let agent = InboxAgent.current!
        return try await database.run { db in
            var colleagues: [JSONValue] = []
            for row in try await db.raw("SELECT id, number, caller_id_name, first_name, last_name FROM extensions ORDER BY number").all() {
                let id = try row.decode(column: "id", as: Int64.self)
                if id == agent.extensionID { continue }
                colleagues.append(["id": .int(id), "number": .string(try row.decode(column: "number", as: String.self)), "name": .string(try Acting.displayName(row))])
            }
            let queues = try await db.raw("SELECT id, name FROM message_queues ORDER BY name").all().map { row -> JSONValue in
                ["id": .int(try row.decode(column: "id", as: Int64.self)), "name": .string(try row.decode(column: "name", as: String.self))]
            }
            var numbers: [JSONValue] = []
            for row in try await db.raw("""
                SELECT n.id, n.did_number, c.provider, c.type, c.name FROM channel_numbers n JOIN message_channels c ON c.id = n.channel_id
                WHERE c.type IN ('sms', 'whatsapp') ORDER BY n.did_number
                """).all() {
                guard try await SessionSender.isMember(db, extensionID: agent.extensionID, numberID: try row.decode(column: "id", as: Int64.self)) else { continue }
                numbers.append([
                    "did_number": .string(try row.decode(column: "did_number", as: String.self)),
                    "channel": .string(try row.decode(column: "provider", as: String.self)),
                    "type": .string(try row.decode(column: "type", as: String.self)),
                    "channel_name": .string(try row.decode(column: "name", as: String.self)),
                ])
            }
            return .success(["colleagues": .array(colleagues), "queues": .array(queues), "numbers": .array(numbers)])
        }
    }
}
