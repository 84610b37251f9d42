import Foundation
import HTTPTypes
import Hummingbird
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// Inbound media behind each carrier's own auth: downloaded with the channel's API credentials from
/// the provider's origin, and never with them from anywhere else.
@Suite("Carrier media downloads and credential checks")
struct CarrierMediaTests {
    /// The File_Info of the only inbound message after one media pass.
    static func fetchedFile(_ f: CarrierFixture) async throws -> JSONValue? {
        _ = try await f.hub.hub.mediaFetcher.fetchDue()
        let files = try await f.hub.hub.database.run { db in
            try await db.raw("SELECT files FROM messages WHERE direction = 'in'").first()!.decode(column: "files", as: String.self)
        }
        return try JSONDecoder().decode(JSONValue.self, from: Data(files.utf8)).arrayValue?.first
    }

    @Test func twilioMediaIsFetchedWithTheAccountCredentials() async throws {
        try await CarrierTwilioTests.with { f, fake in
            let path = "/2010-04-01/Accounts/\(fake.accountSID)/Messages/MM1/Media/ME1"
            let url = fake.core.hostMedia(path: path, contentType: "image/jpeg", bytes: Array("JPEGDATA".utf8))
            let incoming = fake.incoming(sid: "SM" + String(repeating: "7", count: 32), from: CarrierFixture.customer, to: CarrierFixture.did, body: "", mediaURLs: [url])
            #expect(try await CarrierTwilioTests.deliver(f, fake, incoming, token: fake.authToken).status == .noContent)
            let file = try #require(try await Self.fetchedFile(f))
            #expect(file["uri"]?.stringValue?.hasPrefix("https://hub.example.test/api/chat/") == true)
            #expect(file["type"] == "image/jpeg" && file["size"] == .int(8))
            #expect(fake.core.refusedDownloads.count == 0)
        }
    }

    @Test func bandwidthMediaNeedsTheAPICredentials() async throws {
        try await CarrierBandwidthTests.with { f, fake in
            let url = fake.core.hostMedia(path: "/api/v2/users/\(fake.accountID)/media/abc/0/cat.png", contentType: "image/png", bytes: Array("PNG!".utf8))
            let received = fake.received(id: "mms-in-1", from: CarrierFixture.customer, to: CarrierFixture.did, text: "cat", media: [url])
            #expect(try await CarrierBandwidthTests.deliver(f, received).status == .ok)
            let file = try #require(try await Self.fetchedFile(f))
            #expect(file["uri"]?.stringValue?.hasPrefix("https://hub.example.test/api/chat/") == true)
            #expect(file["type"] == "image/png" && file["size"] == .int(4))
            #expect(fake.core.refusedDownloads.count == 0)
        }
    }

    /// A webhook may name any URL: the channel's credentials go only to the provider's own origin.
    @Test func credentialsAreNotSentToAnotherOrigin() async throws {
        let seen = Recorder<String>()
        let router = Router()
        router.get("elsewhere/cat.png") { request, _ in
            seen.append(request.headers[.authorization] ?? "none")
            return Response(status: .ok, headers: [.contentType: "image/png"], body: .init(byteBuffer: .init(string: "PNG")))
        }
        let other = try await FakeServer.start(router)
        defer { Task { await other.stop() } }
        try await CarrierBandwidthTests.with { f, fake in
            let received = fake.received(id: "mms-in-2", from: CarrierFixture.customer, to: CarrierFixture.did, text: "", media: [other.baseURL + "/elsewhere/cat.png"])
            #expect(try await CarrierBandwidthTests.deliver(f, received).status == .ok)
            let file = try #require(try await Self.fetchedFile(f))
            #expect(file["size"] == .int(3))
            #expect(seen.all == ["none"])
        }
    }

    /// The channel's `status`/`reason` after one connectivity pass, then after one scripted 401.
    static func connectivityBeforeAndAfterA401(_ f: CarrierFixture, push401: () -> Void) async throws -> [String?] {
        let checker = ConnectivityChecker(channels: f.hub.hub.channelStore, providers: f.hub.hub.providers, http: f.hub.hub.http, logger: f.hub.hub.logger)
        func status() async throws -> JSONValue? {
            try await f.api.get("message_channel/list", token: f.token, ["page": "1", "page_size": "10", "time_range": "all"]).json["list"]?.arrayValue?.first
        }
        await checker.checkAll()
        let first = try await status()?["status"]?.stringValue
        push401()
        await checker.checkAll()
        return [first, try await status()?["reason"]?.stringValue]
    }

    @Test func bandwidthConnectivityListsMessagesWithTheCredentials() async throws {
        try await CarrierBandwidthTests.with { f, fake in
            let states = try await Self.connectivityBeforeAndAfterA401(f) {
                fake.failures.push(FakeBandwidth.error("unauthorized", "Authentication Failed", status: 401))
            }
            #expect(states == ["status_connect_succ", "Unauthorized"])
        }
    }

    @Test func flowrouteConnectivityListsNumbersWithTheCredentials() async throws {
        try await CarrierFlowrouteTests.with { f, fake in
            let states = try await Self.connectivityBeforeAndAfterA401(f) {
                fake.failures.push(FakeFlowroute.error("Unauthorized", "Authentication credentials were not provided or are invalid.", status: 401))
            }
            #expect(states == ["status_connect_succ", "Unauthorized"])
        }
    }
}
