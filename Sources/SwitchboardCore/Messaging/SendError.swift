/// Why a message failed, as the Yeastar message record's `send_error` names it (reference §3.1).
public enum SendErrorKind: String, Sendable, CaseIterable {
    case invalidWebhookRequest = "invalid_webhook_request"
    case unsupportedCallbackType = "unsupported_callback_type"
    case resourceNotFound = "resource_not_found"
    case invalidDIDNumber = "invalid_did_number"
    case authFail = "auth_fail"
    case authNotExist = "auth_not_exit"  // sic: Yeastar's spelling
    case requestFail = "request_fail"
    case sendFail = "send_fail"
    case exceedsSizeLimit = "exceeds_size_limit"
    case tooManyRequest = "too_many_request"
    case unsupportedMediaType = "unsupport_media_type"  // sic
    case invalidParam = "invalid_param"
    case invalidPhoneNumber = "invalid_phone_number"
    case exceedsTimeLimit = "exceeds_time_limit"
    case serviceUnavailable = "service_unavailable"
    case serviceError = "service_error"
    case unknownError = "unknown_error"
    case templateNotExist = "template_not_exist"
    case messageTooLong = "msg_exceed"

    /// The prompt an agent sees, in seed 003's wording (General SMS API "Exceptions" table).
    public var prompt: String {
        switch self {
        case .authFail, .authNotExist: "Authentication Failed"
        case .serviceUnavailable: "Recipient Platform Service Unavailable"
        case .invalidPhoneNumber: "Invalid Phone Number"
        case .invalidParam: "Invalid Parameter"
        case .unsupportedMediaType: "This type of message is not supported due to the restriction of the recipient platform."
        case .tooManyRequest: "Too frequent operations. Please try again later."
        case .exceedsSizeLimit: "The file size exceeds the limit of the recipient's platform."
        default: "Failed to send"
        }
    }
}

/// A failed send: the kind, and the provider's own words (`send_error_msg`).
public struct SendFailure: Sendable, Equatable, Error {
    public var kind: SendErrorKind
    public var providerMessage: String

    public init(_ kind: SendErrorKind, _ providerMessage: String = "") {
        self.kind = kind
        self.providerMessage = providerMessage
    }
}

/// What one provider call came to.
public enum SendOutcome: Sendable, Equatable {
    /// The provider took the message and gave it this id.
    case accepted(providerMessageID: String)
    /// Worth trying again later (throttled, provider down, network); `retryAfter` in seconds when the provider said.
    case retry(SendFailure, retryAfter: Int64?)
    /// Will not succeed by retrying.
    case failed(SendFailure)
}

/// Backoff between attempts: exponential from `base`, capped, with ±`jitter` spread so retries
/// from many messages do not arrive together. `maxAttempts` counts the first try.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var baseSeconds: Double
    public var capSeconds: Double
    public var jitter: Double

    public init(maxAttempts: Int = 6, baseSeconds: Double = 2, capSeconds: Double = 300, jitter: Double = 0.2) {
        self.maxAttempts = maxAttempts
        self.baseSeconds = baseSeconds
        self.capSeconds = capSeconds
        self.jitter = jitter
    }

    /// Delay before attempt `attempt + 1`, given that `attempt` attempts (≥ 1) have failed;
    /// `unit` is a random number in 0..<1. Nil when no attempt is left.
    public func delay(afterAttempt attempt: Int, retryAfter: Int64? = nil, unit: Double) -> Double? {
        guard attempt < maxAttempts else { return nil }
        let exponential = min(capSeconds, baseSeconds * Double(1 << min(attempt - 1, 20)))
        let spread = exponential * (1 + jitter * (2 * unit - 1))
        return max(spread, Double(retryAfter ?? 0))
    }
}

extension SendFailure {
    /// True when the provider may have taken the message although the call failed: no answer
    /// (timeout, dropped connection), a server error after the request arrived, or an error the
    /// provider itself calls unknown. A retry of such a send can deliver a second copy. Throttling
    /// (`too_many_request`) and `service_unavailable` say the message was not taken.
    public var outcomeUnknown: Bool {
        switch kind {
        case .requestFail, .serviceError, .unknownError: true
        default: false
        }
    }
}

/// What the outbox does with one send's outcome. Messages sent at most once (campaign messages:
/// a recipient must never get a campaign twice) are not retried after a failure whose outcome is
/// unknown; they fail as `uncertain` instead. Other messages (agent replies) are retried: a rare
/// duplicate reply is better than a lost one.
public enum OutboxDecision: Sendable, Equatable {
    case delivered(providerMessageID: String)
    /// Try again after this many seconds.
    case retry(SendFailure, afterSeconds: Double)
    /// Final failure; `uncertain` when the provider may nevertheless have the message.
    case failed(SendFailure, uncertain: Bool)

    /// Decides for attempt `attempt` (≥ 1); `unit` is a random number in 0..<1 for the backoff jitter.
    public static func decide(_ outcome: SendOutcome, attempt: Int, atMostOnce: Bool, policy: RetryPolicy, unit: Double) -> OutboxDecision {
        switch outcome {
        case .accepted(let id):
            return .delivered(providerMessageID: id)
        case .failed(let failure):
            return .failed(failure, uncertain: false)
        case .retry(let failure, let retryAfter):
            if atMostOnce && failure.outcomeUnknown {
                return .failed(failure, uncertain: true)
            }
            guard let delay = policy.delay(afterAttempt: attempt, retryAfter: retryAfter, unit: unit) else {
                return .failed(failure, uncertain: false)
            }
            return .retry(failure, afterSeconds: delay)
        }
    }
}
