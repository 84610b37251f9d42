/// The vocabulary of message campaigns (seed 002, reference §6) and the rules that need no storage.
public enum CampaignChannelType: String, Sendable, CaseIterable { case sms, whatsapp }

public enum CampaignRecipientType: String, Sendable, CaseIterable { case input, phonebook }

public enum CampaignContentType: String, Sendable, CaseIterable { case text, document, template }

/// When to send. The seed's own example sends `scheduled`, so it is read as `schedule`.
public enum CampaignSendType: String, Sendable, CaseIterable {
    case immediately, schedule, draft, scheduled

    /// The canonical spelling (`scheduled` → `schedule`).
    public var canonical: CampaignSendType { self == .scheduled ? .schedule : self }
}

public enum CampaignSendMode: String, Sendable, CaseIterable { case newSession = "new_session", direct }

public enum CampaignAssignTarget: String, Sendable, CaseIterable { case `extension`, queue }

/// The phonebook number field recipients are read from.
public enum RecipientNumberType: String, Sendable, CaseIterable {
    case businessNumber = "business_number", businessNumber2 = "business_number2", mobileNumber = "mobile_number"
    case mobileNumber2 = "mobile_number2", homeNumber = "home_number", homeNumber2 = "home_number2"
    case businessFax = "business_fax", homeFax = "home_fax", otherNumber = "other_number"
}

/// The limits seed 003 states for campaigns.
public enum CampaignLimits {
    public static let maxCampaigns: Int64 = 1000
    public static let maxRecipients = 1000
    public static let maxTextLength = 1600
    public static let maxDocumentBytes: Int64 = 100 << 20
    public static let maxNameLength = 127
}

/// A campaign's status (seed 003 "Campaign Status").
public enum CampaignStatus: String, Sendable, CaseIterable {
    case draft, scheduled, pending, executing, completed, stop, retrying

    /// The status a saved campaign starts in: drafts wait for an edit, scheduled ones for their
    /// time, the rest queue behind whatever campaign is running.
    public static func initial(for sendType: CampaignSendType) -> CampaignStatus {
        switch sendType.canonical {
        case .draft: .draft
        case .schedule, .scheduled: .scheduled
        case .immediately: .pending
        }
    }

    /// Sending now: one campaign at a time.
    public var isRunning: Bool { self == .executing || self == .retrying }

    /// Edits are allowed until sending has begun.
    public var isEditable: Bool { self == .draft || self == .scheduled || self == .pending }

    /// Retry resends failures of a finished or stopped campaign.
    public var isRetryable: Bool { self == .completed || self == .stop }
}

/// One recipient's outcome as the details view shows it.
public enum RecipientResult: String, Sendable {
    case waiting, sending, succeeded, failed

    /// From the recipient's message (`nil` while not yet queued) and its `delivery_status`.
    public init(queued: Bool, deliveryStatus: Int?) {
        guard queued, let deliveryStatus else {
            self = .waiting
            return
        }
        switch deliveryStatus {
        case 1: self = .succeeded
        case 2: self = .failed
        default: self = .sending
        }
    }
}

/// Counting for the list columns: `result_count` ("failed/total") and `response_rate`.
public struct CampaignTally: Sendable, Equatable {
    public var total: Int
    public var failed: Int
    public var succeeded: Int
    public var replied: Int

    public init(total: Int, failed: Int, succeeded: Int, replied: Int) {
        self.total = total
        self.failed = failed
        self.succeeded = succeeded
        self.replied = replied
    }

    public var resultCount: String { "\(failed)/\(total)" }

    /// Recipients who replied ÷ recipients, as a whole percentage ("40%"); "0%" without recipients.
    public var responseRate: String {
        guard total > 0 else { return "0%" }
        return "\(Int((Double(replied) * 100 / Double(total)).rounded()))%"
    }
}
