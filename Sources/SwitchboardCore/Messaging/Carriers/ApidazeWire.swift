/// Apidaze's wire rules (reference §8). The send request is confirmed ([C] official SDKs: key in
/// the path, secret in the query, form `from`/`to`/`body`); the answer's shape and the inbound
/// format are not ([U]), so both are read defensively and kept here.
public enum ApidazeWire {
    /// Classifies the answer to `POST /{api_key}/sms/send`: a 2xx whose JSON does not say
    /// `status: error`/`failed` is accepted, with the answer's `id`/`message_id`/`uuid` when one is
    /// there, else `fallbackID` ([U] shape); other answers fall back to the HTTP status.
    public static func sendOutcome(status: Int?, body: JSONValue?, rawBody: String, fallbackID: String) -> SendOutcome {
        let stated = body?["status"]?.stringValue?.lowercased()
        let detail = CarrierInbound.firstText(body, ["message", "error", "description"]) ?? String(rawBody.prefix(500))
        if let status, (200...299).contains(status) {
            if stated == "error" || stated == "failed" { return .failed(SendFailure(.sendFail, detail)) }
            return .accepted(providerMessageID: CarrierInbound.firstText(body, ["id", "message_id", "uuid"]) ?? fallbackID)
        }
        if status == 400 { return .failed(SendFailure(.invalidParam, detail)) }
        return CarrierWire.fallbackOutcome(status: status, detail: detail)
    }

    /// The text of a send: Apidaze needs text with any file (seed 003: "Apidaze requires that the
    /// chat file be accompanied by text content"), so a file-only message carries the channel's
    /// accompanying text. No MMS API was found ([U]), so the files' public links follow the text.
    public static func body(text: String, mediaURLs: [String], accompanyingMessage: String) -> String {
        guard !mediaURLs.isEmpty else { return text }
        let lead = text.isEmpty ? accompanyingMessage : text
        return ([lead] + mediaURLs).filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// Reads an inbound message: `caller_id_number`/`from`, `destination_number`/`to`,
    /// `body`/`text`/`message`, `uuid`/`id` — the names third-party integrations look for ([S]).
    /// Without an id, `derivedID` (from the raw body) lets replays be recognised.
    public static func inbound(_ fields: [String: JSONValue], derivedID: String, now: Int64) throws(InboundRejection) -> InboundMessage {
        guard let from = CarrierInbound.firstText(fields, ["caller_id_number", "from"]) else { throw InboundRejection("from is required") }
        guard let to = CarrierInbound.firstText(fields, ["destination_number", "to"]) else { throw InboundRejection("to is required") }
        guard let text = CarrierInbound.firstText(fields, ["body", "text", "message"]) else { throw InboundRejection("body is required") }
        let id = CarrierInbound.firstText(fields, ["uuid", "id", "message_id"]) ?? derivedID
        return InboundMessage(providerMessageID: id, from: CarrierWire.e164(from), to: CarrierWire.e164(to), text: text, receivedAt: now)
    }
}
