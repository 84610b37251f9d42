/// Bandwidth Messaging API v2's wire rules (reference §3): the send answer, error bodies and the
/// JSON array of callbacks (inbound messages and delivery status in one shape).
public enum BandwidthWire {
    /// The `send_error` of a `fieldErrors[].fieldName` in a 400 answer ([C] error shape; the
    /// field-to-kind choice is ours).
    public static func kind(forField field: String, description: String) -> SendErrorKind {
        switch field {
        case "to": .invalidPhoneNumber
        case "from": .invalidDIDNumber
        case "text" where description.lowercased().contains("length") || description.lowercased().contains("long"): .messageTooLong
        default: .invalidParam
        }
    }

    /// Classifies the answer to `POST /api/v2/users/{accountId}/messages`: 202 with the message's
    /// `id` is accepted ([C]); `{"type","description","fieldErrors":[{"fieldName","description"}]}`
    /// otherwise ([C] shape; [U] the set of statuses 400/401/403/415/429).
    public static func sendOutcome(status: Int?, body: JSONValue?, rawBody: String, retryAfter: Int64? = nil) -> SendOutcome {
        if let status, (200...299).contains(status), let id = CarrierWire.text(body?["id"]), !id.isEmpty {
            return .accepted(providerMessageID: id)
        }
        let fieldError = body?["fieldErrors"]?.arrayValue?.first
        let detail = [body?["type"]?.stringValue, body?["description"]?.stringValue, fieldError?["fieldName"]?.stringValue,
                      fieldError?["description"]?.stringValue].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        let text = detail.isEmpty ? String(rawBody.prefix(500)) : detail
        if let status, (200...299).contains(status) { return .failed(SendFailure(.sendFail, "no id in the answer")) }
        if status == 400 {
            if let field = fieldError?["fieldName"]?.stringValue {
                return .failed(SendFailure(kind(forField: field, description: fieldError?["description"]?.stringValue ?? ""), text))
            }
            return .failed(SendFailure(.invalidParam, text))
        }
        return CarrierWire.fallbackOutcome(status: status, detail: text, retryAfter: retryAfter)
    }

    /// The `send_error` of a `message-failed` callback's `errorCode`. [U] Bandwidth's code list
    /// was not captured; these are the commonly seen ones (4720/4721 invalid or deactivated
    /// destination, 4405 unsupported content type, 9902/9999 unknown). Anything else is `send_fail`.
    public static func kind(forErrorCode code: Int64) -> SendErrorKind {
        switch code {
        case 4720, 4721: .invalidPhoneNumber
        case 4405: .unsupportedMediaType
        case 9902, 9999: .unknownError
        default: .sendFail
        }
    }

    /// Reads a callback body: always a JSON array ([C]). `message-received` events become messages
    /// (our number is the event's `to`, the owner of that copy); `message-sending`,
    /// `message-delivered`, `message-failed` and `message-read` become reports.
    public static func callbacks(_ body: JSONValue) throws(InboundRejection) -> (messages: [InboundMessage], reports: [DeliveryReport]) {
        guard let events = body.arrayValue else { throw InboundRejection("the body must be a JSON array of callbacks") }
        var messages: [InboundMessage] = []
        var reports: [DeliveryReport] = []
        for event in events {
            guard let type = event["type"]?.stringValue else { throw InboundRejection("type is required") }
            guard let message = event["message"], let id = CarrierWire.text(message["id"]), !id.isEmpty else {
                throw InboundRejection("message.id is required")
            }
            switch type {
            case "message-received":
                guard let from = message["from"]?.stringValue, !from.isEmpty else { throw InboundRejection("message.from is required") }
                guard let to = event["to"]?.stringValue ?? message["owner"]?.stringValue, !to.isEmpty else { throw InboundRejection("to is required") }
                // [U] MMS carry a SMIL/XML layout part next to the real media; it is not a file for the agent.
                let media = (message["media"]?.arrayValue ?? []).compactMap(\.stringValue)
                    .filter { !$0.lowercased().hasSuffix(".smil") && !$0.lowercased().hasSuffix(".xml") }
                    .map { MediaReference(url: $0) }
                let text = message["text"]?.stringValue ?? ""
                guard !text.isEmpty || !media.isEmpty else { throw InboundRejection("message.text or message.media is required") }
                let time = (message["time"]?.stringValue ?? event["time"]?.stringValue).flatMap(ISO8601.parse)
                guard let time else { throw InboundRejection("time must be an ISO 8601 time") }
                messages.append(InboundMessage(
                    providerMessageID: id, from: CarrierWire.e164(from), to: CarrierWire.e164(to), text: text, media: media, receivedAt: time))
            case "message-sending": reports.append(DeliveryReport(providerMessageID: id, state: .sent))
            case "message-delivered": reports.append(DeliveryReport(providerMessageID: id, state: .delivered))
            case "message-read": reports.append(DeliveryReport(providerMessageID: id, state: .read))
            case "message-failed":
                let code: Int64? = if case .int(let value)? = event["errorCode"] { value } else { CarrierWire.text(event["errorCode"]).flatMap { Int64($0) } }
                let description = event["description"]?.stringValue ?? "message-failed"
                let failure = SendFailure(code.map(kind(forErrorCode:)) ?? .sendFail, code.map { "\($0): \(description)" } ?? description)
                reports.append(DeliveryReport(providerMessageID: id, state: .failed(failure)))
            default:
                continue
            }
        }
        return (messages, reports)
    }
}
