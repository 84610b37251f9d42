import Foundation
import HTTPTypes
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// The Email page's endpoints (`/portal/api/email/get|update|test`) and the Live Chat embed code
/// sent by email (`message_channel/embedcode?email=`), against a real SMTP server on loopback.
@Suite("Email: portal settings and the embed code by email")
struct EmailPortalTests {
    typealias Bridge = WebPortalBridgeTests

    static let password = "Sup3r-s3cret-smtp"

    static func settings(port: Int, security: String = "none", password: String? = Self.password) -> JSONValue {
        var object: JSONObject = [
            "host": "127.0.0.1", "port": .integer(port), "security": .string(security), "username": "hub@example.com",
            "sender_address": "hub@example.com", "sender_name": "Switchboard Hub",
        ]
        if let password { object["password"] = .string(password) }
        return .object(object)
    }

    static var smtpOptions: FakeSMTPServer.Options {
        var options = FakeSMTPServer.Options()
        options.users = ["hub@example.com": password]
        options.requireAuth = true
        return options
    }

    @Test(arguments: TestEngines.available)
    func settingsAreValidatedMaskedAndSealedAtRest(engine: DatabaseEngine) async throws {
        try await TestHub.with(engine) { hub in
            try await hub.withClient { api in
                let admin = try await Bridge.signIn(api)
                func call(_ method: HTTPRequest.Method, _ path: String, _ body: JSONValue? = nil) async throws -> OpenAPIClient.Answer {
                    try await Bridge.bridge(api, method, path, body, cookie: admin.cookie, csrf: admin.csrf)
                }
                let before = try await call(.get, "email/get")
                #expect(before.errcode == 0 && before.json["data"]?["configured"] == 0, "\(before.text)")

                let bad = try await call(.post, "email/update", [
                    "host": "smtp example", "port": 0, "security": "tls", "username": "u", "sender_address": "not-an-address",
                ])
                #expect(bad.errcode == 40002 && bad.errmsg == "PARAMETER ERROR", "\(bad.text)")
                #expect(Set(bad.invalidFields) == ["host", "port", "security", "password", "sender_address"])
                #expect(try await call(.get, "email/get").json["data"]?["configured"] == 0, "a refused update stored nothing")
                // Without the admin cookie nothing is read or written.
                let anonymous = try await Bridge.bridge(api, .get, "email/get", cookie: nil, csrf: admin.csrf)
                #expect(anonymous.errcode == 10004)

                let saved = try await call(.post, "email/update", Self.settings(port: 2525))
                #expect(saved.errcode == 0, "\(saved.text)")
                let got = try await call(.get, "email/get")
                let data = try #require(got.json["data"])
                #expect(data["configured"] == 1 && data["host"] == "127.0.0.1" && data["port"] == 2525 && data["security"] == "none")
                #expect(data["username"] == "hub@example.com" && data["sender_address"] == "hub@example.com" && data["sender_name"] == "Switchboard Hub")
                #expect(data["password"] == "********")
                #expect(!got.text.contains(Self.password) && !saved.text.contains(Self.password))

                let raw = try await hub.hub.database.run { db in
                    try await db.raw("SELECT password FROM email_settings").first()?.decode(column: "password", as: String.self)
                }
                let sealed = try #require(raw)
                #expect(sealed.hasPrefix("v1:") && !sealed.contains(Self.password) && !sealed.contains(Formats.encodeBase64(Array(Self.password.utf8))))
                #expect(try hub.hub.secrets.open(sealed) == Self.password)

                // Saving again without a password keeps the stored one; the page never shows it.
                #expect(try await call(.post, "email/update", Self.settings(port: 2526, password: nil)).errcode == 0)
                #expect(try await hub.hub.email.settings()?.password == Self.password)
                #expect(try await hub.hub.email.settings()?.port == 2526)
                let page = try await api.call(.get, "/portal/email", headers: [.cookie: admin.cookie])
                #expect(page.text.contains("id=\"smtp-form\"") && page.text.contains("value=\"127.0.0.1\""), "the form shows the saved settings")
                #expect(!page.text.contains(Self.password))
            }
        }
    }

