import Foundation
import Hummingbird
import NIOCore
import SwitchboardCore

/// Reads a `multipart/form-data` request of at most `limit` bytes of content: a larger body is
/// `40004 FILE SIZE EXCEEDED` before anything is parsed or stored.
enum MultipartUpload {
    /// Room for part headers and boundaries on top of the content limit.
    static let overhead = 64 << 10

    static func read(_ request: Request, limit: Int, field: String) async throws -> MultipartForm {
        guard let contentType = request.headers[.contentType], let boundary = MultipartForm.boundary(of: contentType) else {
            throw APIError.invalid(field, "required", detail: "the body must be multipart/form-data")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: limit + overhead)
        } catch {
            throw APIError(.fileSizeExceeded, detail: "the upload exceeds \(limit) bytes")
        }
        guard let form = MultipartForm(Array(body.readableBytesView), boundary: boundary) else {
            throw APIError(.parameterSyntaxError, detail: "the multipart body does not parse")
        }
        return form
    }
}

/// `POST message/batchupload` (reference §5.2): every `files` part is stored (100 MB in all) and
/// answered as a `list` of File_Info, kept 72 hours.
struct BatchUpload {
    static let maxBytes = 100 << 20
    let files: FileStore

    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let form = try await MultipartUpload.read(request, limit: Self.maxBytes, field: "files")
        let parts = form.parts(named: "files")
        guard !parts.isEmpty else { throw APIError.invalid("files", "required") }
        guard parts.reduce(0, { $0 + $1.body.count }) <= Self.maxBytes else {
            throw APIError(.fileSizeExceeded, detail: "the files exceed \(Self.maxBytes) bytes in total")
        }
        var list: [JSONValue] = []
        for part in parts {
            let stored = try await files.save(Array(part.body), name: part.fileName ?? "file", contentType: part.contentType)
            list.append(stored.json)
        }
        return .success(["list": .array(list)])
    }
}

/// `POST message_campaign/import` (ours): a recipient CSV (part `file`, UTF-8, a `Number` column,
/// under 50 MB, file name under 127 characters) read into `number_list`, with each rejected row
/// in `rejected_list` (`line`, `value`, `reason`). With `id`, the numbers become that unsent
/// campaign's recipients (`recipient_type` input).
struct CampaignImport {
    let database: Database
    let clock: any WallClock

    @Sendable func importCSV(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var query = request.queryReader
        let campaignID = query.id("id")
        try query.finish()
        let form = try await MultipartUpload.read(request, limit: RecipientCSV.maxBytes, field: "file")
        guard let part = form.parts(named: "file").first ?? form.parts(named: "files").first else {
            throw APIError.invalid("file", "required")
        }
        guard part.body.count < RecipientCSV.maxBytes else { throw APIError(.fileSizeExceeded, detail: "the CSV file must be under 50 MB") }
        if let name = part.fileName {
            let base = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? name
            if base.count >= RecipientCSV.maxFileNameLength {
                throw APIError.invalid("file", "max_length", detail: "the file name must be under 127 characters")
            }
        }
        let result: RecipientCSV.Result
        do {
            result = try RecipientCSV.parse(Array(part.body))
        } catch .notUTF8 {
            throw APIError.invalid("file", "invalid_format", detail: "the file must be UTF-8 text")
        } catch .noNumberColumn {
            throw APIError.invalid("file", "invalid_format", detail: "the first row must name a Number column")
        }
        guard result.numbers.count <= CampaignLimits.maxRecipients else {
            throw APIError(.maxLimitationExceeded, detail: "at most \(CampaignLimits.maxRecipients) recipients per campaign")
        }
        if let campaignID {
            let now = clock.now()
            try await database.transaction { db in
                var merged = try await CampaignStore.requestObject(db, id: campaignID)
                merged["recipient_type"] = "input"
                merged["recipient_id"] = nil
                merged["recipient_num_type"] = nil
                merged["number_list"] = .array(result.numbers.map { ["number": .string($0)] })
                let campaign = try CampaignRequest.read(merged, parseJSON: SocketLoop.decodeJSON)
                try await CampaignStore.update(db, id: campaignID, campaign, now: now)
            }
        }
        return .success([
            "total_number": .integer(result.numbers.count),
            "number_list": .array(result.numbers.map { ["number": .string($0)] }),
            "rejected_list": .array(result.rejected.map(\.json)),
        ])
    }
}
