import Foundation
import Hummingbird
import SwitchboardCore

/// External chat logs (seed 003 "External Chat Log Management"), ours under `/openapi/v1.0/`
/// with the reference's conventions (GET with query fields, deletions included):
/// - `chat_log/search` — filtered sessions, newest activity first (`page`, `page_size`, `total_number`, `list`);
/// - `chat_log/timeline?id=` — the session's operation records;
/// - `chat_log/history?id=` — its messages, newest first, system messages included;
/// - `chat_log/delete_sessions?ids=` and `chat_log/delete_messages?ids=` — all or nothing;
/// - `chat_log/download` — a ZIP of `Session_Record.csv` and `Chat_Data_Record.csv` for the same
///   filters as `search` (none: all logs), times in `time_zone` (IANA name, default UTC).
struct ChatLogController {
    let store: ChatLogStore
    let export: ChatLogExport

    init(database: Database, clock: any WallClock, temporaryDirectory: String) {
        store = ChatLogStore(database: database, clock: clock)
        export = ChatLogExport(store: store, temporaryDirectory: temporaryDirectory)
    }

    /// The hub's chat logs, exports written under `<data-dir>/exports` (the OpenAPI and the portal bridge mount this).
    init(_ hub: Switchboard) {
        self.init(database: hub.database, clock: hub.clock, temporaryDirectory: hub.configuration.dataDirectory + "/exports")
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("chat_log/search") { request, _ in try await search(request) }
        group.get("chat_log/timeline") { request, _ in try await timeline(request) }
        group.get("chat_log/history") { request, _ in try await history(request) }
        let deletions: [(String, @Sendable (ChatLogStore, [Int64]) async throws -> Void)] = [
            ("delete_sessions", { try await $0.deleteSessions($1) }),
            ("delete_messages", { try await $0.deleteMessages($1) }),
        ]
        for (path, delete) in deletions {
            group.get(RouterPath(stringLiteral: "chat_log/\(path)")) { request, _ in
                var reader = request.queryReader
                let ids = ChatLogIDs.read(&reader)
                try reader.finish()
                try await delete(store, ids!)
                return JSONResponse.success()
            }
        }
        group.get("chat_log/download") { request, _ in try await download(request) }
    }

    func search(_ request: Request) async throws -> JSONResponse {
        var reader = request.queryReader
        let filter = ChatLogFilter.read(&reader)
        let page = PageRequest.readOptional(&reader)
        try reader.finish()
        let found = try await store.search(filter, page: page)
        return .success(["total_number": .int(found.total), "list": .array(found.sessions.map(\.json))])
    }

    func timeline(_ request: Request) async throws -> JSONResponse {
        var reader = request.queryReader
        let id = reader.id("id", required: true)
        try reader.finish()
        let items = try await store.database.run { db in
            try await requireRow(db, table: "sessions", id: id!)
            return try await SessionTimeline.render(db, sessionID: id!)
        }
        return .success(["list": .array(items)])
    }

    func history(_ request: Request) async throws -> JSONResponse {
        var reader = request.queryReader
        let id = reader.id("id", required: true)
        let page = PageRequest.readOptional(&reader)
        try reader.finish()
        let session = try await store.session(id: id!)
        let found = try await store.history(sessionID: session.id, page: page)
        return .success([
            "session": session.json, "total_number": .int(found.total), "list": .array(found.messages.map { $0.json(in: session) }),
        ])
    }

    func download(_ request: Request) async throws -> Response {
        var reader = request.queryReader
        let filter = ChatLogFilter.read(&reader)
        var timeZone = TimeZone(identifier: "UTC")!
        if let name = reader.string("time_zone", maxLength: 64), !name.isEmpty {
            if let zone = TimeZone(identifier: name) { timeZone = zone } else { reader.fail("time_zone", "invalid_value") }
        }
        try reader.finish()
        let archive = try await export.write(filter, timeZone: timeZone)
        let body = try FileStreamBody.open(path: archive.path, removingFolder: archive.folder)
        let name = "chat_logs_" + ChatLogRules.formatTime(store.clock.now()).filter(\.isNumber) + ".zip"
        return Response(
            status: .ok,
            headers: [.contentType: "application/zip", .contentDisposition: "attachment; filename=\"\(name)\""],
            body: body)
    }
}

/// Streams a file as a response body in 64 KiB chunks. The file's folder is removed as soon as
/// the file is open (the open handle keeps its bytes readable), so nothing is left behind even
/// when the client goes away mid-download.
enum FileStreamBody {
    static func open(path: String, removingFolder folder: String) throws -> ResponseBody {
        let handle: FileHandle
        let size: Int
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            size = Int(try handle.seekToEnd())
            try handle.seek(toOffset: 0)
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
        try? FileManager.default.removeItem(atPath: folder)
        let file = SendableHandle(handle: handle)
        return ResponseBody(contentLength: size) { writer in
            defer { try? file.handle.close() }
            while let chunk = try file.handle.read(upToCount: 64 * 1024), !chunk.isEmpty {
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            try await writer.finish(nil)
        }
    }

    /// A file handle read by one response writer at a time.
    private struct SendableHandle: @unchecked Sendable {
        let handle: FileHandle
    }
}