    @Test(arguments: TestEngines.available)
    func theTestEmailArrivesOrTheServersReplyIsShown(engine: DatabaseEngine) async throws {
        try await EmailSMTPClientTests.withServer(Self.smtpOptions) { smtp in
            try await TestHub.with(engine) { hub in
                try await hub.withClient { api in
                    let admin = try await Bridge.signIn(api)
                    func call(_ method: HTTPRequest.Method, _ path: String, _ body: JSONValue? = nil) async throws -> OpenAPIClient.Answer {
                        try await Bridge.bridge(api, method, path, body, cookie: admin.cookie, csrf: admin.csrf)
                    }
                    let unconfigured = try await call(.post, "email/test", ["to": "admin@example.org"])
                    #expect(unconfigured.errcode == -1 && unconfigured.json["errdetail"]?.stringValue == EmailService.notConfigured, "\(unconfigured.text)")

                    #expect(try await call(.post, "email/update", Self.settings(port: smtp.port)).errcode == 0)
                    let missing = try await call(.post, "email/test", [:])
                    #expect(missing.errcode == 40002 && missing.invalidFields == ["to"])
                    let invalid = try await call(.post, "email/test", ["to": "admin@example.org>\r\nRCPT TO:<x@example.org"])
                    #expect(invalid.errcode == 40002 && invalid.invalidFields == ["to"])

                    let sent = try await call(.post, "email/test", ["to": "admin@example.org"])
                    #expect(sent.errcode == 0, "\(sent.text)")
                    let message = try #require(smtp.received.first)
                    #expect(message.recipients == ["admin@example.org"] && message.user == "hub@example.com")
                    #expect(message.mime.header("from") == "\"Switchboard Hub\" <hub@example.com>")
                    #expect(message.mime.header("subject") == "Switchboard test email")

                    #expect(try await call(.post, "email/update", Self.settings(port: smtp.port, password: "wrong")).errcode == 0)
                    let refused = try await call(.post, "email/test", ["to": "admin@example.org"])
                    #expect(refused.errcode == -1 && refused.errmsg == "FAILURE")
                    #expect(refused.json["errdetail"]?.stringValue == "AUTH PLAIN: 535 5.7.8 Authentication failed", "\(refused.text)")
                    #expect(smtp.received.count == 1)
                }
            }
        }
    }

    @Test(arguments: TestEngines.available)
    func theEmbedCodeIsEmailedToTheWebsiteAdmin(engine: DatabaseEngine) async throws {
        try await EmailSMTPClientTests.withServer(Self.smtpOptions) { smtp in
            try await ChannelFixture.run(engine) { _, api, token in
                let created = try await api.post("message_channel/createlivechat", token: token, ChannelLiveChatTests.body)
                let id = String(try #require(created.int("id")))
                let unconfigured = try await api.get("message_channel/embedcode", token: token, ["id": id, "email": "web@example.org"])
                #expect(unconfigured.errcode == -1 && unconfigured.json["errdetail"]?.stringValue == EmailService.notConfigured, "\(unconfigured.text)")

                let admin = try await Bridge.signIn(api)
                #expect(try await Bridge.bridge(api, .post, "email/update", Self.settings(port: smtp.port), cookie: admin.cookie, csrf: admin.csrf).errcode == 0)
                let bad = try await api.get("message_channel/embedcode", token: token, ["id": id, "email": "web.example.org"])
                #expect(bad.errcode == 40002 && bad.invalidFields == ["email"])
                #expect(smtp.received.isEmpty)

                // The portal's "Send" goes through the bridge to the same handler.
                let answer = try await Bridge.bridge(api, .get, "message_channel/embedcode", query: ["id": id, "email": "web@example.org"], cookie: admin.cookie, csrf: admin.csrf)
                #expect(answer.errcode == 0, "\(answer.text)")
                let script = "<script src=\"https://hub.example.test/live_chat.v1.0.0.js?channelNumber=LC00000\"></script>"
                #expect(answer.json["embed_code"]?.stringValue == script)
                let message = try #require(smtp.received.first)
                #expect(message.recipients == ["web@example.org"])
                #expect(message.mime.header("subject") == "Request to Add Live Chat to Website")
                let text = try #require(message.mime.body())
                #expect(text.contains(script) && text.contains("Website Domain: www.example.com") && text.contains("before the closing </body> tag"))
                #expect(message.mime.body("text/html")?.contains("channelNumber=LC00000") == true)

                // Without `email` nothing is sent.
                #expect(try await api.get("message_channel/embedcode", token: token, ["id": id]).errcode == 0)
                #expect(smtp.received.count == 1)
            }
        }
    }

    @Test(arguments: TestEngines.available)
    func startTLSWithTheConfiguredCertificateAuthority(engine: DatabaseEngine) async throws {
        let certificate = try TestCertificate.make()
        var options = FakeSMTPServer.Options()
        options.startTLS = true
        options.certificate = certificate
        try await EmailSMTPClientTests.withServer(options) { smtp in
            let caFile = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-ca-\(UUID().uuidString).pem").path
            try certificate.writeCA(to: caFile)
            defer { try? FileManager.default.removeItem(atPath: caFile) }
            try await TestHub.with(engine, configure: { $0.smtpCAFile = caFile }) { hub in
                try await hub.hub.email.save(EmailSettings(host: "localhost", port: Int64(smtp.port), security: .starttls, senderAddress: "hub@example.com"))
                try await hub.hub.email.send { MailMessage.testEmail(from: $0, to: "admin@example.org") }
                #expect(smtp.received.first?.secure == true)
            }
        }
    }
}
