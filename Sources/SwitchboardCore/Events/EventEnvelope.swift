/// Yeastar's event envelope (reference §8.3): `{"type":<int>,"sn":"<serial>","msg":"<JSON string>"}`.
///
/// `msg` is always a JSON-encoded *string* (the form most of Yeastar's published examples use),
/// never an object, so receivers can `JSON.parse(msg)` uniformly.
public enum EventEnvelope {
    /// The envelope text for one event.
    public static func render(type: Int, serial: String, message: JSONValue) -> String {
        render(type: type, serial: serial, messageText: message.serialized())
    }

    /// The envelope text when `msg` is already serialized JSON. `seq` (ours, the event's place in
    /// the log) is added when given, so a subscriber can resume after it; Yeastar receivers read
    /// `type`/`sn`/`msg` and ignore it.
    public static func render(type: Int, serial: String, messageText: String, seq: Int64? = nil) -> String {
        var envelope: JSONObject = ["type": .integer(type), "sn": .string(serial), "msg": .string(messageText)]
        if let seq { envelope["seq"] = .int(seq) }
        return JSONValue.object(envelope).serialized()
    }

    /// The event types third-party platforms receive when a webhook selects "all events"
    /// (Yeastar's messaging events; our 39xxx inbox events must be chosen explicitly).
    public static let yeastarKinds: [EventKind] = [.bulkMessageSendingFailed, .newMessage, .messageSendingResult, .readReceipt]
}

/// Who may see an event: the log's `extension_ids` text (`,1,4,` style); empty means every
/// agent with access to the event's subject.
public enum EventAudience {
    /// The stored form of a list of extension ids.
    public static func encode(_ ids: [Int64]) -> String {
        ids.isEmpty ? "" : "," + ids.map(String.init).joined(separator: ",") + ","
    }

    /// Whether the agent with extension id `agent` may see an event with this audience.
    public static func allows(_ audience: String, agent: Int64) -> Bool {
        audience.isEmpty || audience.contains(",\(agent),")
    }
}

/// What a session contributes to a 30031 notification (immutable facts of the session).
public struct NotificationSession: Sendable, Equatable {
    public var channelID: Int64
    public var channelType: String
    public var channelName: String
    public var didNumber: String
    public var customer: String
    public var customerName: String
    public var customerType: Int

    public init(
        channelID: Int64, channelType: String, channelName: String, didNumber: String, customer: String,
        customerName: String, customerType: Int
    ) {
        self.channelID = channelID
        self.channelType = channelType
        self.channelName = channelName
        self.didNumber = didNumber
        self.customer = customer
        self.customerName = customerName
        self.customerType = customerType
    }
}

/// **30031 New Message Notification** — Yeastar does not publish this event's page (reference
/// §8.4, §10.1), so Switchboard defines it: pushed when a customer's message arrives in a session
/// handled by the third-party platform (`destination_type` `api`). `msg` is:
///
/// ```
/// { …every Msg_Info / Msg_Record field (session_id, msg_id, delivery_status, sender{user_id,
///     user_no,user_type,avatar,username}, msg_kind, msg_type, msg_body, msg_files, send_time,
///     receive_time, param, send_error, send_error_msg, tag, whatsapp_msg_param),
///   "channel_id": Integer,        // message_channel id
///   "channel_type": String,       // sms | whatsapp | facebook | livechat
///   "channel_name": String,
///   "did_number": String,         // the channel number the customer wrote to
///   "customer": Customer_Info     // {user_id: 0, user_no, user_type, avatar: "", username}
/// }
/// ```
/// Absent values are empty strings, never null, as in the rest of the API.
public enum NewMessageNotification {
    public static func payload(record: JSONObject, session: NotificationSession?) -> JSONObject {
        var object = record
        guard let session else { return object }
        if object["channel_id"] == nil { object["channel_id"] = .int(session.channelID) }
        if object["channel_type"] == nil { object["channel_type"] = .string(session.channelType) }
        if object["channel_name"] == nil { object["channel_name"] = .string(session.channelName) }
        if object["did_number"] == nil { object["did_number"] = .string(session.didNumber) }
        if object["customer"] == nil {
            object["customer"] = [
                "user_id": 0, "user_no": .string(session.customer), "user_type": .integer(session.customerType), "avatar": "",
                "username": .string(session.customerName.isEmpty ? session.customer : session.customerName),
            ]
        }
        return object
    }
}
