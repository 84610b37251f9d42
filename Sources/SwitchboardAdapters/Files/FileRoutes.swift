import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle
import SwitchboardCore

/// `GET /api/chat/{id}`: a stored file, while it has not expired (404 after).
struct FileRoutes {
    let files: FileStore

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("api/chat/:id") { _, context -> Response in
            let id = try context.parameters.require("id")
            guard let file = try await files.open(id: id), let data = FileManager.default.contents(atPath: file.path) else {
                return Response(status: .notFound)
            }
            let disposition = "inline; filename=\"\(file.name.unicodeScalars.allSatisfy(\.isASCII) ? file.name : "file")\""
            return Response(
                status: .ok,
                headers: [.contentType: file.type, .contentDisposition: disposition, .init("X-Content-Type-Options")!: "nosniff"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}

/// Removes expired files every ten minutes (safe on several nodes: deletes are idempotent).
struct FileSweeper: Service {
    let files: FileStore
    var interval: Duration = .seconds(600)

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            _ = try? await files.sweep()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
