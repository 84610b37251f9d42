import Foundation
import HTTPTypes
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// A hub with one Meta channel (WhatsApp created with seed 000's example body and routed to a
/// message queue, or Facebook routed to an extension) whose Graph API is a local `FakeGraphAPI`.
struct MetaChannelFixture: Sendable {
    static let whatsAppNumber = "+15559871234"
    static let waID = "16315551181"
    static let psid = "6783451234567890"

    let hub: TestHub
    let api: OpenAPIClient
    let token: String
    let fake: FakeGraphAPI
    let channelID: Int64
    let extensionID: Int64
    let queueID: Int64?
    let webhookPath: String
    let verifyToken: String
    /// The customer as sessions store them: `+wa_id` or the PSID.
    let customer: String

    /// A WhatsApp channel: seed 000's "Add a WhatsApp channel" body with the fake's credentials.
    static func whatsApp(
        _ engine: DatabaseEngine, configure: @escaping (inout AppConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (MetaChannelFixture) async throws -> Void
    ) async throws {
        try await with(engine, provider: "whatsapp", configure: configure, body)
    }

    /// A Facebook channel: seed 000's "Add a Facebook channel" body with the fake's page.
    static func messenger(
        _ engine: DatabaseEngine, configure: @escaping (inout AppConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (MetaChannelFixture) async throws -> Void
    ) async throws {
        try await with(engine, provider: "facebook", configure: configure, body)
    }

    private static func with(
        _ engine: DatabaseEngine, provider: String, configure: @escaping (inout AppConfiguration) -> Void,
        _ body: @escaping @Sendable (MetaChannelFixture) async throws -> Void
    ) async throws {
        let fake = try await FakeGraphAPI.start()
        defer { Task { await fake.stop() } }
        try await TestHub.with(engine, configure: {
            $0.providerBaseURLs["whatsapp"] = fake.baseURL
            $0.providerBaseURLs["facebook"] = fake.baseURL
            configure(&$0)
        }) { hub in
            try await hub.withClient { api in
                let token = try await api.token()
                let ext = try await api.post("extension/create", token: token, ["number": "5000", "first_name": "Leo", "last_name": "Ball"])
                let extensionID = try #require(ext.int("id"), "\(ext.text)")
                func base64(_ text: String) -> JSONValue { .string(Formats.encodeBase64(Array(text.utf8))) }
                var queueID: Int64?
                let request: JSONValue
                if provider == "whatsapp" {
                    let queue = try await api.post("message_queue/create", token: token, [
                        "name": "WhatsApp queue", "assignment_mode": "auto", "members": [["extension_id": .int(extensionID)]],
                    ])
                    queueID = try #require(queue.int("id"), "\(queue.text)")
                    request = [
                        "name": "Docs-WhatsApp Channel", "webhook_url_type": "fqdn", "channel": "whatsapp",
                        "account_data": [["k": "access_token", "v": base64(fake.whatsAppToken)], ["k": "app_secret", "v": base64(fake.appSecret)]],
                        "phone_number_id": .string(fake.phoneNumberID), "business_account_id": "MzQ1Njc4Nzg5MA==",
                        "dids": [["did_number": .string(whatsAppNumber), "destination_type": "queue", "destination_id": .string(String(queueID!))]],
                        "auto_close_session": 1, "session_expired_time": 5,
                    ]
                } else {
                    request = [
                        "name": "Docs-Facebook Channel", "webhook_url_type": "fqdn", "channel": "facebook",
                        "account_data": [
                            ["k": "access_token", "v": base64(fake.pageToken)], ["k": "app_secret", "v": base64(fake.appSecret)],
                            ["k": "page_name", "v": "test-facebook-page"],
                        ],
                        "dids": [["did_number": .string(fake.pageID), "destination_type": "extension", "destination_id": .string(String(extensionID))]],
                        "auto_close_session": 1, "session_expired_time": 5,
                    ]
                }
                let created = try await api.post("message_channel/create", token: token, request)
                let channelID = try #require(created.int("id"), "\(created.text)")
                let detail = try await api.get("message_channel/get", token: token, ["id": String(channelID)]).json["data"]
                let webhookURL = try #require(detail?["webhook_url"]?.stringValue)
                let path = "/" + webhookURL.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)[3]
                try await body(MetaChannelFixture(
                    hub: hub, api: api, token: token, fake: fake, channelID: channelID, extensionID: extensionID, queueID: queueID,
                    webhookPath: path, verifyToken: try #require(detail?["verify_token"]?.stringValue),
                    customer: provider == "whatsapp" ? "+" + waID : psid))
            }
        }
    }

    /// POSTs a webhook body signed with `secret` (the app secret by default), or unsigned.
    func deliver(_ body: String, secret: String? = nil, unsigned: Bool = false) async throws -> OpenAPIClient.Answer {
        var headers: HTTPFields = [.contentType: "application/json"]
        if !unsigned {
            headers[HTTPField.Name("X-Hub-Signature-256")!] = MetaWebhooks.signature(appSecret: secret ?? fake.appSecret, body: body)
        }
        return try await api.call(.post, webhookPath, body: body, headers: headers)
    }

    /// Meta's subscription handshake.
    func handshake(token: String, mode: String = "subscribe", challenge: String = "1158201444") async throws -> OpenAPIClient.Answer {
        try await api.call(.get, webhookPath, query: ["hub.mode": mode, "hub.verify_token": token, "hub.challenge": challenge], headers: [:])
    }

    func scalar(_ sql: SQLQueryString) async throws -> Int64 {
        try await hub.hub.database.run { db in try await db.raw(sql).first()?.decode(column: "n", as: Int64.self) ?? -1 }
    }

    func text(_ sql: SQLQueryString, _ column: String) async throws -> String? {
        try await hub.hub.database.run { db in try await db.raw(sql).first()?.decode(column: column, as: String.self) }
    }

    /// Queues an agent's message to the customer in the open session.
    func queueReply(
        _ text: String, files: [String] = [], template: String = "", tag: String = "",
        sender: OutboundService.Sender = .extension(number: "5000", name: "Leo Ball")
    ) async throws -> Int64 {
        let channelID = self.channelID
        let customer = self.customer
        let now = hub.clock.now()
        let filesJSON = files.isEmpty ? "" : JSONValue.array(files.map { ["uri": .string($0)] }).serialized()
        return try await hub.hub.database.transaction { db in
            let session = try await db.raw("SELECT id FROM sessions WHERE channel_id = \(bind: channelID) AND closed_at IS NULL").first()?
                .decode(column: "id", as: Int64.self)
            return try await OutboundService.queue(
                db, channelID: channelID, sessionID: session, recipient: customer, sender: sender,
                content: .init(text: text, files: filesJSON, whatsappParam: template, tag: tag), now: now)
        }
    }

    /// `delivery_status`, `send_error`, `send_error_msg` and `provider_message_id` of a message.
    func outcome(_ messageID: Int64) async throws -> (status: Int, error: String, errorMessage: String, providerID: String) {
        try await hub.hub.database.run { db in
            let row = try await db.raw("""
                SELECT delivery_status, send_error, send_error_msg, provider_message_id FROM messages WHERE id = \(bind: messageID)
                """).first()!
            return (
                try row.decode(column: "delivery_status", as: Int.self), try row.decode(column: "send_error", as: String.self),
                try row.decode(column: "send_error_msg", as: String.self), try row.decode(column: "provider_message_id", as: String?.self) ?? ""
            )
        }
    }

    /// Sends one message per scripted Graph error and checks each is marked failed with `send_error`
    /// = the paired kind and `send_error_msg` = `code: message`.
    func expectFailures(_ cases: [(FakeGraphAPI.Failure, String)]) async throws {
        for (failure, kind) in cases {
            fake.sendFailures.push(failure)
            let id = try await queueReply("text")
            try await hub.hub.dispatcher.drainOnce()
            let outcome = try await outcome(id)
            #expect(outcome.status == 2 && outcome.error == kind, "\(failure.code ?? 0)")
            #expect(outcome.errorMessage == "\(failure.code ?? 0): \(failure.message)")
        }
    }

    /// Sends one message per scripted Graph error and checks each stays pending for a retry with
    /// `last_error` starting with the paired kind.
    func expectRetries(_ cases: [(FakeGraphAPI.Failure, String)]) async throws {
        for (failure, kind) in cases {
            fake.sendFailures.push(failure)
            let id = try await queueReply("retry me")
            try await hub.hub.dispatcher.drainOnce()
            #expect(try await outcome(id).status == 0)
            #expect(try await scalar("SELECT attempts AS n FROM outbox WHERE message_id = \(bind: id)") == 1)
            let lastError = try await text("SELECT last_error FROM outbox WHERE message_id = \(bind: id)", "last_error")
            #expect(lastError?.hasPrefix(kind) == true, "\(failure.status) \(failure.code ?? 0)")
        }
    }
}
