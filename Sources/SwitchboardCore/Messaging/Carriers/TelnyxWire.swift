/// Telnyx Messaging API v2's wire rules (reference §2): what the Ed25519 webhook signature
/// covers, its 300-second window, the error-code table, and the `message.*` webhook events.
public enum TelnyxWire {
    /// Largest accepted distance between `telnyx-timestamp` and now, in seconds ([C] official SDK).
    public static let timestampTolerance: Int64 = 300

    /// The bytes Telnyx signs: `{telnyx-timestamp}|{raw body}` ([C] telnyx-python `webhook_verification.py`).
    public static func signedPayload(timestamp: String, body: [UInt8]) -> [UInt8] {
        Array((timestamp + "|").utf8) + body
    }

    /// Whether `timestamp` (Unix seconds, as the header carries it) is within the window around `now`.
    public static func isFresh(timestamp: String, now: Int64) -> Bool {
        guard let seconds = Int64(timestamp.trimmingSpaces) else { return false }
        return abs(now - seconds) <= timestampTolerance
    }

    /// The `send_error` of an API error code ([C] Telnyx "API errors" page: 10001 inactive number,
    /// 10002 invalid number, 10004 missing parameter, 10005 not found, 10009 authentication failed,
    /// 10010 authorization failed, 10011 too many requests, 10015 bad request, 10016 not +E.164).
    public static func kind(forCode code: String) -> SendErrorKind? {
        switch code {
        case "10001": .invalidDIDNumber
        case "10002", "10016": .invalidPhoneNumber
        case "10004", "10015": .invalidParam
        case "10005": .resourceNotFound
        case "10009", "10010": .authFail
        case "10011": .tooManyRequest
        default: nil
        }
    }

    /// `errors[0]` as `code: title: detail`, and its code.
    static func firstError(_ errors: JSONValue?) -> (code: String, text: String)? {
        guard let first = errors?.arrayValue?.first else { return nil }
        let code = CarrierWire.text(first["code"]) ?? ""
        let text = [code, first["title"]?.stringValue ?? "", first["detail"]?.stringValue ?? ""].filter { !$0.isEmpty }.joined(separator: ": ")
        return (code, text)
    }

    /// Classifies the answer to `POST /v2/messages`: 200 with `data.id` is accepted; the error body
    /// `{"errors":[{"code","title","detail"}]}` is classified by code, else by HTTP status.
    public static func sendOutcome(status: Int?, body: JSONValue?, rawBody: String, retryAfter: Int64? = nil) -> SendOutcome {
        if let status, (200...299).contains(status), let id = CarrierWire.text(body?["data"]?["id"]), !id.isEmpty {
            return .accepted(providerMessageID: id)
        }
        let error = firstError(body?["errors"])
        let detail = error?.text ?? String(rawBody.prefix(500))
        if let status, (200...299).contains(status) { return .failed(SendFailure(.sendFail, "no data.id in the answer")) }
        if let code = error?.code, let kind = kind(forCode: code) { return CarrierWire.outcome(kind, detail, retryAfter: retryAfter) }
        return CarrierWire.fallbackOutcome(status: status, detail: detail, retryAfter: retryAfter)
    }

    /// A recipient status of `message.sent` / `message.finalized` as a report state; nil for
    /// in-flight states. [U] The status list (`queued`, `sending`, `sent`, `delivered`,
    /// `sending_failed`, `delivery_failed`, `delivery_unconfirmed`) is not confirmed.
    public static func state(status: String, errors: JSONValue?) -> DeliveryReport.State? {
        switch status {
        case "sent", "delivery_unconfirmed": return .sent
        case "delivered": return .delivered
        case "sending_failed", "delivery_failed", "failed":
            let error = firstError(errors)
            let failureKind: SendErrorKind = error.flatMap { Self.kind(forCode: $0.code) } ?? .sendFail
            return .failed(SendFailure(failureKind, error?.text ?? status))
        default: return nil
        }
    }

    /// Reads a webhook: `message.received` gives a message, `message.sent`/`message.finalized` a
    /// report; any other event is acknowledged and ignored.
    public static func events(_ body: JSONValue) throws(InboundRejection) -> (messages: [InboundMessage], reports: [DeliveryReport]) {
        guard let data = body["data"]?.objectValue else { throw InboundRejection("data is required") }
        guard let event = data["event_type"]?.stringValue else { throw InboundRejection("data.event_type is required") }
        guard let payload = data["payload"] else { throw InboundRejection("data.payload is required") }
        guard ["message.received", "message.sent", "message.finalized"].contains(event) else { return ([], []) }
        guard let id = CarrierWire.text(payload["id"]), !id.isEmpty else { throw InboundRejection("data.payload.id is required") }
        switch event {
        case "message.received":
            guard let from = payload["from"]?["phone_number"]?.stringValue, !from.isEmpty else {
                throw InboundRejection("data.payload.from.phone_number is required")
            }
            let toValue = payload["to"]?.arrayValue?.first ?? payload["to"]
            guard let to = toValue?["phone_number"]?.stringValue ?? toValue?.stringValue, !to.isEmpty else {
                throw InboundRejection("data.payload.to[0].phone_number is required")
            }
            let media = (payload["media"]?.arrayValue ?? []).compactMap { item -> MediaReference? in
                guard let url = item["url"]?.stringValue, !url.isEmpty else { return nil }
                let size: Int64? = if case .int(let value)? = item["size"] { value } else { nil }
                return MediaReference(url: url, contentType: item["content_type"]?.stringValue, size: size)
            }
            let text = payload["text"]?.stringValue ?? ""
            guard !text.isEmpty || !media.isEmpty else { throw InboundRejection("data.payload.text or media is required") }
            // [U] payload.received_at; data.occurred_at is confirmed, so it is the fallback.
            let time = (payload["received_at"]?.stringValue).flatMap(ISO8601.parse) ?? (data["occurred_at"]?.stringValue).flatMap(ISO8601.parse)
            guard let time else { throw InboundRejection("data.occurred_at must be an ISO 8601 time") }
            let message = InboundMessage(providerMessageID: id, from: CarrierWire.e164(from), to: CarrierWire.e164(to), text: text, media: media, receivedAt: time)
            return ([message], [])
        case "message.sent", "message.finalized":
            let recipient = payload["to"]?.arrayValue?.first
            guard let status = recipient?["status"]?.stringValue else { throw InboundRejection("data.payload.to[0].status is required") }
            guard let state = state(status: status, errors: payload["errors"]) else { return ([], []) }
            return ([], [DeliveryReport(providerMessageID: id, state: state)])
        default:
            return ([], [])
        }
    }
}
