import Foundation
import HTTPTypes
import Hummingbird
import SQLKit
import SwitchboardCore

/// Admin sign-in for the portal: the admin password (the `admin_password_hash` setting) buys a
/// random session token in a `Secure; HttpOnly; SameSite=Strict` cookie (`sb_admin`); only its
/// SHA-256 is stored, with the session's CSRF token that every state-changing form must echo.
/// Failed attempts count against the caller's IP like the inbox's.
struct AdminSessions: Sendable {
    static let cookieName = "sb_admin"
    /// The pre-sign-in CSRF cookie of the sign-in form (double submit).
    static let loginCookieName = "sb_login"
    static let lifetime: Int64 = 8 * 3600

    let database: Database
    let clock: any WallClock
    let credentials: CredentialStore
    let inbox: InboxAuth

    /// A signed-in admin: the CSRF token their forms carry.
    struct Admin: Sendable {
        var csrf: String
    }

    enum SignIn: Sendable {
        case signedIn(cookie: String)
        case refused(String)
    }

    func signIn(password: String, ip: String) async throws -> SignIn {
        let now = clock.now(), key = "admin:" + ip
        let record = try await inbox.failures(key)
        if inbox.throttle.isBlocked(record, now: now) { return .refused("Too many failed attempts. Try again in a few minutes.") }
        guard try await credentials.verifyAdminPassword(password) else {
            try await inbox.saveFailures(key, inbox.throttle.recordingFailure(record, now: now))
            return .refused("The password is incorrect.")
        }
        let token = RandomToken.alphanumeric(43)
        try await database.transaction { db in
            try await db.raw("DELETE FROM login_failures WHERE ip = \(bind: key)").run()
            try await db.raw("DELETE FROM admin_sessions WHERE expires_at <= \(bind: now)").run()
            try await db.raw("""
                INSERT INTO admin_sessions (token_hash, csrf, created_at, expires_at)
                VALUES (\(bind: RandomToken.sha256Hex(token)), \(bind: RandomToken.alphanumeric(32)), \(bind: now), \(bind: now + Self.lifetime))
                """).run()
        }
        return .signedIn(cookie: WebCookies.set(Self.cookieName, token, maxAge: Self.lifetime))
    }

    func admin(for request: Request) async throws -> Admin? {
        guard let token = WebCookies.value(Self.cookieName, in: request) else { return nil }
        let hash = RandomToken.sha256Hex(token), now = clock.now()
        return try await database.run { db in
            try await db.raw("SELECT csrf FROM admin_sessions WHERE token_hash = \(bind: hash) AND expires_at > \(bind: now)").first()
                .map { Admin(csrf: try $0.decode(column: "csrf", as: String.self)) }
        }
    }

    func signOut(_ request: Request) async throws {
        guard let token = WebCookies.value(Self.cookieName, in: request) else { return }
        let hash = RandomToken.sha256Hex(token)
        try await database.run { db in try await db.raw("DELETE FROM admin_sessions WHERE token_hash = \(bind: hash)").run() }
    }
}

/// Cookie and form helpers of the server-rendered pages.
enum WebCookies {
    /// A `Secure; HttpOnly; SameSite=Strict` cookie for the whole site.
    static func set(_ name: String, _ value: String, maxAge: Int64) -> String {
        "\(name)=\(value); Path=/; Max-Age=\(maxAge); Secure; HttpOnly; SameSite=Strict"
    }

    static func value(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces }
                if pair.count == 2, pair[0] == name, !pair[1].isEmpty { return pair[1] }
            }
        }
        return nil
    }

    /// An `application/x-www-form-urlencoded` body as a dictionary (at most 64 KiB).
    static func form(_ request: inout Request) async throws -> [String: String] {
        let buffer = try await request.collectBody(upTo: 64 << 10)
        var result: [String: String] = [:]
        for pair in String(buffer: buffer).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if let key = parts.first { result[key] = parts.count > 1 ? parts[1] : "" }
        }
        return result
    }

    /// Constant-time comparison of two tokens.
    static func same(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b, !a.isEmpty, a.utf8.count == b.utf8.count else { return false }
        return zip(a.utf8, b.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }
}
