import Foundation
import HTTPTypes
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// A hub with one SMS channel of a carrier (`provider`) whose API base points at that carrier's
/// fake: credentials are given in plain text and stored Base64 as the OpenAPI requires.
struct CarrierFixture: Sendable {
    static let did = "+15550001111"
    static let customer = "+15557654321"
    static let didDigits = "15550001111"
    static let customerDigits = "15557654321"

    let hub: TestHub
    let api: OpenAPIClient
    let token: String
    let channelID: Int64
    let webhookURL: String
    let webhookPath: String

    static func with(
        _ engine: DatabaseEngine, provider: String, baseURL: String, credentials: [(String, String)], accompanyingMessage: String? = nil,
        _ body: @escaping @Sendable (CarrierFixture) async throws -> Void
    ) async throws {
        try await TestHub.with(engine, configure: { $0.providerBaseURLs[provider] = baseURL }) { hub in
            try await hub.withClient { api in
                let token = try await api.token()
                let ext = try await api.post("extension/create", token: token, ["number": "1001", "first_name": "Leo", "last_name": "Ball"])
                let extensionID = try #require(ext.int("id"))
                var request: JSONObject = [
                    "name": .string("\(provider) SMS channel"), "webhook_url_type": "nat", "channel": .string(provider), "send_rate": 50,
                    "account_data": .array(credentials.map { ["k": .string($0.0), "v": .string(Formats.encodeBase64(Array($0.1.utf8)))] }),
                    "dids": [["did_number": .string(did), "destination_type": "extension", "destination_id": .string(String(extensionID)),
                              "members": [["type": "extension", "value": .string(String(extensionID))]]]],
                ]
                if let accompanyingMessage { request["accompanying_msg"] = .string(accompanyingMessage) }
                let created = try await api.post("message_channel/create", token: token, .object(request))
                let channelID = try #require(created.int("id"), "\(created.text)")
                let detail = try await api.get("message_channel/get", token: token, ["id": String(channelID)])
                let webhookURL = try #require(detail.json["data"]?["webhook_url"]?.stringValue)
                try await body(CarrierFixture(
                    hub: hub, api: api, token: token, channelID: channelID, webhookURL: webhookURL,
                    webhookPath: String(webhookURL.dropFirst("https://hub.example.test".count))))
            }
        }
    }

    /// Posts a webhook to the channel's URL (`query` is appended, e.g. for Twilio's `bodySHA256`).
    func post(_ body: String, contentType: String, headers: HTTPFields = [:], query: String = "") async throws -> OpenAPIClient.Answer {
        var fields = headers
        fields[.contentType] = contentType
        return try await api.call(.post, webhookPath + query, body: body, headers: fields)
    }

    func scalar(_ sql: SQLQueryString) async throws -> Int64 {
        try await hub.hub.database.run { db in try await db.raw(sql).first()?.decode(column: "n", as: Int64.self) ?? -1 }
    }

    /// How many customer messages are stored.
    func inboundCount() async throws -> Int64 {
        try await scalar("SELECT COUNT(*) AS n FROM messages WHERE direction = 'in'")
    }

    /// Queues an agent's message to the customer (in the open session when there is one) with
    /// optional file links, and steps the dispatcher once.
    @discardableResult
    func sendReply(_ text: String, fileURIs: [String] = []) async throws -> Int64 {
        let channelID = self.channelID
        let now = hub.clock.now()
        let files = fileURIs.isEmpty ? "" : JSONValue.array(fileURIs.map { ["id": "f", "name": "a.png", "uri": .string($0), "type": "image/png", "size": 10] }).serialized()
        let account = try #require(try await hub.hub.channelStore.channel(id: channelID)).account
        let messageID = try await hub.hub.database.transaction { db in
            // The agent's session with the customer on our number (what supplies the sender number).
            let number = try await db.raw("SELECT id FROM channel_numbers WHERE channel_id = \(bind: channelID)").first()?.decode(column: "id", as: Int64.self)
            let session = try await SessionStore.openSession(
                db, account: account, numberID: number, did: CarrierFixture.did, customer: CarrierFixture.customer, customerName: "",
                route: SessionRoute(destinationType: "extension", destinationID: nil), now: now).id
            return try await OutboundService.queue(
                db, channelID: channelID, sessionID: session, recipient: CarrierFixture.customer,
                sender: .extension(number: "1001", name: "Leo Ball"), content: .init(text: text, files: files), now: now)
        }
        try await hub.hub.dispatcher.drainOnce()
        return messageID
    }

    /// Scripts `answer` as the provider's next answer, sends a reply and returns how it ended.
    func replyOutcome(after answer: FakeCarrierAnswer, on failures: Script<FakeCarrierAnswer>) async throws -> (status: Int, error: String, errorMessage: String, providerID: String) {
        failures.push(answer)
        return try await outcome(try await sendReply("x"))
    }

    /// Scripts a throttling `answer`, sends a reply and checks it waits in the outbox for a retry.
    func expectThrottledReplyWaits(after answer: FakeCarrierAnswer, on failures: Script<FakeCarrierAnswer>) async throws {
        failures.push(answer)
        let messageID = try await sendReply("later")
        #expect(try await outcome(messageID).status == 0)
        #expect(try await scalar("SELECT COUNT(*) AS n FROM outbox WHERE message_id = \(bind: messageID) AND status = 'pending'") == 1)
    }

    /// The message's `delivery_status`, `send_error`, `send_error_msg` and `provider_message_id`.
    func outcome(_ messageID: Int64) async throws -> (status: Int, error: String, errorMessage: String, providerID: String) {
        let row = try await hub.hub.database.run { db in
            try await db.raw("""
                SELECT delivery_status, send_error, send_error_msg, provider_message_id FROM messages WHERE id = \(bind: messageID)
                """).first()!
        }
        return (try row.decode(column: "delivery_status", as: Int.self), try row.decode(column: "send_error", as: String.self),
                try row.decode(column: "send_error_msg", as: String.self), try row.decode(column: "provider_message_id", as: String?.self) ?? "")
    }
}
