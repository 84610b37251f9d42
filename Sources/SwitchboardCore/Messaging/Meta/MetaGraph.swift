/// Rules shared by Meta's Graph API products (WhatsApp Cloud API and the Messenger Platform):
/// the API version, the error body, and how an answer becomes a `SendOutcome` or a connectivity
/// state. Pure: callers do the HTTP and hand the results in.
public enum MetaGraph {
    /// The Graph API version every call uses, in one place. v23.0 (May 2025) is supported by Meta
    /// until mid-2027; the reference (providers.md §9) shows v23.0/v24.0 in current use.
    public static let version = "v23.0"
    /// Where Graph lives unless the configuration points an adapter elsewhere.
    public static let defaultBaseURL = "https://graph.facebook.com"

    /// `{"error":{"message","type","code","error_subcode","error_data":{"details"},"fbtrace_id"}}`
    /// (providers.md §9 and §10, [C]).
    public struct GraphError: Sendable, Equatable {
        public var code: Int64
        public var subcode: Int64?
        public var message: String
        public var details: String

        public init(code: Int64, subcode: Int64? = nil, message: String = "", details: String = "") {
            self.code = code
            self.subcode = subcode
            self.message = message
            self.details = details
        }

        /// The provider's words for `send_error_msg`: `code: message[: details]`.
        public var text: String {
            [String(code), message, details].filter { !$0.isEmpty }.joined(separator: ": ")
        }
    }

    /// Reads Graph's error body, or nil when the body is not that shape.
    public static func error(_ body: JSONValue?) -> GraphError? {
        guard let error = body?["error"], error.objectValue != nil else { return nil }
        return GraphError(
            code: integer(error["code"]) ?? 0, subcode: integer(error["error_subcode"]),
            message: error["message"]?.stringValue ?? error["title"]?.stringValue ?? "",
            details: error["error_data"]?["details"]?.stringValue ?? "")
    }

    /// An integer given as a JSON number or numeric string (Graph uses both).
    public static func integer(_ value: JSONValue?) -> Int64? {
        switch value {
        case .int(let number)?: number
        case .double(let number)?: Int64(exactly: number)
        case .string(let text)?: Int64(text)
        default: nil
        }
    }

    /// What a failed Graph call means for the message.
    public enum Disposition: Sendable, Equatable {
        case retry(SendErrorKind)
        case fail(SendErrorKind)
    }

    /// Classifies a Graph answer to a send. `status` is nil when no answer came; `messageID` is the
    /// id the success body carried (the caller knows where each product puts it); `classify` maps
    /// the product's own error codes and returns nil for codes it does not know.
    public static func sendOutcome(
        status: Int?, body: JSONValue?, rawBody: String, messageID: String?, retryAfter: Int64?,
        classify: (GraphError) -> Disposition?
    ) -> SendOutcome {
        guard let status else { return .retry(SendFailure(.requestFail, "no answer from Graph"), retryAfter: nil) }
        let graphError = error(body)
        let detail = graphError?.text ?? String(rawBody.prefix(500))
        if (200..<300).contains(status), graphError == nil {
            if let messageID, !messageID.isEmpty { return .accepted(providerMessageID: messageID) }
            return .failed(SendFailure(.sendFail, detail.isEmpty ? "no message id in Graph's answer" : detail))
        }
        let disposition: Disposition
        if let graphError, let known = classify(graphError) ?? commonDisposition(graphError) {
            disposition = known
        } else if status == 401 {
            disposition = .fail(.authFail)
        } else if status == 429 {
            disposition = .retry(.tooManyRequest)
        } else if status >= 500 {
            disposition = .retry(.serviceError)
        } else if status == 404 {
            disposition = .fail(.resourceNotFound)
        } else {
            disposition = .fail(.sendFail)
        }
        switch disposition {
        case .retry(let kind): return .retry(SendFailure(kind, detail), retryAfter: retryAfter)
        case .fail(let kind): return .failed(SendFailure(kind, detail))
        }
    }

    /// Codes every Graph product shares (Graph API error-handling page; providers.md §9/§10).
    static func commonDisposition(_ error: GraphError) -> Disposition? {
        switch error.code {
        case 1, 2: .retry(.serviceError)  // API unknown / service temporarily unavailable
        case 4, 17, 32, 613, 80006, 80007: .retry(.tooManyRequest)  // app, user, page and business-use-case rate limits
        case 102, 190: .fail(.authFail)  // session / access token invalid or expired
        case 3, 10, 200...299: .fail(.authFail)  // capability and permission errors
        case 100: .fail(.invalidParam)
        case 368: .fail(.sendFail)  // temporarily blocked for policy violations
        default: nil
        }
    }

    /// Classifies the answer to a credentials check (`GET /{version}/{phone_number_id}` or `/me`).
    public static func connectivity(status: Int?, body: JSONValue?) -> ChannelConnectivity {
        guard let status else { return .requestFailed }
        if (200..<300).contains(status) { return .connected }
        let graphError = error(body)
        // 100/33: "object does not exist, cannot be loaded due to missing permissions" — a wrong
        // phone_number_id or a token without access to it.
        if status == 401 || status == 403 || [102, 190, 3, 10].contains(graphError?.code ?? 0)
            || (200...299).contains(graphError?.code ?? 0) || (graphError?.code == 100 && graphError?.subcode == 33)
        {
            return .unauthorized
        }
        if status >= 500 { return .serviceUnavailable }
        return graphError == nil ? .requestFailed : .unknown
    }

    /// The webhook handshake of the Graph webhooks getting-started page ([C]): `hub.mode=subscribe`
    /// and a `hub.verify_token` equal to the channel's token answer `hub.challenge`. `tokensEqual`
    /// is the caller's constant-time comparison. Nil means refuse (403).
    public static func handshakeChallenge(
        query: [String: String], verifyToken: String, tokensEqual: (String, String) -> Bool
    ) -> String? {
        guard query["hub.mode"] == "subscribe", !verifyToken.isEmpty, let given = query["hub.verify_token"],
            tokensEqual(given, verifyToken), let challenge = query["hub.challenge"]
        else { return nil }
        return challenge
    }

    /// The lowercased extension of a public link's file name ("" when none). Links served by this
    /// hub carry the original file name, so the extension is the best evidence of a file's kind
    /// the send has (`OutboundRequest` carries links only).
    public static func fileExtension(ofURL url: String) -> String {
        let path = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return "" }
        return path[path.index(after: dot)...].lowercased()
    }
}
