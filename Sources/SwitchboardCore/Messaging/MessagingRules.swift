/// Event ids in the event log. Yeastar's own ids where Yeastar defines the event (30031, 30032,
/// 30038); ours in 39xxx for what Yeastar does not publish (session lifecycle for the inbox).
public enum EventKind: Int, Sendable, CaseIterable {
    case bulkMessageSendingFailed = 30030
    case newMessage = 30031
    case messageSendingResult = 30032
    case readReceipt = 30038
    case sessionCreated = 39001
    case sessionUpdated = 39002
    case messageCreated = 39003
    case messageUpdated = 39004
    case channelStatusChanged = 39005
    case sessionClosed = 39006
    case sessionTransferred = 39007
    case sessionPickedUp = 39008
    case sessionArchived = 39009
    case sessionUnarchived = 39010
    case sessionRemoved = 39011
    case sessionRead = 39012
}

/// `user_type` values for customers, by channel type (reference §5).
public enum CustomerType {
    public static func forChannelType(_ type: String) -> Int {
        switch type {
        case "whatsapp": 3
        case "facebook": 4
        case "livechat": 5
        default: 2
        }
    }
}

/// Where a new session goes, from the channel number's inbound rule.
public struct SessionRoute: Sendable, Equatable {
    public var destinationType: String
    public var ownerExtensionID: Int64?
    public var queueID: Int64?

    public init(destinationType: String, destinationID: Int64?) {
        self.destinationType = destinationType
        switch destinationType {
        case "extension": ownerExtensionID = destinationID; queueID = nil
        case "queue": ownerExtensionID = nil; queueID = destinationID
        default: ownerExtensionID = nil; queueID = nil
        }
    }
}

/// Default send rate (messages per second) when a channel sets none: SMS providers are cautious,
/// Meta's platforms take more.
public func defaultSendRate(channelType: String) -> Int {
    switch channelType {
    case "whatsapp": 80
    case "facebook": 40
    case "livechat": 100
    default: 1
    }
}
