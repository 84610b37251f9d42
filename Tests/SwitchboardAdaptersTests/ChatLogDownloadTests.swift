import CSV
import Foundation
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing
import ZIPFoundation

@Suite("External chat logs: CSV download")
struct ChatLogDownloadTests {
    typealias F = ChatLogFixture

    /// The ZIP's entries, read back with ZIPFoundation.
    static func entries(_ zip: Data) throws -> [String: String] {
        let archive = try Archive(data: zip, accessMode: .read)
        var files: [String: String] = [:]
        for entry in archive {
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            files[entry.path] = String(decoding: bytes, as: UTF8.self)
        }
        return files
    }

    /// Header and rows of a CSV text, parsed by CSV.swift.
    static func parse(_ text: String) throws -> (header: [String], rows: [[String]]) {
        let reader = try CSVReader(string: text, hasHeaderRow: true)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        return (reader.headerRow ?? [], rows)
    }

    static let tricky = "Price: $5, \"50% off\"\nsecond line\r\nthird 😀🇺🇸, done"

    @Test(arguments: TestEngines.available)
    func allLogsDownloadAsTwoQuotedUTF8CSVFilesInOneZIP(engine: DatabaseEngine) async throws {
        try await F.with(engine) { f in
            let t0 = F.t0
            let a = try await f.seed(
                customer: "+15551230001", customerName: "Lee, \"Jimmy\" 😀", queue: true, closed: true, created: t0, lastActive: t0 + 100,
                messages: [
                    .inbound(Self.tricky, from: "+15551230001", name: "Lee, \"Jimmy\" 😀"),
                    .reply("Sure, \"right away\"", agent: "2001", name: "Ann"),
                    .system("The session has been closed."),
                ])
            var withFile = ChatLogFixture.Message.reply("", agent: "2001", name: "Ann")
            withFile.files = #"[{"id":"","name":"invoice.pdf","uri":"https://hub.example.test/api/chat/abc","type":"application/pdf","size":10}]"#
            let b = try await f.seed(type: "whatsapp", did: "+15550002222", customer: "+15551230002", owner: "2001", created: t0 + 200, lastActive: t0 + 86_400,
                                     messages: [.inbound("hello", from: "+15551230002"), withFile])
            try await f.directCampaignMessage("Spring sale, direct mode")

            let download = try await f.download()
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == "application/zip")
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"chat_logs_") == true)
            let files = try Self.entries(download.body)
            #expect(Set(files.keys) == ["Session_Record.csv", "Chat_Data_Record.csv"])

            let sessions = try Self.parse(try #require(files["Session_Record.csv"]))
            #expect(sessions.header == ["Session ID", "Created At", "Last Active At", "Sender", "Recipient", "Channel Type", "Channel Number", "Session Status"])
            #expect(sessions.rows == [
                [String(a.session), "2024/09/10 20:26:40", "2024/09/10 20:28:20", "Lee, \"Jimmy\" 😀<+15551230001>", "Tech Support", "SMS",
                 GeneralChannelFixture.did, "Closed"],
                [String(b.session), "2024/09/10 20:30:00", "2024/09/11 20:26:40", "+15551230002", "Ann<2001>", "WhatsApp", "+15550002222", "Not Closed"],
            ])

            let messages = try Self.parse(try #require(files["Chat_Data_Record.csv"]))
            #expect(messages.header == ["Session ID", "Time", "Sender", "Recipient", "Message Type", "Message Content"])
            #expect(messages.rows == [
                [String(a.session), "2024/09/10 20:26:40", "Lee, \"Jimmy\" 😀<+15551230001>", "Tech Support", "Inbound", Self.tricky],
                [String(a.session), "2024/09/10 20:26:41", "Ann<2001>", "Lee, \"Jimmy\" 😀<+15551230001>", "Outbound", "Sure, \"right away\""],
                [String(a.session), "2024/09/10 20:26:42", "PBX System", "", "", "The session has been closed."],
                [String(b.session), "2024/09/10 20:30:00", "+15551230002", "Ann<2001>", "Inbound", "hello"],
                [String(b.session), "2024/09/10 20:30:01", "Ann<2001>", "+15551230002", "Outbound", "invoice.pdf (https://hub.example.test/api/chat/abc)"],
            ])
            #expect(!(files["Chat_Data_Record.csv"] ?? "").contains("Spring sale"), "direct campaign messages are not chat logs")
            // The raw text is RFC 4180: quoted fields, doubled quotes, CRLF line ends.
            #expect(files["Session_Record.csv"]?.contains("\"Lee, \"\"Jimmy\"\" 😀<+15551230001>\"") == true)
            #expect(files["Session_Record.csv"]?.hasSuffix("Not Closed\r\n") == true)
            // Nothing is left behind in the working folder.
            let exports = f.s.hub.hub.configuration.dataDirectory + "/exports"
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: exports)) ?? []).isEmpty)
        }
    }

    @Test(arguments: TestEngines.available)
    func filteredLogsDownloadOnlyWhatTheFilterShows(engine: DatabaseEngine) async throws {
        try await F.with(engine) { f in
            let t0 = F.t0
            _ = try await f.seed(customer: "+15551230001", queue: true, closed: true, created: t0, lastActive: t0 + 100,
                                 messages: [.inbound("sms one", from: "+15551230001")])
            let b = try await f.seed(type: "whatsapp", did: "+15550002222", customer: "+15551230002", owner: "2001", created: t0, lastActive: t0 + 200,
                                     messages: [.inbound("wa one", from: "+15551230002"), .inbound("wa two", from: "+15551230002")])
            let download = try await f.download(["channel_type": "whatsapp", "time_zone": "Asia/Shanghai"])
            let files = try Self.entries(download.body)
            let sessions = try Self.parse(files["Session_Record.csv"] ?? "")
            #expect(sessions.rows.map { $0[0] } == [String(b.session)])
            #expect(sessions.rows.first?[1] == "2024/09/11 04:26:40", "times in the asked time zone")
            let messages = try Self.parse(files["Chat_Data_Record.csv"] ?? "")
            #expect(messages.rows.map { $0[5] } == ["wa one", "wa two"])

            let none = try Self.entries(try await f.download(["sender": "nobody"]).body)
            #expect(try Self.parse(none["Session_Record.csv"] ?? "x").rows.isEmpty)
            #expect(try Self.parse(none["Chat_Data_Record.csv"] ?? "x").header == ChatLogRules.messageColumns)

            let bad = try await f.download(["time_zone": "Mars/Olympus", "channel_type": "fax"])
            let json = try JSONDecoder().decode(JSONValue.self, from: bad.body)
            #expect(json["errcode"] == 40002)
            #expect(Set(json["invalid_param_list"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []) == ["time_zone", "channel_type"])
        }
    }

    /// Pages of the download are stitched without losing or repeating a row, whatever the page size.
    @Test(arguments: TestEngines.available)
    func keysetPagesCoverEveryRowOnce(engine: DatabaseEngine) async throws {
        try await F.with(engine) { f in
            for index in 0..<7 {
                let messages: [ChatLogFixture.Message] = (0..<(index % 3 + 1)).map { part in .inbound("m\(index)-\(part)", from: "+1555000\(index)") }
                try await f.seed(customer: "+1555000\(index)", created: F.t0 + Int64(index), lastActive: F.t0 + Int64(index), messages: messages)
            }
            let hub = f.s.hub.hub
            var export = ChatLogExport(store: ChatLogStore(database: hub.database, clock: hub.clock), temporaryDirectory: f.s.hub.database.directory)
            export.sessionPageSize = 2
            export.messagePageSize = 3
            let archive = try await export.write(ChatLogFilter(), timeZone: TimeZone(identifier: "UTC")!)
            defer { try? FileManager.default.removeItem(atPath: archive.folder) }
            #expect(archive.sessions == 7)
            #expect(archive.messages == 13)
            let files = try Self.entries(try Data(contentsOf: URL(fileURLWithPath: archive.path)))
            let contents = try Self.parse(files["Chat_Data_Record.csv"] ?? "").rows.map { $0[5] }
            var expected: [String] = []
            for index in 0..<7 { for part in 0..<(index % 3 + 1) { expected.append("m\(index)-\(part)") } }
            #expect(contents == expected)
            #expect(try Self.parse(files["Session_Record.csv"] ?? "").rows.count == 7)
        }
    }
}
