/// Rules every SMS carrier adapter shares: number formats and the HTTP-status fallbacks of a send.
public enum CarrierWire {
    /// A carrier's number as our E.164 (`+` and digits), the form channel numbers are stored in.
    /// Digits-only carriers (Flowroute, SIPTRUNK, Skyetel, VoiceMeUp, Apidaze) send 11-digit NANP
    /// numbers; a bare 10-digit number is taken as NANP and gets `+1` [U: none of them documents
    /// sending 10 digits, this only guards against it]. Anything else (alphanumeric senders,
    /// short codes) is returned as given.
    public static func e164(_ number: String) -> String {
        let trimmed = number.trimmingSpaces
        if trimmed.hasPrefix("+") { return trimmed }
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) else { return trimmed }
        if trimmed.count == 10 { return "+1" + trimmed }
        return trimmed.count >= 11 ? "+" + trimmed : trimmed
    }

    /// Our E.164 number as digits only, for carriers that reject the `+`.
    public static func digits(_ number: String) -> String {
        number.hasPrefix("+") ? String(number.dropFirst()) : number
    }

    /// What an answer that the carrier's own error table did not classify comes to, from the HTTP
    /// status alone: no answer and 5xx are worth retrying, 429 is throttling, 401/403 are
    /// authentication, 404 a missing resource, any other 4xx a refused send.
    public static func fallbackOutcome(status: Int?, detail: String, retryAfter: Int64? = nil) -> SendOutcome {
        guard let status else { return .retry(SendFailure(.requestFail, detail.isEmpty ? "no answer from the provider" : detail), retryAfter: nil) }
        switch status {
        case 429: return .retry(SendFailure(.tooManyRequest, detail), retryAfter: retryAfter)
        case 401, 403: return .failed(SendFailure(.authFail, detail))
        case 404: return .failed(SendFailure(.resourceNotFound, detail))
        case 413: return .failed(SendFailure(.exceedsSizeLimit, detail))
        case 415: return .failed(SendFailure(.unsupportedMediaType, detail))
        case 503: return .retry(SendFailure(.serviceUnavailable, detail), retryAfter: retryAfter)
        case 500...599: return .retry(SendFailure(.serviceError, detail), retryAfter: retryAfter)
        default: return .failed(SendFailure(.sendFail, detail))
        }
    }

    /// Wraps a carrier's classified kind into an outcome: throttling is retried, the rest is final.
    public static func outcome(_ kind: SendErrorKind, _ detail: String, retryAfter: Int64? = nil) -> SendOutcome {
        switch kind {
        case .tooManyRequest, .serviceUnavailable, .serviceError, .requestFail:
            .retry(SendFailure(kind, detail), retryAfter: retryAfter)
        default:
            .failed(SendFailure(kind, detail))
        }
    }

    /// A JSON member as text whether the carrier sent it as a string or a number.
    public static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: text
        case .int(let number)?: String(number)
        case .double(let number)?: String(number)
        case .bool(let flag)?: String(flag)
        default: nil
        }
    }

    /// First value of `key` in form pairs.
    public static func field(_ pairs: [(String, String)], _ key: String) -> String? {
        pairs.first(where: { $0.0 == key })?.1
    }
}

extension CarrierWire {
    /// A credentials check's answer as the channel's connection state: 2xx connected; 401/403/404
    /// unauthorized; 5xx the provider unavailable; no answer a failed request; anything else unknown.
    public static func connectivity(status: Int?) -> ChannelConnectivity {
        guard let status else { return .requestFailed }
        switch status {
        case 200...299: return .connected
        case 401, 403, 404: return .unauthorized
        case 500...599: return .serviceUnavailable
        default: return .unknown
        }
    }
}
