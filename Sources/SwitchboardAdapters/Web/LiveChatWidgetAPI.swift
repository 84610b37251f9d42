import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle
import SQLKit
import SwitchboardCore

/// The Live Chat widget: `/live_chat.v1.0.0.js?channelNumber=LC00000` and its API under
/// `/api/livechat/` (every call names `channelNumber`). The server admits a call only when its
/// `Origin` matches the channel's website domain (`WebsiteOrigin`), and answers CORS for that
/// origin alone. Visitors' messages go through `InboundService` like any provider's; what the
/// session sends them (agent replies, auto-responses, the closed message) is delivered by the
/// `livechat` provider and read back here by a long poll woken by the event log.
///
/// - `GET config` — widget settings and the greeting (online/offline);
/// - `POST start` `{name, email, phone, consent}` — registers the visitor, answers `token`;
/// - `POST send` `{text, file}` — a visitor message (opens the session; at most 20 open per channel);
/// - `POST upload?name=` — an image (png/jpg/jpeg ≤ 10 MB, channels allowing images);
/// - `GET messages?after=<msg_id>` — the visitor's messages after an id, waiting up to 20 s for new ones;
/// - `POST end` — the visitor ends the chat (system message `msg_type` 7, session closed).
/// Visitor calls carry `X-Visitor-Token`. Agents cannot start a Live Chat session (`SessionStart`).
struct LiveChatWidgetAPI: Sendable {
    let database: Database
    let clock: any WallClock
    let inbound: InboundService
    let files: FileStore
    let hub: EventHub
    let nudge: @Sendable () -> Void
    let web: WebResources
    /// How long `messages` waits for something new.
    var pollWait: Duration = .seconds(20)
    /// Opening sessions one at a time per channel (the 20-session limit).
    let admissions = KeyedSerializer()

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("live_chat.v1.0.0.js") { request, _ in web.assetResponse("live_chat.js", request: request) }
        let paths = ["config", "start", "send", "upload", "messages", "end"]
        for path in paths {
            router.on(RouterPath(stringLiteral: "api/livechat/" + path), method: .options) { request, _ in
                try await guarded(request) { _ in
                    var response = Response(status: .noContent)
                    response.headers[HTTPField.Name("Access-Control-Allow-Methods")!] = "GET, POST"
                    response.headers[HTTPField.Name("Access-Control-Allow-Headers")!] = "Content-Type, X-Visitor-Token"
                    response.headers[HTTPField.Name("Access-Control-Max-Age")!] = "600"
                    return response
                }
            }
        }
        router.get("api/livechat/config") { request, context in try await guarded(request) { try await config($0).response(from: request, context: context) } }
        router.post("api/livechat/start") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            return try await guarded(request) { try await start($0, body).response(from: request, context: context) }
        }
        router.post("api/livechat/send") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            return try await guarded(request) { try await send($0, request, body).response(from: request, context: context) }
        }
        router.post("api/livechat/upload") { request, context in
            var request = request
            let bytes = try await request.collectBody(upTo: LiveChatLimits.maxImageBytes + 1)
            return try await guarded(request) { try await upload($0, request, Array(bytes.readableBytesView)).response(from: request, context: context) }
        }
        router.get("api/livechat/messages") { request, context in
            try await guarded(request) { try await messages($0, request).response(from: request, context: context) }
        }
        router.post("api/livechat/end") { request, context in
            try await guarded(request) { try await end($0, request).response(from: request, context: context) }
        }
    }

    /// Runs `body` for the request's channel when its `Origin` is the channel's website (adding
    /// the CORS headers); otherwise answers 403 without them. Errors become `errcode` JSON.
    private func guarded(_ request: Request, _ body: (LiveChatSite) async throws -> Response) async throws -> Response {
        let number = request.queryDictionary["channelNumber"] ?? ""
        guard let site = try await database.run({ db in try await LiveChatSite.load(db, channelNumber: number) }) else {
            return WebhookController.plain(.notFound, "unknown live chat channel")
        }
        let origin = request.headers[.origin]
        guard WebsiteOrigin.allows(origin: origin, websiteDomain: site.websiteDomain) else {
            return WebhookController.plain(.forbidden, "this website may not use the live chat channel")
        }
        var response: Response
        do {
            response = try await body(site)
        } catch let error as APIError {
            var buffer = ByteBuffer()
            buffer.writeString(error.json.serialized())
            response = Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: buffer))
        }
        response.headers[.accessControlAllowOrigin] = origin!
        response.headers[.vary] = "Origin"
        return response
    }

    func config(_ site: LiveChatSite) async throws -> JSONResponse {
        let now = clock.now()
        let greeting = try await database.run { db in try await site.greeting(db, now: now) }
        return .success([
            "name": .string(site.name), "theme_color": .string(site.text("theme_color")), "theme_mode": .string(site.text("theme_mode")),
            "message_type": .int(site.messageType), "greeting": .string(site.text(greeting == .online ? "online_greeting_msg" : "offline_greeting_msg")),
            "online": .bool(greeting == .online), "pre_chat_form": .bool(site.flag("enable_pre_chat_form")),
            "pre_chat_form_title": .string(site.text("pre_chat_form_title")), "pre_chat_form_subtitle": .string(site.text("pre_chat_form_subtitle")),
            "pre_chat_fields": .array(site.preChatFields.map(JSONValue.string)),
            "data_privacy": .bool(site.flag("enable_data_privacy")), "privacy_consent_text": .string(site.text("privacy_consent_text")),
            "require_explicit_consent": .bool(site.flag("require_explicit_consent")),
        ])
    }

    func start(_ site: LiveChatSite, _ body: JSONObject) async throws -> JSONResponse {
        var reader = FieldReader(body)
        let form = site.flag("enable_pre_chat_form")
        let fields = form ? site.preChatFields : []
        let name = reader.string("name", required: fields.contains("name"), maxLength: 127, allowEmpty: !fields.contains("name")) ?? ""
        let email = reader.string("email", required: fields.contains("email"), maxLength: 255, allowEmpty: !fields.contains("email")) ?? ""
        if !email.isEmpty && !ExtensionFields.looksLikeEmail(email) { reader.fail("email", "invalid_format") }
        let phone = reader.string("phone", required: fields.contains("phone"), maxLength: 64, allowEmpty: !fields.contains("phone")) ?? ""
        let consent = reader.flag("consent") ?? false
        if site.flag("enable_data_privacy") && site.flag("require_explicit_consent") && !consent { reader.fail("consent", "required") }
        try reader.finish()
        let now = clock.now()
        let registered = try await database.run { db in
            try await LiveChatVisitor.register(db, site: site, name: name.trimmingSpaces, email: email, phone: phone, now: now)
        }
        return .success(["token": .string(registered.token), "visitor": .string(registered.visitor.id)])
    }

    func send(_ site: LiveChatSite, _ request: Request, _ body: JSONObject) async throws -> JSONResponse {
        var reader = FieldReader(body)
        let text = reader.string("text", maxLength: 4096) ?? ""
        var media: [MediaReference] = []
        if let object = body["file"]?.objectValue, let uri = object["uri"]?.stringValue {
            var size: Int64?
            if case .int(let value)? = object["size"] { size = value }
            media.append(MediaReference(url: uri, contentType: object["type"]?.stringValue, size: size))
        }
        if text.trimmingSpaces.isEmpty && media.isEmpty { reader.fail("text", "required") }
        try reader.finish()
        let now = clock.now()
        let (visitor, opensSession) = try await database.run { db -> (LiveChatVisitor, Bool) in
            guard let visitor = try await LiveChatVisitor.find(db, request: request, site: site) else { throw APIError.tokenExpired }
            return (visitor, try await visitor.openSession(db, site: site) == nil)
        }
        let account = ChannelAccount(channelID: site.channelID, provider: "livechat", type: ChannelType.livechat.rawValue, credentials: [:])
        let message = InboundMessage(
            providerMessageID: "lcv-" + UUID().uuidString.lowercased(), from: visitor.id, to: site.channelNumber, text: text,
            media: media, receivedAt: now, senderName: visitor.name)
        let store: @Sendable () async throws -> Int64? = { [database, inbound] in
            if opensSession {
                // Counted and opened under the channel's admission lock: no two visitors take the last place.
                let open = try await database.run { db in
                    try await db.raw("""
                        SELECT CAST(COUNT(*) AS BIGINT) AS n FROM sessions WHERE channel_id = \(bind: site.channelID) AND closed_at IS NULL
                        """).first()?.decode(column: "n", as: Int64.self) ?? 0
                }
                guard LiveChatLimits.admitsNewSession(active: Int(open)) else {
                    throw APIError(.maxLimitationExceeded, detail: LiveChatLimits.busyMessage)
                }
            }
            return try await inbound.store([message], account: account).first
        }
        let stored = opensSession ? try await admissions.run(site.channelID, store) : try await store()
        guard let messageID = stored else { throw APIError(.failure) }
        try await autoRespond(site, visitor: visitor, now: now)
        nudge()
        return .success(["msg_id": .int(messageID)])
    }

    /// The channel's auto-response, once, after the first message of a session.
    private func autoRespond(_ site: LiveChatSite, visitor: LiveChatVisitor, now: Int64) async throws {
        let reply = site.text("first_msg_auto_reply")
        guard !reply.isEmpty else { return }
        try await database.transaction { db in
            guard let session = try await visitor.openSession(db, site: site) else { return }
            let counts = try await db.raw("""
                SELECT CAST(SUM(CASE WHEN direction = 'in' THEN 1 ELSE 0 END) AS BIGINT) AS n,
                  CAST(SUM(CASE WHEN direction = 'out' AND sender_type = 0 AND body = \(bind: reply) THEN 1 ELSE 0 END) AS BIGINT) AS sent
                FROM messages WHERE session_id = \(bind: session)
                """).first()
            guard try counts?.decode(column: "n", as: Int64?.self) == 1, try counts?.decode(column: "sent", as: Int64?.self) ?? 0 == 0 else { return }
            try await OutboundService.queue(
                db, channelID: site.channelID, sessionID: session, recipient: visitor.id,
                sender: OutboundService.Sender(type: 0, number: "", name: "PBX System"), content: .init(text: reply), now: now)
        }
    }

    func upload(_ site: LiveChatSite, _ request: Request, _ bytes: [UInt8]) async throws -> JSONResponse {
        var reader = request.queryReader
        let name = reader.requiredText("name", maxLength: 255)
        try reader.finish()
        guard try await database.run({ db in try await LiveChatVisitor.find(db, request: request, site: site) }) != nil else { throw APIError.tokenExpired }
        guard LiveChatLimits.acceptsImage(fileName: name!, size: bytes.count, messageType: site.messageType) else {
            throw APIError.invalid("file", "invalid_value", detail: "only png, jpg or jpeg images up to 10 MB")
        }
        let ext = name!.split(separator: ".").last.map { $0.lowercased() } ?? ""
        let stored = try await files.save(bytes, name: name!, contentType: ext == "png" ? "image/png" : "image/jpeg")
        return .success(["file": stored.json])
    }

    func messages(_ site: LiveChatSite, _ request: Request) async throws -> JSONResponse {
        var reader = request.queryReader
        let after = reader.int("after", range: 0...Int64.max) ?? 0
        let wait = reader.flag("wait") ?? true
        try reader.finish()
        guard let visitor = try await database.run({ db in try await LiveChatVisitor.find(db, request: request, site: site) }) else {
            throw APIError.tokenExpired
        }
        let start = hub.cursor
        var answer = try await read(site, visitor: visitor, after: after)
        if answer.items.isEmpty && wait {
            try await waitForEvent(after: start, sessions: answer.sessions)
            answer = try await read(site, visitor: visitor, after: after)
        }
        return .success(["list": .array(answer.items), "open": .bool(answer.open)])
    }

    /// What the visitor sees after `after`: their messages, what was delivered to them, and the
    /// closing system messages, oldest first.
    private func read(_ site: LiveChatSite, visitor: LiveChatVisitor, after: Int64) async throws -> (items: [JSONValue], open: Bool, sessions: Set<Int64>) {
        try await database.run { db in
            let sessions = try await db.raw("""
                SELECT id, closed_at FROM sessions WHERE channel_id = \(bind: site.channelID) AND customer = \(bind: visitor.id)
                """).all()
            let ids = Set(try sessions.map { try $0.decode(column: "id", as: Int64.self) })
            let open = try sessions.contains { try $0.decode(column: "closed_at", as: Int64?.self) == nil }
            let rows = try await db.raw("""
                SELECT m.id, m.direction, m.sender_type, m.sender_name, m.msg_type, m.body, m.files, m.created_at FROM messages m
                JOIN sessions s ON s.id = m.session_id
                WHERE s.channel_id = \(bind: site.channelID) AND s.customer = \(bind: visitor.id) AND m.id > \(bind: after)
                  AND (m.direction = 'in' OR (m.direction = 'out' AND m.delivery_status = 1) OR (m.direction = 'sys' AND m.msg_type IN (2, 3, 7)))
                ORDER BY m.id LIMIT 200
                """).all()
            let items = try rows.map { row -> JSONValue in
                let direction = try row.decode(column: "direction", as: String.self)
                return [
                    "msg_id": .int(try row.decode(column: "id", as: Int64.self)),
                    "from": .string(direction == "in" ? "visitor" : direction == "sys" ? "system" : "agent"),
                    "name": .string(direction == "out" ? try row.decode(column: "sender_name", as: String.self) : ""),
                    "msg_type": .int(try row.decode(column: "msg_type", as: Int64.self)),
                    "text": .string(try row.decode(column: "body", as: String.self)),
                    "files": .string(try row.decode(column: "files", as: String.self)),
                    "time": .int(try row.decode(column: "created_at", as: Int64.self)),
                ]
            }
            return (items, open, ids)
        }
    }

    /// Waits until the event log has an event of one of `sessions` (or of a session not known
    /// yet, when there is none) after `start`, or `pollWait` passes.
    private func waitForEvent(after start: Int64, sessions: Set<Int64>) async throws {
        let feed = hub.subscribe(after: start)
        let wait = pollWait
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for try await event in feed {
                        guard let id = event.sessionID else { continue }
                        if sessions.isEmpty || sessions.contains(id) { return }
                    }
                } catch {}
            }
            group.addTask { try? await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) } }
            await group.next()
            group.cancelAll()
        }
    }

    func end(_ site: LiveChatSite, _ request: Request) async throws -> JSONResponse {
        let now = clock.now()
        try await database.transactionRetryingConflicts { db in
            guard let visitor = try await LiveChatVisitor.find(db, request: request, site: site) else { throw APIError.tokenExpired }
            guard let id = try await visitor.openSession(db, site: site) else { return }
            let record = try await SessionStore.load(db, id: id)
            try await SessionActions.close(db, record, .closedByVisitor, by: visitor.acting, strict: false, now: now)
        }
        nudge()
        return .success()
    }
}
