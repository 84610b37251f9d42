/// Flowroute Messaging API v2.1's wire rules (reference §4), also spoken by SIPTRUNK (see
/// `SIPTrunkProvider`): the send answer, JSON:API error objects, and the inbound message and
/// delivery-receipt webhooks.
public enum FlowrouteWire {
    /// Classifies the answer to `POST /v2.1/messages`: 202 with `data.id` (`mdr2-…`) is accepted
    /// ([C]). Errors come as "an array of error objects" ([C]) whose members are taken to be
    /// JSON:API's `{"errors":[{"id","status","title","detail"}]}` [U]; they are classified by HTTP
    /// status, 400/422 being a parameter the API refused.
    public static func sendOutcome(status: Int?, body: JSONValue?, rawBody: String, retryAfter: Int64? = nil) -> SendOutcome {
        if let status, (200...299).contains(status), let id = CarrierWire.text(body?["data"]?["id"]), !id.isEmpty {
            return .accepted(providerMessageID: id)
        }
        let first = body?["errors"]?.arrayValue?.first
        let detail = [first?["title"]?.stringValue, first?["detail"]?.stringValue].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        let text = detail.isEmpty ? String(rawBody.prefix(500)) : detail
        if let status, (200...299).contains(status) { return .failed(SendFailure(.sendFail, "no data.id in the answer")) }
        if status == 400 || status == 422 { return .failed(SendFailure(.invalidParam, text)) }
        return CarrierWire.fallbackOutcome(status: status, detail: text, retryAfter: retryAfter)
    }

    /// A delivery receipt's `status` as a report state: `delivered`; failures (`undeliverable`,
    /// `rejected`, `expired`, `deleted`, `smsc reject`, `delivery failed`); everything else
    /// (`smsc submit`, `message buffered`, `accepted`, …) only says the carrier has it.
    /// [U] the status vocabulary is not confirmed; the receipt's `status_code_description` is kept.
    public static func state(status: String, code: String, description: String) -> DeliveryReport.State {
        let normalized = status.lowercased()
        if normalized == "delivered" { return .delivered }
        let failed = ["undeliverable", "rejected", "expired", "deleted", "smsc reject", "delivery failed", "failed"]
        if failed.contains(normalized) {
            let detail = [code, description.isEmpty ? status : description].filter { !$0.isEmpty }.joined(separator: ": ")
            return .failed(SendFailure(.sendFail, detail))
        }
        return .sent
    }

    /// Reads a v2.1 webhook: `data.type = "message"` is an inbound SMS/MMS ([C]), with MMS media in
    /// `included[]` objects of `type: "media"` carrying `attributes.url`, `mime_type`, `file_size`
    /// [U member names]; `data.type = "delivery_receipt"` is a DLR on one of ours ([C]).
    /// Numbers are digits only and become E.164. The time is `attributes.timestamp`.
    public static func webhook(_ body: JSONValue) throws(InboundRejection) -> (messages: [InboundMessage], reports: [DeliveryReport]) {
        guard let data = body["data"] else { throw InboundRejection("data is required (is the SMS webhook version v2.1?)") }
        guard let id = CarrierWire.text(data["id"]), !id.isEmpty else { throw InboundRejection("data.id is required") }
        guard let attributes = data["attributes"] else { throw InboundRejection("data.attributes is required") }
        switch data["type"]?.stringValue {
        case "message":
            guard let from = CarrierWire.text(attributes["from"]), !from.isEmpty else { throw InboundRejection("data.attributes.from is required") }
            guard let to = CarrierWire.text(attributes["to"]), !to.isEmpty else { throw InboundRejection("data.attributes.to is required") }
            let media = (body["included"]?.arrayValue ?? []).compactMap { item -> MediaReference? in
                guard item["type"]?.stringValue == "media", let url = item["attributes"]?["url"]?.stringValue, !url.isEmpty else { return nil }
                let size: Int64? = if case .int(let value)? = item["attributes"]?["file_size"] { value } else { nil }
                return MediaReference(url: url, contentType: item["attributes"]?["mime_type"]?.stringValue, size: size)
            }
            let text = attributes["body"]?.stringValue ?? ""
            guard !text.isEmpty || !media.isEmpty else { throw InboundRejection("data.attributes.body or media is required") }
            guard let time = (attributes["timestamp"]?.stringValue).flatMap(ISO8601.parse) else {
                throw InboundRejection("data.attributes.timestamp must be an ISO 8601 time")
            }
            let message = InboundMessage(providerMessageID: id, from: CarrierWire.e164(from), to: CarrierWire.e164(to), text: text, media: media, receivedAt: time)
            return ([message], [])
        case "delivery_receipt":
            let state = state(
                status: attributes["status"]?.stringValue ?? "", code: CarrierWire.text(attributes["status_code"]) ?? "",
                description: attributes["status_code_description"]?.stringValue ?? "")
            return ([], [DeliveryReport(providerMessageID: id, state: state)])
        default:
            throw InboundRejection("data.type must be message or delivery_receipt")
        }
    }
}
