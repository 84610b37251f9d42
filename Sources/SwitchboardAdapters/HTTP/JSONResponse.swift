import Foundation
import Hummingbird
import NIOCore
import SwitchboardCore

/// A JSON body with status 200. Yeastar answers every OpenAPI call with 200 and judges success by `errcode`.
public struct JSONResponse: ResponseGenerator, Sendable {
    public var body: JSONValue
    public var status: HTTPResponse.Status

    public init(_ body: JSONValue, status: HTTPResponse.Status = .ok) {
        self.body = body
        self.status = status
    }

    /// `{"errcode":0,"errmsg":"SUCCESS", …members}`.
    public static func success(_ members: JSONObject = [:]) -> JSONResponse {
        JSONResponse(successBody(members))
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(body.serialized())
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: buffer)
        )
    }
}

extension Request {
    /// The JSON object in the body. Anything else — empty, not JSON, not an object — is `40001 PARAMETER SYNTAX ERROR`.
    public mutating func jsonObject(context: some RequestContext, limit: Int = 4 << 20) async throws -> JSONObject {
        let buffer: ByteBuffer
        do {
            buffer = try await collectBody(upTo: limit)
        } catch {
            throw APIError(.fileSizeExceeded, detail: "request body exceeds \(limit) bytes")
        }
        guard buffer.readableBytes > 0,
            let value = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView)),
            case .object(let object) = value
        else {
            throw APIError(.parameterSyntaxError, detail: "the body must be a JSON object")
        }
        return object
    }

    /// The query string as a dictionary (the last value wins for a repeated name).
    public var queryDictionary: [String: String] {
        var result: [String: String] = [:]
        for (key, value) in uri.queryParameters { result[String(key)] = String(value) }
        return result
    }

    /// A reader over the query string, for GET endpoints.
    public var queryReader: FieldReader { FieldReader(query: queryDictionary) }
}
