import Foundation
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

@Suite("File store and inbound media")
struct FileStoreTests {
    @Test(arguments: TestEngines.available)
    func filesAreServedByUnguessableLinksUntilTheyExpire(engine: DatabaseEngine) async throws {
        try await TestHub.with(engine) { hub in
            let store = hub.hub.files
            let file = try await store.save(Array("hello".utf8), name: "../../etc/greeting.txt", contentType: "text/plain")
            #expect(file.name == "greeting.txt")
            #expect(file.id.count == 32)
            #expect(file.uri == "https://hub.example.test/api/chat/\(file.id)")
            try await hub.withClient { api in
                let served = try await api.call(.get, "/api/chat/\(file.id)")
                #expect(served.status == .ok && served.text == "hello")
                #expect(served.headers[.contentType] == "text/plain")
                #expect(try await api.call(.get, "/api/chat/00000000000000000000000000000000").status == .notFound)
                hub.clock.advance(by: 72 * 3600)
                #expect(try await api.call(.get, "/api/chat/\(file.id)").status == .notFound)
            }
            #expect(try await store.sweep() == 1)
            #expect(!FileManager.default.fileExists(atPath: hub.database.directory + "/data/files/\(file.id)"))
        }
    }

    @Test func inboundMediaIsDownloadedIntoTheStoreAfterTheWebhookIsAnswered() async throws {
        // The provider's media server: a real loopback HTTP server holding one image.
        let router = Router()
        router.get("media/kettle.png") { _, _ in Response(status: .ok, headers: [.contentType: "image/png"], body: .init(byteBuffer: .init(string: "PNGDATA"))) }
        let mediaServer = try await FakeServer.start(router)
        defer { Task { await mediaServer.stop() } }
        try await GeneralChannelFixture.with(.sqlite) { f in
            let body = FakeGeneralProvider.inboundBody(
                id: "mms-1", from: GeneralChannelFixture.customer, to: GeneralChannelFixture.did, text: "photo", mediaURL: mediaServer.baseURL + "/media/kettle.png")
            #expect(try await f.deliver(body).status == .noContent)
            let before = try await f.hub.hub.database.run { db in
                try await db.raw("SELECT files FROM messages").first()!.decode(column: "files", as: String.self)
            }
            #expect(before.contains("/media/kettle.png"))
            #expect(try await f.hub.hub.mediaFetcher.fetchDue() == 1)
            let after = try await f.hub.hub.database.run { db in
                try await db.raw("SELECT files FROM messages").first()!.decode(column: "files", as: String.self)
            }
            let entry = try #require((try JSONDecoder().decode(JSONValue.self, from: Data(after.utf8))).arrayValue?.first)
            let uri = try #require(entry["uri"]?.stringValue)
            #expect(uri.hasPrefix("https://hub.example.test/api/chat/"))
            #expect(entry["type"] == "image/png" && entry["size"] == .int(7) && entry["name"] == "kettle.png")
            let served = try await f.api.call(.get, String(uri.dropFirst("https://hub.example.test".count)))
            #expect(served.text == "PNGDATA")
            #expect(try await f.hub.hub.mediaFetcher.fetchDue() == 0)
        }
    }
}

import Hummingbird
