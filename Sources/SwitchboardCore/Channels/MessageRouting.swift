/// Where a channel number's inbound messages go (`destination_type`).
public enum DestinationType: String, Sendable, CaseIterable {
    /// One extension user.
    case `extension`
    /// A message queue.
    case queue
    /// A third-party platform, reached through the API (event 30031); no `destination_id`.
    case api
}

/// Who may start sessions through a number (`members[].type`).
public enum RoutingMemberType: String, Sendable, CaseIterable {
    case `extension`, ext_group, organization
}

/// One member allowed to start sessions through a number.
public struct RoutingMember: Sendable, Equatable {
    public var type: RoutingMemberType
    public var id: Int64
    /// The reported field, e.g. `dids[0].members[1].value`, for existence errors.
    public var field: String

    public init(type: RoutingMemberType, id: Int64, field: String) {
        self.type = type
        self.id = id
        self.field = field
    }
}

/// One `Msg_Routing` entry (a channel number, "DID") as a request sends it.
public struct RoutingEntry: Sendable, Equatable {
    /// The existing number's id on update; nil for a new number.
    public var id: Int64?
    public var didNumber: String
    public var destinationType: DestinationType
    public var destinationID: Int64?
    public var members: [RoutingMember]
    /// The reported field prefix, e.g. `dids[0].`.
    public var prefix: String

    /// Reads every entry of `dids`. `did_number` must be E.164 (WhatsApp), E.164 or an alphanumeric
    /// sender ID (SMS), or a numeric page id (Facebook). Facebook numbers take no `members`.
    public static func readAll(_ reader: inout FieldReader, type: ChannelType, updating: Bool) -> [RoutingEntry]? {
        guard let items = reader.objects("dids") else { return nil }
        var entries: [RoutingEntry] = []
        var seen: Set<String> = []
        for var item in items {
            let id = updating ? item.id("id") : nil
            let number = item.requiredText("did_number", maxLength: 64)
            if let number {
                if !isValidNumber(number, for: type) {
                    item.fail("did_number", "invalid_value")
                } else if !seen.insert(number).inserted {
                    item.fail("did_number", "duplicate")
                }
            }
            let destinationType = item.choice("destination_type", required: true, as: DestinationType.self)
            var destinationID: Int64?
            if destinationType != .api {
                destinationID = item.id("destination_id", required: destinationType != nil)
            }
            var members: [RoutingMember] = []
            if type == .facebook {
                if item.has("members") { item.fail("members", "not_supported") }
            } else if let memberReaders = item.objects("members") {
                for var memberReader in memberReaders {
                    let memberType = memberReader.choice("type", required: true, as: RoutingMemberType.self)
                    let value = memberReader.id("value", required: true)
                    if let memberType, let value {
                        let field = memberReader.prefix + "value"
                        if members.contains(where: { $0.type == memberType && $0.id == value }) {
                            memberReader.fail("value", "duplicate")
                        } else {
                            members.append(RoutingMember(type: memberType, id: value, field: field))
                        }
                    }
                    item.absorb(memberReader)
                }
            }
            let prefix = item.prefix
            let clean = item.issues.isEmpty
            reader.absorb(item)
            if clean, let number, let destinationType {
                entries.append(RoutingEntry(
                    id: id, didNumber: number, destinationType: destinationType, destinationID: destinationID,
                    members: members, prefix: prefix))
            }
        }
        return entries.count == items.count ? entries : nil
    }

    public static func isValidNumber(_ number: String, for type: ChannelType) -> Bool {
        switch type {
        case .sms: Formats.isE164(number) || Formats.isAlphanumericSenderID(number)
        case .whatsapp: Formats.isE164(number)
        case .facebook: !number.isEmpty && number.count <= 64 && number.allSatisfy { $0.isASCII && $0.isNumber }
        case .livechat: false
        }
    }
}
