import Foundation
import Hummingbird
import SQLKit
import SwitchboardCore

/// Agent sign-in for the web inbox: extension number + password (checked against
/// `extensions.password_hash`) buys a random session token in a `Secure; HttpOnly; SameSite=Strict`
/// cookie; only its SHA-256 is stored. Failed attempts count against the caller's IP like `get_token`'s.
struct InboxAuth: Sendable {
    static let cookieName = "sb_inbox"
    /// How long a sign-in lasts (seconds).
    static let lifetime: Int64 = 12 * 3600

    let database: Database
    let clock: any WallClock
    let throttle = LoginThrottle()

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("login") { request, context in
            var request = request
            return try await login(try await request.jsonObject(context: context), ip: context.peerIP)
                .response(from: request, context: context)
        }
        group.post("logout") { request, context in
            if let token = Self.cookie(in: request) {
                let hash = RandomToken.sha256Hex(token)
                try await database.run { db in try await db.raw("DELETE FROM inbox_sessions WHERE token_hash = \(bind: hash)").run() }
            }
            var response = try JSONResponse.success().response(from: request, context: context)
            response.headers[.setCookie] = Self.setCookie("", maxAge: 0)
            return response
        }
    }

    /// A success answer carrying the new cookie, or `-1 FAILURE` / `70004 ACCOUNT IP BLOCKED`.
    func login(_ body: JSONObject, ip: String) async throws -> InboxLoginAnswer {
        var reader = FieldReader(body)
        let number = reader.requiredText("extension", maxLength: 64)
        let password = reader.requiredText("password", maxLength: 256)
        try reader.finish()
        let now = clock.now(), key = "inbox:" + ip
        let record = try await failures(key)
        if throttle.isBlocked(record, now: now) { throw APIError(.accountIPBlocked) }
        let row = try await database.run { db in
            try await db.raw("SELECT id, password_hash FROM extensions WHERE number = \(bind: number!)").first()
        }
        let hash = try row?.decode(column: "password_hash", as: String.self) ?? ""
        guard let row, !hash.isEmpty, PasswordHasher.verify(password!, against: hash) else {
            let next = throttle.recordingFailure(record, now: now)
            try await saveFailures(key, next)
            if throttle.isBlocked(next, now: now) { throw APIError(.accountIPBlocked) }
            throw APIError(.failure, invalidParams: [ParamIssue(field: "extension or password", value: "error")])
        }
        let extensionID = try row.decode(column: "id", as: Int64.self)
        let token = RandomToken.alphanumeric(43)
        try await database.transaction { db in
            try await db.raw("DELETE FROM login_failures WHERE ip = \(bind: key)").run()
            try await db.raw("DELETE FROM inbox_sessions WHERE expires_at <= \(bind: now)").run()
            try await db.raw("""
                INSERT INTO inbox_sessions (token_hash, extension_id, created_at, expires_at)
                VALUES (\(bind: RandomToken.sha256Hex(token)), \(bind: extensionID), \(bind: now), \(bind: now + Self.lifetime))
                """).run()
        }
        return InboxLoginAnswer(
            body: .success(["extension_id": .int(extensionID), "extension": .string(number!), "expire_time": .int(Self.lifetime)]),
            cookie: Self.setCookie(token, maxAge: Self.lifetime))
    }

    /// The agent a request's cookie signs in, or nil.
    func agent(for request: Request) async throws -> InboxAgent? {
        guard let token = Self.cookie(in: request) else { return nil }
        let hash = RandomToken.sha256Hex(token), now = clock.now()
        guard let row = try await database.run({ db in
            try await db.raw("""
                SELECT e.id, e.number FROM inbox_sessions i JOIN extensions e ON e.id = i.extension_id
                WHERE i.token_hash = \(bind: hash) AND i.expires_at > \(bind: now)
                """).first()
        }) else { return nil }
        return InboxAgent(extensionID: try row.decode(column: "id", as: Int64.self), number: try row.decode(column: "number", as: String.self))
    }

    static func setCookie(_ value: String, maxAge: Int64) -> String {
        WebCookies.set(cookieName, value, maxAge: maxAge)
    }

    /// The value of our cookie in the `Cookie` header(s).
    static func cookie(in request: Request) -> String? {
        WebCookies.value(cookieName, in: request)
    }

    func failures(_ key: String) async throws -> LoginThrottle.Record? {
        try await database.run { db in
            try await db.raw("SELECT failures, blocked_until FROM login_failures WHERE ip = \(bind: key)").first().map {
                LoginThrottle.Record(failures: try $0.decode(column: "failures", as: Int.self), blockedUntil: try $0.decode(column: "blocked_until", as: Int64.self))
            }
        }
    }

    func saveFailures(_ key: String, _ record: LoginThrottle.Record) async throws {
        try await database.run { db in
            try await db.raw("""
                INSERT INTO login_failures (ip, failures, blocked_until) VALUES (\(bind: key), \(bind: record.failures), \(bind: record.blockedUntil))
                ON CONFLICT (ip) DO UPDATE SET failures = excluded.failures, blocked_until = excluded.blocked_until
                """).run()
        }
    }
}

/// The answer to a successful sign-in: the JSON body and the `Set-Cookie` value.
struct InboxLoginAnswer: Sendable {
    var body: JSONResponse
    var cookie: String

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try body.response(from: request, context: context)
        response.headers[.setCookie] = cookie
        return response
    }
}

/// Lets the session and message handlers run for a signed-in agent: no valid cookie is `10004
/// TOKEN EXPIRED`; otherwise `InboxAgent.current` is the agent for the rest of the request.
struct InboxAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let auth: InboxAuth

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let agent = try await auth.agent(for: request) else { throw APIError.tokenExpired }
        var context = context
        context.logger[metadataKey: "extension"] = .string(agent.number)
        return try await InboxAgent.$current.withValue(agent) { try await next(request, context) }
    }
}

