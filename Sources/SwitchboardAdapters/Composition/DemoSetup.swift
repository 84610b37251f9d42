import Foundation
import SQLKit
import SwitchboardCore

/// What `serve --demo` set up, for the start-up banner.
public struct DemoInfo: Sendable {
    public var channelNumber: String
    public var customerNumber: String
    public var extensionNumber: String
    public var extensionPassword: String
}

extension Switchboard {
    static let demoNumber = "+15550100100"
    static let demoCustomer = "+15550199999"
    static let demoExtension = "1000"
    static let demoPassword = "demo1234"

    /// Makes sure the demo's agent (extension 1000) and its sandbox SMS channel exist, through the
    /// same validation the OpenAPI uses, and has the simulated customer write in when the channel
    /// has no conversation yet.
    public func prepareDemo() async throws -> DemoInfo {
        let now = clock.now()
        let extensionID: Int64 = try await database.transaction { db in
            if let row = try await db.raw("SELECT id FROM extensions WHERE number = \(bind: Self.demoExtension)").first() {
                return try row.decode(column: "id", as: Int64.self)
            }
            return try await ExtensionResource().create(
                ["number": .string(Self.demoExtension), "first_name": "Demo", "last_name": "Agent",
                 "user_password": .string(Self.demoPassword)], db: db, now: now)
        }
        let context = ChannelContext(database: database, clock: clock, secrets: secrets, configuration: configuration)
        let existing = try await database.run { db in
            try await db.raw("SELECT id FROM message_channels WHERE provider = 'sandbox'").first()?.decode(column: "id", as: Int64.self)
        }
        if existing == nil {
            _ = try await ChannelController(context: context).create([
                "name": "Sandbox SMS", "webhook_url_type": "nat", "channel": "sandbox", "send_rate": 5,
                "account_data": [["k": "api_secret", "v": .string(Formats.encodeBase64(Array(RandomToken.alphanumeric(24).utf8)))]],
                "dids": [[
                    "did_number": .string(Self.demoNumber), "destination_type": "extension", "destination_id": .string(String(extensionID)),
                    "members": [["type": "extension", "value": .string(String(extensionID))]],
                ]],
            ])
        }
        guard let channel = try await channelStore.channels(providers: ["sandbox"]).first else {
            throw ConfigurationError("the demo channel could not be created")
        }
        let sessions = try await database.run { db in
            try await db.raw("SELECT COUNT(*) AS n FROM sessions WHERE channel_id = \(bind: channel.account.channelID)").first()?
                .decode(column: "n", as: Int.self) ?? 0
        }
        if sessions == 0 {
            sandbox.schedule(
                .message(from: Self.demoCustomer, to: Self.demoNumber, text: SimulatedCustomer.opening), for: channel.account,
                after: .seconds(2))
        }
        return DemoInfo(
            channelNumber: Self.demoNumber, customerNumber: Self.demoCustomer, extensionNumber: Self.demoExtension,
            extensionPassword: Self.demoPassword)
    }
}
