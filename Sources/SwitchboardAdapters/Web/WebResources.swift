import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// The web's files, shipped as resources of this module (`Web/Assets`, `Web/Templates`) and read
/// once: hand-written CSS/JS served at `/assets/{name}`, and the Mustache templates of the pages.
struct WebResources: Sendable {
    /// An asset: its bytes, content type and a strong ETag.
    struct Asset: Sendable {
        var bytes: [UInt8]
        var contentType: String
        var etag: String
    }

    let assets: [String: Asset]
    let templates: MustacheLibrary

    /// Loaded once per process.
    static let shared: WebResources = load()

    static func load() -> WebResources {
        var assets: [String: Asset] = [:]
        let types = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml"]
        for (name, data) in files(in: "Assets") {
            let ext = name.split(separator: ".").last.map(String.init) ?? ""
            let bytes = [UInt8](data)
            assets[name] = Asset(bytes: bytes, contentType: types[ext] ?? "application/octet-stream", etag: "\"\(RandomToken.sha256Hex(String(decoding: bytes, as: UTF8.self)).prefix(16))\"")
        }
        var library = MustacheLibrary()
        for (name, data) in files(in: "Templates") where name.hasSuffix(".mustache") {
            do {
                try library.register(String(decoding: data, as: UTF8.self), named: String(name.dropLast(".mustache".count)))
            } catch {
                preconditionFailure("template \(name) does not parse: \(error)")
            }
        }
        return WebResources(assets: assets, templates: library)
    }

    private static func files(in folder: String) -> [(String, Data)] {
        guard let base = Bundle.module.resourceURL?.appendingPathComponent(folder),
            let names = try? FileManager.default.contentsOfDirectory(atPath: base.path)
        else { return [] }
        return names.sorted().compactMap { name in
            FileManager.default.contents(atPath: base.appendingPathComponent(name).path).map { (name, $0) }
        }
    }

    /// Renders `template` with `values` as an HTML page (no caching, no framing by other sites).
    func page(_ template: String, _ values: [String: Any], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let html = templates.render(values, withTemplate: template) ?? "template \(template) is missing"
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.cacheControl] = "no-store"
        fields[HTTPField.Name("X-Frame-Options")!] = "DENY"
        fields[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        fields[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'self'; img-src 'self' data: blob: https: http:; connect-src 'self' ws: wss:; frame-ancestors 'none'"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// `GET /assets/{name}`: an hour of caching plus ETag revalidation.
    func assetResponse(_ name: String, request: Request) -> Response {
        guard let asset = assets[name] else { return Response(status: .notFound) }
        var headers: HTTPFields = [
            .contentType: asset.contentType, .cacheControl: "public, max-age=3600", .eTag: asset.etag,
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        ]
        if request.headers[.ifNoneMatch] == asset.etag { return Response(status: .notModified, headers: headers) }
        headers[.contentLength] = String(asset.bytes.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }
}
