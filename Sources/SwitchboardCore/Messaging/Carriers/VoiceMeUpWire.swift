/// VoiceMeUp's wire rules (reference §7, all [S]: from the roomkit SDK and PortSIP's guide; no
/// official API reference was retrievable): the `queue_sms` answer and the inbound callback fields.
public enum VoiceMeUpWire {
    /// `response_details.response_messages.message`, an object or an array of `{code, _content}`.
    static func entries(_ body: JSONValue?) -> [(code: String, content: String)] {
        let message = body?["response_details"]?["response_messages"]?["message"]
        let items = message?.arrayValue ?? (message.map { [$0] } ?? [])
        return items.map { (CarrierWire.text($0["code"]) ?? "", CarrierWire.text($0["_content"]) ?? "") }
    }

    /// The `send_error` of an error entry's `code`. [U] VoiceMeUp's codes are not documented; they
    /// are read by their words.
    public static func kind(forCode code: String) -> SendErrorKind {
        let code = code.lowercased()
        if ["auth", "login", "token", "credential", "permission", "access"].contains(where: code.contains) { return .authFail }
        if ["rate", "throttl", "too_many", "limit_exceeded"].contains(where: code.contains) { return .tooManyRequest }
        if code.contains("destination") { return .invalidPhoneNumber }
        if code.contains("source") { return .invalidDIDNumber }
        if code.contains("length") || code.contains("too_long") { return .messageTooLong }
        if code.contains("attachment") || code.contains("media") { return .invalidParam }
        return .sendFail
    }

    /// Classifies the answer to `POST /api/v1.1/json/queue_sms`: `response_status = success` with
    /// the `queued_sms_hash` entry is accepted (its `_content` is the id); `error` is classified by
    /// the first entry's code; no JSON falls back to the HTTP status.
    public static func sendOutcome(status: Int?, body: JSONValue?, rawBody: String) -> SendOutcome {
        let responseStatus = body?["response_details"]?["response_status"]?.stringValue
        let entries = entries(body)
        if responseStatus == "success", let hash = entries.first(where: { $0.code == "queued_sms_hash" })?.content, !hash.isEmpty {
            return .accepted(providerMessageID: hash)
        }
        if let status, (500...599).contains(status) || status == 429 {
            return CarrierWire.fallbackOutcome(status: status, detail: String(rawBody.prefix(500)))
        }
        if let first = entries.first {
            return CarrierWire.outcome(kind(forCode: first.code), [first.code, first.content].filter { !$0.isEmpty }.joined(separator: ": "))
        }
        if let status, (200...299).contains(status) { return .failed(SendFailure(.sendFail, "no queued_sms_hash in the answer")) }
        return CarrierWire.fallbackOutcome(status: status, detail: String(rawBody.prefix(500)))
    }

    /// Whether an attachment is the "metadata wrapper" of an inbound MMS (an `.mms.html` page, or
    /// `text/html` with `.mms.` in the URL) rather than real media ([S] roomkit).
    public static func isMetadataWrapper(url: String, mimeType: String?) -> Bool {
        let lower = url.lowercased()
        return lower.hasSuffix(".mms.html") || (mimeType?.lowercased().hasPrefix("text/html") == true && lower.contains(".mms."))
    }

    /// Reads an inbound callback: `sms_hash` (id), `source_number`, `destination_number` (digits),
    /// `message`, `attachment`/`attachment_url` with `attachment_mime_type`/`attachment_type`,
    /// `datetime_transmission`. An MMS comes as two callbacks ([S]); the first one's wrapper page is
    /// dropped and each callback is stored as its own message (they are not merged).
    public static func inbound(_ fields: [String: JSONValue], now: Int64) throws(InboundRejection) -> InboundMessage {
        guard let id = CarrierInbound.firstText(fields, ["sms_hash"]) else { throw InboundRejection("sms_hash is required") }
        guard let from = CarrierInbound.firstText(fields, ["source_number"]) else { throw InboundRejection("source_number is required") }
        guard let to = CarrierInbound.firstText(fields, ["destination_number"]) else { throw InboundRejection("destination_number is required") }
        var media: [MediaReference] = []
        if let url = CarrierInbound.firstText(fields, ["attachment_url", "attachment"]) {
            let type = CarrierInbound.firstText(fields, ["attachment_mime_type", "attachment_type"])
            if !isMetadataWrapper(url: url, mimeType: type) { media.append(MediaReference(url: url, contentType: type)) }
        }
        let text = CarrierInbound.firstText(fields, ["message"]) ?? ""
        guard !text.isEmpty || !media.isEmpty else { throw InboundRejection("message or attachment is required") }
        // [U] the format of datetime_transmission: ISO 8601 or `YYYY-MM-DD HH:MM:SS` (UTC) is read, else now.
        let time = CarrierInbound.firstText(fields, ["datetime_transmission"]).flatMap(ISO8601.parse) ?? now
        return InboundMessage(providerMessageID: id, from: CarrierWire.e164(from), to: CarrierWire.e164(to), text: text, media: media, receivedAt: time)
    }
}
