import Foundation
import HTTPTypes
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// A live hub (real port, dispatcher running) with agent 1001 (password set), a General SMS
/// channel on `FakeGeneralProvider` routing to a Manual Pickup queue of 1001, and helpers for
/// the browser tests. The hub's public URL is its own loopback address.
struct BrowserFixture: Sendable {
    static let password = "agent-pass-1"
    static let did = "+15550001111"
    static let customer = "+15557654321"
    static let secret = "browserSecret123"

    let hub: TestHub
    let server: LiveServer
    let token: String
    let fake: FakeGeneralProvider
    let extensionID: Int64
    let webhookPath: String

    var api: OpenAPIClient { server.api }
    var base: String { "http://127.0.0.1:\(server.port)" }

    static func with(_ body: @escaping @Sendable (BrowserFixture) async throws -> Void) async throws {
        let fake = try await FakeGeneralProvider.start()
        defer { Task { await fake.stop() } }
        try await TestHub.with(.sqlite) { hub in
            try await hub.withLiveServer { server in
                let api = server.api
                let token = try await api.token()
                let ext = try await api.post("extension/create", token: token, [
                    "number": "1001", "first_name": "Leo", "last_name": "Ball", "user_password": .string(password),
                ])
                let extensionID = try #require(ext.int("id"), "\(ext.text)")
                let queue = try await api.post("message_queue/create", token: token, [
                    "name": "Support", "assignment_mode": "manual", "members": [["extension_id": .int(extensionID)]],
                ])
                let queueID = try #require(queue.int("id"), "\(queue.text)")
                let created = try await api.post("message_channel/create", token: token, [
                    "name": "General SMS Channel", "webhook_url_type": "nat", "channel": "general", "send_rate": 50,
                    "account_data": [
                        ["k": "api_key", "v": .string(Formats.encodeBase64(Array(fake.apiKey.utf8)))],
                        ["k": "api_send_url", "v": .string(fake.sendURL)],
                        ["k": "api_secret", "v": .string(Formats.encodeBase64(Array(secret.utf8)))],
                    ],
                    "dids": [["did_number": .string(did), "destination_type": "queue", "destination_id": .string(String(queueID)),
                              "members": [["type": "extension", "value": .string(String(extensionID))]]]],
                ])
                let channelID = try #require(created.int("id"), "\(created.text)")
                let detail = try await api.get("message_channel/get", token: token, ["id": String(channelID)])
                let webhookURL = try #require(detail.json["data"]?["webhook_url"]?.stringValue)
                try await body(BrowserFixture(
                    hub: hub, server: server, token: token, fake: fake, extensionID: extensionID,
                    webhookPath: String(webhookURL.dropFirst("https://hub.example.test".count))))
            }
        }
    }

    /// A customer's SMS through the provider's signed webhook.
    func inbound(_ text: String, from customer: String = Self.customer, mediaURL: String? = nil) async throws {
        let body = FakeGeneralProvider.inboundBody(id: UUID().uuidString, from: customer, to: Self.did, text: text, mediaURL: mediaURL)
        let answer = try await api.call(.post, webhookPath, body: body, headers: [
            .contentType: "application/json", HTTPField.Name("X-Signature-256")!: FakeGeneralProvider.signature(secret: Self.secret, body: body),
        ])
        #expect(answer.status == .noContent, "\(answer.text)")
    }

    func scalar(_ sql: SQLQueryString) async throws -> Int64 {
        try await hub.hub.database.run { db in try await db.raw(sql).first()?.decode(column: "n", as: Int64.self) ?? -1 }
    }

    /// Signs agent 1001 in to the inbox in `browser` and waits for the live connection.
    func signInAgent(_ browser: Browser) async throws {
        try await browser.open(base + "/inbox")
        try await browser.type("#ext", "1001")
        try await browser.type("#pw", Self.password)
        try await browser.click("#signin")
        try await browser.waitForText("Live", in: "#conn")
    }

    /// Fills the five body variables of seed 002's `discount_campaign` template (fields
    /// `<prefix>-var-BODY-n` in `variables`) and waits for the preview to show them.
    static func fillSeedTemplate(_ browser: Browser, variables: String, prefix: String, preview: String) async throws {
        try await browser.waitUntil("five body variables") {
            try await browser.run("return document.querySelectorAll(arguments[0] + ' [data-part=BODY]').length;", [.string(variables)]) == .int(5)
        }
        for (index, value) in ["VIP", "discount", "20% off", "July 31", "SmartMal"].enumerated() {
            try await browser.type("#\(prefix)-var-BODY-\(index)", value)
        }
        try await browser.waitForText("As a valued VIP member", in: preview)
    }

    /// Signs the admin in to the portal at `base` and waits for the first page.
    static func signInAdmin(_ browser: some BrowserSession, base: String) async throws {
        try await browser.open(base + "/")
        try await browser.type("#password", TestHub.adminPassword + Browser.Key.enter)
        try await browser.waitForText("Channels", in: "main h1")
    }

    /// Runs `body` with a Chromium at `size` (saving downloads into `downloads`), always quitting it.
    static func withBrowser<T: Sendable>(
        _ size: Browser.Size = .desktop, downloads: String? = nil, _ body: (Browser) async throws -> T
    ) async throws -> T {
        try await using(try await Browser.launch(size: size, downloads: downloads), body)
    }

    /// Runs `body` with a browser of `kind` at `size`, always quitting it.
    static func with<B: BrowserSession, T: Sendable>(_ kind: B.Type, _ size: Browser.Size = .desktop, _ body: (B) async throws -> T) async throws -> T {
        try await using(try await B.launch(size: size), body)
    }

    private static func using<B: BrowserSession, T: Sendable>(_ browser: B, _ body: (B) async throws -> T) async throws -> T {
        do {
            let result = try await body(browser)
            await browser.quit()
            return result
        } catch {
            await browser.quit()
            throw error
        }
    }

    /// Where the README's screenshots live.
    static func screenshotPath(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/screenshots/\(name).png").path
    }

    /// Fails the test when the page logged errors.
    static func expectNoConsoleErrors(_ browser: some BrowserSession, _ page: String) async throws {
        let errors = try await browser.consoleErrors()
        #expect(errors.isEmpty, "console errors on \(page): \(errors)")
    }
}
