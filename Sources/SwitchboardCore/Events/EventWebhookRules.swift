/// How an event webhook calls its receiver (reference §8.2: GET or POST).
public enum WebhookMethod: String, Sendable, CaseIterable {
    case get = "GET"
    case post = "POST"
}

/// The fields of an event webhook as `event_webhook/create|update` take them:
/// `url` (http or https), `method` (`GET`|`POST`, default POST), `event_list` (event ids; omitted
/// or empty = every Yeastar messaging event, `EventEnvelope.yeastarKinds`) and `enabled` (0/1).
public struct EventWebhookFields: Sendable, Equatable {
    public var url: String?
    public var method: WebhookMethod?
    /// Nil when not given; empty means "all Yeastar messaging events".
    public var events: [Int]?
    public var enabled: Bool?

    /// Yeastar allows at most five webhooks (`60002 MAX LIMITATION EXCEEDED` beyond).
    public static let maxWebhooks = 5
    /// Receivers' URLs are stored as given; longer ones are refused.
    public static let maxURLLength = 1024

    public init(url: String? = nil, method: WebhookMethod? = nil, events: [Int]? = nil, enabled: Bool? = nil) {
        self.url = url
        self.method = method
        self.events = events
        self.enabled = enabled
    }

    /// Reads and validates; `creating` makes `url` required.
    public static func read(_ reader: inout FieldReader, creating: Bool) -> EventWebhookFields {
        var fields = EventWebhookFields()
        if let url = reader.string("url", required: creating, maxLength: maxURLLength, allowEmpty: false) {
            if isReceiverURL(url) { fields.url = url } else { reader.fail("url", "invalid_value") }
        }
        if let method = reader.string("method")?.uppercased(), !method.isEmpty {
            if let parsed = WebhookMethod(rawValue: method) { fields.method = parsed } else { reader.fail("method", "invalid_value") }
        }
        if let items = reader.array("event_list") {
            var events: [Int] = []
            for item in items {
                guard case .int(let id) = item, let kind = EventKind(rawValue: Int(truncatingIfNeeded: id)) else {
                    reader.fail("event_list", "invalid_value")
                    break
                }
                if !events.contains(kind.rawValue) { events.append(kind.rawValue) }
            }
            fields.events = events
        }
        fields.enabled = reader.flag("enabled")
        return fields
    }

    /// `http://` or `https://` with a host and no spaces (receivers may be plain HTTP on a LAN,
    /// unlike provider endpoints).
    public static func isReceiverURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        if lower.hasPrefix("http://") { return Formats.isProviderURL("https://" + text.dropFirst(7)) && !text.contains("\n") }
        return lower.hasPrefix("https://") && Formats.isProviderURL(text) && !text.contains("\n")
    }
}

/// Which events a webhook wants: stored as `""` (all Yeastar messaging events) or `,30031,30032,`.
public enum EventSelection {
    public static func encode(_ events: [Int]) -> String {
        events.isEmpty ? "" : "," + events.map(String.init).joined(separator: ",") + ","
    }

    public static func decode(_ text: String) -> [Int] {
        text.split(separator: ",").compactMap { Int($0) }
    }

    /// Whether a webhook storing `selection` receives events of `type`.
    public static func matches(_ selection: String, type: Int) -> Bool {
        if selection.isEmpty { return EventEnvelope.yeastarKinds.contains(where: { $0.rawValue == type }) }
        return selection.contains(",\(type),")
    }
}
