/// Twilio Programmable Messaging's wire rules (reference §1): the `X-Twilio-Signature` base
/// string, the error-code table, status-callback states and the inbound form fields.
public enum TwilioWire {
    /// The text Twilio signs: the full URL, then for each POST parameter name in sorted order and
    /// each of its distinct values in sorted order, `name + value` with no separators. Sorting is by
    /// code point, as the official SDK's `sorted()` does ([C] twilio-python `request_validator.py`).
    public static func signatureBase(url: String, params: [(String, String)]) -> String {
        func precedes(_ a: String, _ b: String) -> Bool { Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) }
        var byName: [String: Set<String>] = [:]
        for (name, value) in params { byName[name, default: []].insert(value) }
        var base = url
        for name in byName.keys.sorted(by: precedes) {
            for value in byName[name]!.sorted(by: precedes) { base += name + value }
        }
        return base
    }

    /// The URL forms the SDK validator accepts: as given, without an explicit port, and with the
    /// scheme's default port added — Twilio is inconsistent about ports when it signs ([C] SDK).
    public static func signatureURLVariants(_ url: String) -> [String] {
        let chars = Array(url)
        guard let colon = chars.firstIndex(of: ":"), colon + 2 < chars.count, chars[colon + 1] == "/", chars[colon + 2] == "/" else {
            return [url]
        }
        let scheme = String(chars[..<colon]).lowercased()
        let authorityStart = colon + 3
        let authorityEnd = chars[authorityStart...].firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? chars.count
        let authority = chars[authorityStart..<authorityEnd]
        var host = authority
        if let portColon = authority.lastIndex(of: ":"), authority.last != "]" { host = authority[..<portColon] }
        let prefix = String(chars[..<authorityStart])
        let hostText = String(host)
        let tail = String(chars[authorityEnd...])
        let port = scheme == "https" ? "443" : "80"
        var variants = [url]
        for candidate in [prefix + hostText + tail, prefix + hostText + ":" + port + tail] where !variants.contains(candidate) {
            variants.append(candidate)
        }
        return variants
    }

    /// The `send_error` a Twilio error code stands for, or nil when the code is not in the table.
    /// Sources: 20003, 20404, 21211 [S] (reference §1); 20429, 21611, 30001, 63016, 63017 [C];
    /// the rest [U], from Twilio's public error dictionary as remembered, not re-read.
    public static func kind(forCode code: Int64) -> SendErrorKind? {
        switch code {
        case 20003, 30002: .authFail
        case 20404: .resourceNotFound
        case 20429, 21611, 30001, 63017: .tooManyRequest
        case 21211, 21614, 30005, 30006: .invalidPhoneNumber
        case 21212, 21606, 21659: .invalidDIDNumber
        case 21602, 21604, 21620, 21623: .invalidParam
        case 21617: .messageTooLong
        case 11751, 30019: .exceedsSizeLimit
        case 63016: .exceedsTimeLimit
        case 30008: .unknownError
        case 21408, 21610, 30003, 30004, 30007: .sendFail
        default: nil
        }
    }

    /// Classifies the answer to `POST …/Messages.json`: 201 (or 200) with a `sid` is accepted;
    /// an error body `{"code","message","more_info","status"}` is classified by its code, else by
    /// HTTP status.
    public static func sendOutcome(status: Int?, body: JSONValue?, rawBody: String, retryAfter: Int64? = nil) -> SendOutcome {
        if let status, (200...299).contains(status), let sid = body?["sid"]?.stringValue, !sid.isEmpty {
            return .accepted(providerMessageID: sid)
        }
        let code: Int64? = if case .int(let value)? = body?["code"] { value } else { nil }
        let detail = [code.map(String.init), body?["message"]?.stringValue].compactMap { $0 }.joined(separator: ": ")
        let text = detail.isEmpty ? String(rawBody.prefix(500)) : detail
        if let status, (200...299).contains(status) { return .failed(SendFailure(.sendFail, "no sid in the answer")) }
        if let code, let kind = kind(forCode: code) { return CarrierWire.outcome(kind, text, retryAfter: retryAfter) }
        return CarrierWire.fallbackOutcome(status: status, detail: text, retryAfter: retryAfter)
    }

    /// A status callback's report, or nil for states that change nothing (`queued`, `accepted`,
    /// `sending`, `scheduled`) — Twilio's lifecycle is queued → sending → sent → delivered /
    /// undelivered / failed, plus `read` on WhatsApp ([C] reference §1).
    public static func report(_ form: [(String, String)]) -> DeliveryReport? {
        guard let sid = CarrierWire.field(form, "MessageSid") ?? CarrierWire.field(form, "SmsSid"), !sid.isEmpty,
            let status = CarrierWire.field(form, "MessageStatus") ?? CarrierWire.field(form, "SmsStatus")
        else { return nil }
        switch status {
        case "sent": return DeliveryReport(providerMessageID: sid, state: .sent)
        case "delivered": return DeliveryReport(providerMessageID: sid, state: .delivered)
        case "read": return DeliveryReport(providerMessageID: sid, state: .read)
        case "failed", "undelivered", "canceled":
            let code = CarrierWire.field(form, "ErrorCode").flatMap { Int64($0) }
            let message = CarrierWire.field(form, "ErrorMessage") ?? status
            let failureKind = code.flatMap { Self.kind(forCode: $0) } ?? .sendFail
            let detail = code.map { "\($0): \(message)" } ?? message
            return DeliveryReport(providerMessageID: sid, state: .failed(SendFailure(failureKind, detail)))
        default: return nil
        }
    }

    /// Whether a form webhook is a status callback rather than an incoming message: it carries
    /// `MessageStatus` with an outbound state (an incoming message says `SmsStatus=received`).
    public static func isStatusCallback(_ form: [(String, String)]) -> Bool {
        guard let status = CarrierWire.field(form, "MessageStatus") ?? CarrierWire.field(form, "SmsStatus") else { return false }
        return status != "received"
    }

    /// Reads an incoming message (`MessageSid`, `From`, `To`, `Body`, `NumMedia`, `MediaUrl{N}`,
    /// `MediaContentType{N}`). Twilio sends no timestamp, so `now` is the received time ([C]).
    public static func inbound(_ form: [(String, String)], now: Int64) throws(InboundRejection) -> InboundMessage {
        guard let sid = CarrierWire.field(form, "MessageSid") ?? CarrierWire.field(form, "SmsSid"), !sid.isEmpty else {
            throw InboundRejection("MessageSid is required")
        }
        guard let from = CarrierWire.field(form, "From"), !from.isEmpty else { throw InboundRejection("From is required") }
        guard let to = CarrierWire.field(form, "To"), !to.isEmpty else { throw InboundRejection("To is required") }
        let count = CarrierWire.field(form, "NumMedia").flatMap { Int($0) } ?? 0
        var media: [MediaReference] = []
        for index in 0..<min(max(count, 0), 20) {
            guard let url = CarrierWire.field(form, "MediaUrl\(index)"), !url.isEmpty else { throw InboundRejection("MediaUrl\(index) is missing") }
            media.append(MediaReference(url: url, contentType: CarrierWire.field(form, "MediaContentType\(index)")))
        }
        let body = CarrierWire.field(form, "Body") ?? ""
        guard !body.isEmpty || !media.isEmpty else { throw InboundRejection("Body or media is required") }
        return InboundMessage(providerMessageID: sid, from: CarrierWire.e164(from), to: CarrierWire.e164(to), text: body, media: media, receivedAt: now)
    }
}
