import CSV
import Foundation
import NIOPosix
import SwitchboardCore
import ZIPFoundation

/// Builds the download of chat logs: `Session_Record.csv` (one row per session) and
/// `Chat_Data_Record.csv` (one row per message), UTF-8, quoted by CSV.swift's `CSVWriter`, in one
/// ZIP made by ZIPFoundation.
///
/// Memory stays flat whatever the size: rows are read in keyset pages and appended to the CSV
/// files page by page; ZIPFoundation then deflates each file in small chunks into the archive,
/// off the async executors. The pages are not one snapshot: a log that changes during a download
/// shows as it was when its page was read.
struct ChatLogExport: Sendable {
    let store: ChatLogStore
    /// Where the working files go (a folder of their own is made inside).
    let temporaryDirectory: String
    var sessionPageSize = 1000
    var messagePageSize = 2000

    /// The finished archive; delete `path` (or its folder) when done with it.
    struct Archive: Sendable {
        var path: String
        var folder: String
        var sessions: Int
        var messages: Int
    }

    /// Writes the archive of what `filter` matches, times shown in `timeZone`.
    func write(_ filter: ChatLogFilter, timeZone: TimeZone) async throws -> Archive {
        let folder = temporaryDirectory + "/chat-logs-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        do {
            let offset = Self.offsets(timeZone)
            let sessions = try await writeSessions(filter, to: folder + "/" + ChatLogRules.sessionFileName, offset: offset)
            let messages = try await writeMessages(filter, to: folder + "/" + ChatLogRules.messageFileName, offset: offset)
            let path = folder + "/chat_logs.zip"
            try await NIOThreadPool.singleton.runIfActive {
                let archive = try ZIPFoundation.Archive(url: URL(fileURLWithPath: path), accessMode: .create)
                for name in [ChatLogRules.sessionFileName, ChatLogRules.messageFileName] {
                    try archive.addEntry(with: name, relativeTo: URL(fileURLWithPath: folder), compressionMethod: .deflate, bufferSize: 64 * 1024)
                    try FileManager.default.removeItem(atPath: folder + "/" + name)
                }
            }
            return Archive(path: path, folder: folder, sessions: sessions, messages: messages)
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
    }

    private func writeSessions(_ filter: ChatLogFilter, to path: String, offset: @escaping @Sendable (Int64) -> Int) async throws -> Int {
        let file = try CSVFile(path: path, header: ChatLogRules.sessionColumns)
        defer { file.close() }
        var after: Int64 = 0
        var count = 0
        while true {
            let page = try await store.sessionsPage(filter, after: after, limit: sessionPageSize)
            guard let last = page.last else { break }
            try file.append(page.map { ChatLogRules.sessionRow($0, offset: offset) })
            count += page.count
            after = last.id
            if page.count < sessionPageSize { break }
        }
        return count
    }

    private func writeMessages(_ filter: ChatLogFilter, to path: String, offset: @escaping @Sendable (Int64) -> Int) async throws -> Int {
        let file = try CSVFile(path: path, header: ChatLogRules.messageColumns)
        defer { file.close() }
        var after: (session: Int64, message: Int64) = (0, 0)
        var count = 0
        var sessions: [Int64: ChatLogSession] = [:]
        while true {
            let page = try await store.messagesPage(filter, after: after, limit: messagePageSize)
            guard let last = page.last else { break }
            // The sessions of this page only: the previous page's last session may continue here.
            let needed = Set(page.map(\.sessionID))
            sessions = sessions.filter { needed.contains($0.key) }
            let missing = needed.filter { sessions[$0] == nil }.sorted()
            for session in try await store.sessions(ids: missing) { sessions[session.id] = session }
            try file.append(page.compactMap { message in
                sessions[message.sessionID].map { ChatLogRules.messageRow(message, in: $0, offset: offset) }
            })
            count += page.count
            after = (last.sessionID, last.id)
            if page.count < messagePageSize { break }
        }
        return count
    }

    /// The time zone's offset at an instant (none to compute for UTC).
    static func offsets(_ timeZone: TimeZone) -> @Sendable (Int64) -> Int {
        if timeZone.identifier == "UTC" || timeZone.identifier == "GMT" { return { _ in 0 } }
        return { timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval($0))) }
    }
}

/// A CSV file written in chunks: each chunk of rows is encoded by a `CSVWriter` into memory and
/// appended, so neither the rows nor the file are ever held whole. Lines end with CRLF (RFC 4180).
final class CSVFile {
    private let handle: FileHandle

    init(path: String, header: [String]) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CSVError.cannotOpenFile }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try append([header])
    }

    func append(_ rows: [[String]]) throws {
        guard !rows.isEmpty else { return }
        try handle.write(contentsOf: try Self.encode(rows))
    }

    func close() { try? handle.close() }

    /// The rows as CSV text, each line ended by CRLF.
    static func encode(_ rows: [[String]]) throws -> Data {
        let stream = OutputStream(toMemory: ())
        stream.open()
        let writer = try CSVWriter(stream: stream, newline: .crlf)
        for row in rows { try writer.write(row: row) }
        var data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        stream.close()
        // CSVWriter separates rows; the chunk's last line gets its end here.
        data.append(contentsOf: [13, 10])
        return data
    }
}
