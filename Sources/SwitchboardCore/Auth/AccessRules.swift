/// Lifetimes and limits of OpenAPI tokens (Yeastar: 30 min access, 24 h refresh, 8 live access tokens).
public struct TokenPolicy: Sendable {
    public var accessLifetime: Int64 = 1800
    public var refreshLifetime: Int64 = 86_400
    public var maxLiveAccessTokens = 8

    public init() {}
}

/// What the failed-login record of one IP says about a new `get_token` attempt.
///
/// Five failures in a row from one address block it for `blockSeconds`; a success clears the record.
public struct LoginThrottle: Sendable {
    public var maxFailures: Int
    public var blockSeconds: Int64

    public init(maxFailures: Int = 5, blockSeconds: Int64 = 600) {
        self.maxFailures = maxFailures
        self.blockSeconds = blockSeconds
    }

    /// The persisted state for one address.
    public struct Record: Sendable, Equatable {
        public var failures: Int
        public var blockedUntil: Int64

        public init(failures: Int, blockedUntil: Int64) {
            self.failures = failures
            self.blockedUntil = blockedUntil
        }
    }

    public func isBlocked(_ record: Record?, now: Int64) -> Bool {
        guard let record else { return false }
        return record.blockedUntil > now
    }

    /// The record after one more failure at `now`. A block that has run out starts a fresh count.
    public func recordingFailure(_ record: Record?, now: Int64) -> Record {
        var next = record ?? Record(failures: 0, blockedUntil: 0)
        if next.blockedUntil != 0 && next.blockedUntil <= now { next = Record(failures: 0, blockedUntil: 0) }
        next.failures += 1
        if next.failures >= maxFailures { next.blockedUntil = now + blockSeconds }
        return next
    }
}
