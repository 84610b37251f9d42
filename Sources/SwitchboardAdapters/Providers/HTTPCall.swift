import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SwitchboardCore

/// A provider HTTP call's answer: status (nil when none came), body text and JSON when it parses.
public struct HTTPAnswer: Sendable {
    public var status: Int?
    public var body: String
    public var json: JSONValue?
    public var headers: HTTPHeaders

    static let none = HTTPAnswer(status: nil, body: "", json: nil, headers: [:])

    /// `Retry-After` in seconds, when given as a number.
    public var retryAfter: Int64? { headers.first(name: "Retry-After").flatMap { Int64($0) } }
}

/// Makes one provider request with a timeout; never throws — transport failures come back as `status: nil`.
public func callProvider(
    _ http: HTTPClient, method: HTTPMethod, url: String, headers: HTTPHeaders, body: [UInt8]? = nil,
    timeout: TimeAmount = .seconds(30), maxBody: Int = 1 << 20
) async -> HTTPAnswer {
    var request = HTTPClientRequest(url: url)
    request.method = method
    request.headers = headers
    if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
    do {
        let response = try await http.execute(request, timeout: timeout)
        let buffer = try await response.body.collect(upTo: maxBody)
        let text = String(buffer: buffer)
        let json = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        return HTTPAnswer(status: Int(response.status.code), body: text, json: json, headers: response.headers)
    } catch {
        return .none
    }
}

/// `application/x-www-form-urlencoded` encoding of pairs (repeated keys allowed).
public func formEncode(_ pairs: [(String, String)]) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
    return pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
}

/// Parses `application/x-www-form-urlencoded` into pairs in order.
public func formDecode(_ text: String) -> [(String, String)] {
    text.split(separator: "&", omittingEmptySubsequences: true).map { part in
        let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        func decode(_ s: Substring) -> String {
            String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
        }
        return (decode(pieces[0]), pieces.count > 1 ? decode(pieces[1]) : "")
    }
}
