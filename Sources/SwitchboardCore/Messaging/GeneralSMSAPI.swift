/// The rules of the custom "General" SMS API (seed 003, lines 2090–2857), which General, Athena,
/// IXICA and Vetta channels speak. Pure: callers do the HTTP and hand the results in.
public enum GeneralSMSAPI {
    /// One `errors[]` entry of the provider's error body.
    public struct ProviderError: Sendable, Equatable {
        public var code: String
        public var title: String
        public var detail: String

        public init(code: String, title: String = "", detail: String = "") {
            self.code = code
            self.title = title
            self.detail = detail
        }

        public var text: String {
            [code, title, detail].filter { !$0.isEmpty }.joined(separator: ": ")
        }
    }

    /// `{"errors":[{"code","title","detail"}]}`, or nil when the body is not that shape.
    public static func providerErrors(_ body: JSONValue?) -> [ProviderError]? {
        guard let errors = body?["errors"]?.arrayValue else { return nil }
        return errors.compactMap { item in
            guard let object = item.objectValue else { return nil }
            let code: String
            switch object["code"] {
            case .string(let text)?: code = text
            case .int(let number)?: code = String(number)
            default: code = ""
            }
            return ProviderError(code: code, title: object["title"]?.stringValue ?? "", detail: object["detail"]?.stringValue ?? "")
        }
    }

    /// The send_error a PBX error code (10001–10008) stands for.
    public static func kind(forCode code: String) -> SendErrorKind? {
        switch code {
        case "10001": .invalidPhoneNumber
        case "10002": .invalidParam
        case "10003": .unsupportedMediaType
        case "10004", "10005": .authFail
        case "10006": .tooManyRequest
        case "10007": .serviceUnavailable
        case "10008": .exceedsSizeLimit
        default: nil
        }
    }

    /// Classifies the answer to `POST {api_send_url}`. `status` is nil when no HTTP answer came at all.
    /// `body` is the parsed JSON, nil when absent or not JSON; `rawBody` is kept for the agent's prompt.
    public static func sendOutcome(status: Int?, body: JSONValue?, rawBody: String) -> SendOutcome {
        guard let status else { return .retry(SendFailure(.requestFail, "no answer from the provider"), retryAfter: nil) }
        let errors = providerErrors(body) ?? []
        let detail = errors.first?.text ?? String(rawBody.prefix(500))
        if status == 200 {
            if case .string(let id)? = body?["data"]?["id"], !id.isEmpty { return .accepted(providerMessageID: id) }
            if case .int(let id)? = body?["data"]?["id"] { return .accepted(providerMessageID: String(id)) }
            return .failed(SendFailure(.sendFail, detail.isEmpty ? "no data.id in the answer" : detail))
        }
        if status == 401 { return .failed(SendFailure(.authFail, detail)) }
        if status == 403 { return .failed(SendFailure(.serviceUnavailable, detail)) }
        if let kind = errors.lazy.compactMap({ kind(forCode: $0.code) }).first {
            return kind == .tooManyRequest ? .retry(SendFailure(kind, detail), retryAfter: nil) : .failed(SendFailure(kind, detail))
        }
        if status == 404 { return .failed(SendFailure(.resourceNotFound, detail.isEmpty ? "service not found" : detail)) }
        if status == 429 { return .retry(SendFailure(.tooManyRequest, detail), retryAfter: nil) }
        if status >= 500 { return .retry(SendFailure(.serviceError, detail), retryAfter: nil) }
        return .failed(SendFailure(.sendFail, detail))
    }

    /// Classifies the answer to `GET {api_verify_url}?challenge=…`.
    public static func connectivity(status: Int?, rawBody: String?, challenge: String) -> ChannelConnectivity {
        guard let status else { return .requestFailed }
        let body = rawBody ?? ""
        if status == 200 {
            let trimmed = body.trimmingSpaces
            let unquoted = trimmed.count >= 2 && trimmed.hasPrefix("\"") && trimmed.hasSuffix("\"") ? String(trimmed.dropFirst().dropLast()) : trimmed
            return unquoted == challenge ? .connected : .unauthorized
        }
        if [401, 403, 404].contains(status) { return .unauthorized }
        if status == 500 { return .serviceUnavailable }
        return body.isEmpty || !isJSON(body) ? .requestFailed : .unknown
    }

    static func isJSON(_ text: String) -> Bool {
        let first = text.trimmingSpaces.first
        return first == "{" || first == "["
    }
}

/// A channel's connection state as the admin sees it, with Yeastar's `status` values.
public enum ChannelConnectivity: String, Sendable, CaseIterable {
    case connected, unauthorized, serviceUnavailable, unknown, requestFailed

    /// `status` of Msg_Channel.
    public var status: String { self == .connected ? "status_connect_succ" : "status_connect_fail" }

    /// `reason` of Msg_Channel, in seed 003's words ("" when connected).
    public var reason: String {
        switch self {
        case .connected: ""
        case .unauthorized: "Unauthorized"
        case .serviceUnavailable: "Services of the recipient platform are unavailable"
        case .unknown: "Unknown"
        case .requestFailed: "Request Failed"
        }
    }
}
