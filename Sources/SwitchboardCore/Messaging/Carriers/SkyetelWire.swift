/// Skyetel's wire rules (reference §6). Only the send request is documented ([C]); the answer's
/// shape, error format, message ids and delivery receipts are not ([U]), so this stays minimal.
public enum SkyetelWire {
    /// Classifies the answer to `POST /v1/out?from=…`. Any 2xx is accepted ([S] the FreePBX
    /// connector only checks for HTTP success); the id is the answer's `id`/`message_id`/`uuid` when
    /// one is there, else `fallbackID`. A 403 whose text speaks of a limit is the documented-by-
    /// hearsay 5-minute cool-down ([S]) and is retried after 300 s; other statuses fall back.
    public static func sendOutcome(status: Int?, body: JSONValue?, rawBody: String, fallbackID: String) -> SendOutcome {
        let detail = body?["message"]?.stringValue ?? body?["error"]?.stringValue ?? String(rawBody.prefix(500))
        if let status, (200...299).contains(status) {
            return .accepted(providerMessageID: CarrierInbound.firstText(body, ["id", "message_id", "uuid"]) ?? fallbackID)
        }
        if status == 403, rawBody.lowercased().contains("limit") {
            return .retry(SendFailure(.tooManyRequest, detail), retryAfter: 300)
        }
        return CarrierWire.fallbackOutcome(status: status, detail: detail)
    }

    /// Reads an inbound message: JSON "matching the send fields" — `to`, `from`, `text` ([C]) and
    /// `media` URLs ([S]). Skyetel sends no id or time ([U]): `id` is derived by the caller from the
    /// raw body (so a replay is recognised) and `now` is the received time.
    public static func inbound(_ fields: [String: JSONValue], id: String, now: Int64) throws(InboundRejection) -> InboundMessage {
        guard let from = CarrierWire.text(fields["from"]), !from.isEmpty else { throw InboundRejection("from is required") }
        guard let to = CarrierWire.text(fields["to"]), !to.isEmpty else { throw InboundRejection("to is required") }
        let media = (fields["media"]?.arrayValue ?? []).compactMap(\.stringValue).filter { !$0.isEmpty }.map { MediaReference(url: $0) }
        let text = fields["text"]?.stringValue ?? ""
        guard !text.isEmpty || !media.isEmpty else { throw InboundRejection("text or media is required") }
        return InboundMessage(providerMessageID: id, from: CarrierWire.e164(from), to: CarrierWire.e164(to), text: text, media: media, receivedAt: now)
    }
}

/// Helpers for carriers whose inbound shape is loosely documented (Skyetel, VoiceMeUp, Apidaze):
/// their bodies arrive as JSON or as a form, and are read as one flat field map.
public enum CarrierInbound {
    /// A flat JSON object's members, or form pairs as strings; nil when the body is neither.
    public static func fields(json: JSONValue?, form: [(String, String)]) -> [String: JSONValue]? {
        if let object = json?.objectValue {
            return Dictionary(object.members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        }
        guard !form.isEmpty else { return nil }
        return Dictionary(form.map { ($0.0, JSONValue.string($0.1)) }, uniquingKeysWith: { first, _ in first })
    }

    /// The first of `keys` that holds a non-empty text.
    public static func firstText(_ value: JSONValue?, _ keys: [String]) -> String? {
        keys.lazy.compactMap { CarrierWire.text(value?[$0]) }.first { !$0.isEmpty }
    }

    /// The first of `keys` in `fields` that holds a non-empty text.
    public static func firstText(_ fields: [String: JSONValue], _ keys: [String]) -> String? {
        keys.lazy.compactMap { CarrierWire.text(fields[$0]) }.first { !$0.isEmpty }
    }
}
