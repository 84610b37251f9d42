import Foundation
import HTTPTypes
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// `POST message/batchupload`: repeated `files` parts, 100 MB in total, links that expire after 72 hours.
@Suite("Batch upload")
struct BatchUploadTests {
    @Test(arguments: TestEngines.available)
    func everyFilePartIsStoredAndServedUntilTheSweeperRemovesIt(engine: DatabaseEngine) async throws {
        try await TestHub.with(engine) { hub in
            try await hub.withClient { api in
                let token = try await api.token()
                let body = CampaignAPITests.multipart([("a.txt", "text/plain", "first"), ("photo.png", "image/png", "PNG-BYTES")])
                let answer = try await CampaignAPITests.upload(api, token: token, body)
                #expect(answer.errcode == 0, "\(answer.text)")
                let list = try #require(answer.json["list"]?.arrayValue)
                #expect(list.count == 2)
                #expect(list.map { $0["name"] } == ["a.txt", "photo.png"] && list.map { $0["size"] } == [5, 9])
                #expect(list.map { $0["type"] } == ["text/plain", "image/png"])
                let uri = try #require(list[1]["uri"]?.stringValue)
                let path = String(uri.dropFirst("https://hub.example.test".count))
                #expect(try await api.call(.get, path).text == "PNG-BYTES")
                hub.clock.advance(by: 72 * 3600 + 1)
                #expect(try await hub.hub.files.sweep() == 2)
                #expect(try await api.call(.get, path).status == .notFound)

                let fresh = try await api.token()  // the first one expired with the clock
                let none = try await CampaignAPITests.upload(api, token: fresh, CampaignAPITests.multipart([("a.txt", "text/plain", "x")], field: "other"))
                #expect(none.errcode == 40002 && none.invalidFields == ["files"])
                let notMultipart = try await api.post("message/batchupload", token: fresh, ["files": "x"])
                #expect(notMultipart.errcode == 40002)
            }
        }
    }

    @Test func moreThanOneHundredMegabytesIsRefusedAndNothingIsStored() async throws {
        try await TestHub.with(.sqlite) { hub in
            try await hub.withClient { api in
                let token = try await api.token()
                let half = String(repeating: "a", count: 50 << 20)
                let body = CampaignAPITests.multipart([("a.bin", "application/octet-stream", half), ("b.bin", "application/octet-stream", half + "b")])
                let answer = try await CampaignAPITests.upload(api, token: token, body)
                #expect(answer.errcode == 40004 && answer.errmsg == "FILE SIZE EXCEEDED", "\(answer.text.prefix(200))")
                let stored = try await hub.hub.database.run { db in
                    try await db.raw("SELECT COUNT(*) AS n FROM files").first()!.decode(column: "n", as: Int.self)
                }
                #expect(stored == 0)
                let directory = hub.database.directory + "/data/files"
                #expect(((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).isEmpty)
            }
        }
    }
}
