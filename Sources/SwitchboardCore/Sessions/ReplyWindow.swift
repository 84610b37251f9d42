/// Meta's customer-service windows (reference §5.1/§5.6, seed 003 WhatsApp and Facebook pages).
///
/// WhatsApp: free text only within 24 hours of the customer's last message; an approved template
/// always. Facebook: free text within 24 hours; outside it a message `tag` is required, and
/// `HUMAN_AGENT` only within 7 days of the customer's last message. SMS and Live Chat never expire.
public enum ReplyWindow {
    public static let standardSeconds: Int64 = 86_400
    public static let humanAgentSeconds: Int64 = 7 * 86_400
    /// The Facebook message tags (the `tag` enum of event 30032).
    public static let facebookTags = ["ACCOUNT_UPDATE", "CONFIRMED_EVENT_UPDATE", "HUMAN_AGENT", "POST_PURCHASE_UPDATE"]

    /// Session_Info `expire`: `-1` never expires (SMS, Live Chat), `0` expired (or no customer
    /// message yet), otherwise the seconds left of the 24-hour window.
    public static func expire(channelType: String, lastInboundAt: Int64?, now: Int64) -> Int64 {
        guard channelType == ChannelType.whatsapp.rawValue || channelType == ChannelType.facebook.rawValue else { return -1 }
        guard let lastInboundAt else { return 0 }
        return max(0, lastInboundAt + standardSeconds - now)
    }

    /// What is being sent, for the window rules.
    public struct Outgoing: Sendable, Equatable {
        /// `msg_kind` 1: a WhatsApp template.
        public var isTemplate: Bool
        /// The Facebook message tag, or "".
        public var tag: String

        public init(isTemplate: Bool, tag: String) {
            self.isTemplate = isTemplate
            self.tag = tag
        }
    }

    /// Throws when the message may not be sent now: WhatsApp free text outside the window is
    /// `70084 ACTION FORBIDDEN`; a Facebook message outside it without a tag is `40002` (`tag`
    /// required), `HUMAN_AGENT` after 7 days `40002` (`tag` expired). A template outside WhatsApp,
    /// or a tag outside Facebook, is `40002` too.
    public static func check(_ outgoing: Outgoing, channelType: String, lastInboundAt: Int64?, now: Int64) throws {
        let expire = expire(channelType: channelType, lastInboundAt: lastInboundAt, now: now)
        if outgoing.isTemplate && channelType != ChannelType.whatsapp.rawValue { throw APIError.invalid("msg_kind", "invalid_value") }
        if !outgoing.tag.isEmpty {
            guard channelType == ChannelType.facebook.rawValue else { throw APIError.invalid("tag", "invalid_value") }
            guard facebookTags.contains(outgoing.tag) else { throw APIError.invalid("tag", "invalid_value") }
        }
        switch channelType {
        case ChannelType.whatsapp.rawValue where expire == 0 && !outgoing.isTemplate:
            throw APIError(.actionForbidden, detail: "outside the WhatsApp 24-hour customer service window only an approved template can be sent")
        case ChannelType.facebook.rawValue where expire == 0:
            if outgoing.tag.isEmpty { throw APIError.invalid("tag", "required", detail: "outside the 24-hour window Facebook needs a message tag") }
            if outgoing.tag == "HUMAN_AGENT", (lastInboundAt.map { now - $0 > humanAgentSeconds } ?? true) {
                throw APIError.invalid("tag", "expired", detail: "HUMAN_AGENT is allowed within 7 days of the customer's last message")
            }
        default: break
        }
    }
}

/// Who may start a session on which channel (Agent Guide "Start a Messaging Session").
public enum SessionStart {
    /// Agents start sessions only on SMS and WhatsApp; Facebook and Live Chat sessions are opened
    /// by the customer. The platform may start them on SMS and WhatsApp too.
    public static func check(channelType: String) throws {
        guard channelType == ChannelType.sms.rawValue || channelType == ChannelType.whatsapp.rawValue else {
            throw APIError(.operationNotSupported, detail: "\(channelType) sessions can only be started by the customer")
        }
    }

    /// Whether an agent is among a number's `members`: directly, through one of their extension
    /// groups, or through one of their organizations or an ancestor of one.
    public static func isMember(
        extensionID: Int64, members: [(type: RoutingMemberType, id: Int64)], groupIDs: Set<Int64>, organizationIDs: Set<Int64>
    ) -> Bool {
        members.contains { member in
            switch member.type {
            case .extension: member.id == extensionID
            case .ext_group: groupIDs.contains(member.id)
            case .organization: organizationIDs.contains(member.id)
            }
        }
    }

    /// The organizations an extension belongs to, with every ancestor (`parents`: id → parent id).
    public static func organizationsWithAncestors(_ direct: [Int64], parents: [Int64: Int64]) -> Set<Int64> {
        var result: Set<Int64> = []
        for start in direct {
            var current: Int64? = start
            while let id = current, result.insert(id).inserted { current = parents[id] }
        }
        return result
    }
}
