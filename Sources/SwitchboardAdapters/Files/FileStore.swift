import Crypto
import Foundation
import SQLKit
import SwitchboardCore

/// A stored file as the OpenAPI describes it (`File_Info`).
public struct StoredFile: Sendable, Equatable {
    public var id: String
    public var name: String
    public var uri: String
    public var type: String
    public var size: Int64

    public var json: JSONValue {
        ["id": .string(id), "name": .string(name), "uri": .string(uri), "type": .string(type), "size": .int(size)]
    }
}

/// Files under `<data-dir>/files`, each reachable at `{public-url}/api/chat/{id}` where the id is
/// 128 random bits (unguessable) — the link providers download outbound media from. Files expire
/// after `retention` (72 hours, as seed 003 says); the sweeper removes them and their links.
public struct FileStore: Sendable {
    let database: Database
    let clock: any WallClock
    let directory: String
    let publicURL: String
    public var retention: Int64 = 72 * 3600

    public init(database: Database, clock: any WallClock, directory: String, publicURL: String) {
        self.database = database
        self.clock = clock
        self.directory = directory
        self.publicURL = publicURL
    }

    public func link(for id: String) -> String { publicURL + "/api/chat/" + id }

    /// Writes `bytes` and records the file; returns its File_Info.
    public func save(_ bytes: [UInt8], name: String, contentType: String) async throws -> StoredFile {
        let id = SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) }.map { String(format: "%02x", $0) }.joined()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + id
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw APIError(.internalServerError, detail: "could not write the file")
        }
        let now = clock.now()
        let safeName = Self.sanitise(name)
        let type = contentType.isEmpty ? "application/octet-stream" : contentType
        let size = Int64(bytes.count)
        let expires = now + retention
        do {
            try await database.run { db in
                try await db.raw("""
                    INSERT INTO files (id, name, content_type, size, path, created_at, expires_at)
                    VALUES (\(bind: id), \(bind: safeName), \(bind: type), \(bind: size), \(bind: path), \(bind: now), \(bind: expires))
                    """).run()
            }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        return StoredFile(id: id, name: safeName, uri: link(for: id), type: type, size: size)
    }

    /// The file's path, name and type while it has not expired.
    public func open(id: String) async throws -> (path: String, name: String, type: String)? {
        guard id.count == 32, id.allSatisfy(\.isHexDigit) else { return nil }
        let now = clock.now()
        guard let row = try await database.run({ db in
            try await db.raw("SELECT path, name, content_type FROM files WHERE id = \(bind: id) AND expires_at > \(bind: now)").first()
        }) else { return nil }
        return (try row.decode(column: "path", as: String.self), try row.decode(column: "name", as: String.self),
                try row.decode(column: "content_type", as: String.self))
    }

    /// Removes expired files and their rows; returns how many went.
    @discardableResult
    public func sweep() async throws -> Int {
        let now = clock.now()
        let expired = try await database.run { db in
            try await db.raw("SELECT id, path FROM files WHERE expires_at <= \(bind: now)").all()
                .map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "path", as: String.self)) }
        }
        for (id, path) in expired {
            try? FileManager.default.removeItem(atPath: path)
            try await database.run { db in try await db.raw("DELETE FROM files WHERE id = \(bind: id)").run() }
        }
        return expired.count
    }

    /// A file name safe to store and to put in a header: no path parts, no control characters.
    static func sanitise(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0 != "\"" }.map(Character.init))
        return cleaned.isEmpty ? "file" : String(cleaned.prefix(127))
    }
}
