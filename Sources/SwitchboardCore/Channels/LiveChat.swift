/// The rules of a Live Chat channel (`message_channel/createlivechat|updatelivechat`), reference §4.10
/// and seed 003 "Live Chat". Fields the documentation cuts off (theme, pre-chat form, messages, agent
/// display) use our own names, listed in `settings`.
public enum LiveChat {
    public static let maxNameLength = 63
    public static let maxDomainLength = 1023
    public static let defaultMaxConcurrentCalls: Int64 = 5
    public static let concurrentCallRange: ClosedRange<Int64> = 1...10
    /// `LC` + five digits: at most 100 000 Live Chat channels.
    public static let maxChannelNumber: Int64 = 99_999

    /// `LC00000` for 0.
    public static func channelNumber(_ sequence: Int64) -> String {
        let digits = String(sequence)
        return "LC" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }

    /// The sequence of an `LC` + five digits number, or nil.
    public static func sequence(of channelNumber: String) -> Int64? {
        guard channelNumber.count == 7, channelNumber.hasPrefix("LC") else { return nil }
        let digits = channelNumber.dropFirst(2)
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(digits)
    }

    /// The widget `<script>` tag for `publicURL`.
    public static func embedCode(publicURL: String, channelNumber: String) -> String {
        "<script src=\"\(publicURL)/live_chat.v1.0.0.js?channelNumber=\(channelNumber)\"></script>"
    }

    /// How one setting is written and checked.
    public enum Kind: Sendable {
        case flag
        case integer(ClosedRange<Int64>)
        case choice([String])
        case text(maxLength: Int)
        case hexColor
        /// A subset of the given names (an array of strings).
        case list([String])
    }

    /// One widget setting: its key, rule, whether create requires it, and its default.
    public struct Setting: Sendable {
        public let key: String
        public let kind: Kind
        public let required: Bool
        public let defaultValue: JSONValue?
    }

    private static func setting(_ key: String, _ kind: Kind, required: Bool = false, _ defaultValue: JSONValue? = nil) -> Setting {
        Setting(key: key, kind: kind, required: required, defaultValue: defaultValue)
    }

    /// Every setting kept in the channel's settings document, in answer order. Name, domain and
    /// destination are columns of their own.
    public static let settings: [Setting] = [
        setting("communication_method", .integer(1...2), required: true),
        setting("enable_webrtc_inbound_call", .flag, 0),
        setting("webrtc_trunk_id", .integer(1...Int64(Int32.max))),
        setting("webrtc_inbound_route_id", .integer(1...Int64(Int32.max))),
        setting("max_concurrent_call", .integer(concurrentCallRange), .int(defaultMaxConcurrentCalls)),
        setting("message_type", .integer(1...2), required: true),
        setting("auto_close_session", .flag, 0),
        setting("session_expired_time", .integer(1...Int64(Int32.max)), 1),
        setting("session_expired_unit", .choice(["minute", "hour", "day"]), "day"),
        setting("theme_mode", .choice(["light", "dark"]), required: true),
        setting("theme_color", .hexColor, required: true),
        setting("agent_info_display", .choice(["name", "name_and_photo", "default"]), "default"),
        setting("avatar", .text(maxLength: 255), ""),
        setting("language", .text(maxLength: 16), "en"),
        setting("enable_pre_chat_form", .flag, 0),
        setting("pre_chat_form_title", .text(maxLength: 127), ""),
        setting("pre_chat_form_subtitle", .text(maxLength: 255), ""),
        setting("pre_chat_fields", .list(["name", "email", "phone"]), ["name"]),
        setting("enable_data_privacy", .flag, 0),
        setting("privacy_consent_text", .text(maxLength: 2048), ""),
        setting("require_explicit_consent", .flag, 0),
        setting("online_greeting_msg", .text(maxLength: 1024), "Hello! How can we help you?"),
        setting("offline_greeting_msg", .text(maxLength: 1024), "We are away, leave us a message!"),
        setting("first_msg_auto_reply", .text(maxLength: 1024), ""),
        setting("session_closed_msg", .text(maxLength: 1024),
                "This chat session has ended. Please feel free to contact us if you have any further questions."),
    ]

    /// Reads the settings sent in a create (`existing` nil: required ones must be there, defaults fill
    /// the rest) or an update (merged over `existing`), then checks the rules that join two settings.
    public static func readSettings(_ reader: inout FieldReader, existing: JSONObject?) -> JSONObject {
        var result = JSONObject()
        for item in settings {
            let sent = read(item, &reader, creating: existing == nil)
            if let value = sent ?? existing?[item.key] ?? item.defaultValue { result[item.key] = value }
        }
        if result["enable_webrtc_inbound_call"] == 1, result["webrtc_trunk_id"] == nil,
            !reader.issues.contains(where: { $0.field == "webrtc_trunk_id" })
        {
            reader.fail("webrtc_trunk_id", "required")
        }
        if result["enable_pre_chat_form"] == 1, case .array(let fields)? = result["pre_chat_fields"], !fields.contains("name") {
            reader.fail("pre_chat_fields", "invalid_value")
        }
        return result
    }

    private static func read(_ item: Setting, _ reader: inout FieldReader, creating: Bool) -> JSONValue? {
        let required = creating && item.required
        switch item.kind {
        case .flag:
            return reader.flag(item.key, required: required).map { .int($0 ? 1 : 0) }
        case .integer(let range):
            return reader.int(item.key, required: required, range: range).map(JSONValue.int)
        case .choice(let values):
            guard let text = reader.string(item.key, required: required, allowEmpty: false) else { return nil }
            guard values.contains(text) else {
                reader.fail(item.key, "invalid_value")
                return nil
            }
            return .string(text)
        case .text(let maxLength):
            return reader.string(item.key, required: required, maxLength: maxLength).map(JSONValue.string)
        case .hexColor:
            guard let text = reader.string(item.key, required: required, allowEmpty: false) else { return nil }
            let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
            guard digits.count == 6, digits.allSatisfy(\.isHexDigit) else {
                reader.fail(item.key, "invalid_value")
                return nil
            }
            return .string(text)
        case .list(let allowed):
            guard let items = reader.array(item.key, required: required) else { return nil }
            var names: [JSONValue] = []
            for value in items {
                guard let name = value.stringValue, allowed.contains(name), !names.contains(value) else {
                    reader.fail(item.key, "invalid_value")
                    return nil
                }
                names.append(value)
            }
            return .array(names)
        }
    }
}
