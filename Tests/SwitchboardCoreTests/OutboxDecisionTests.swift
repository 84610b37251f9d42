import SwitchboardCore
import Testing

/// What the outbox does with a send's outcome: retries for replies, never a second copy of a
/// campaign message whose first send may have arrived.
struct OutboxDecisionTests {
    let policy = RetryPolicy(maxAttempts: 3, baseSeconds: 2, capSeconds: 60, jitter: 0)

    func decide(_ outcome: SendOutcome, attempt: Int = 1, atMostOnce: Bool) -> OutboxDecision {
        OutboxDecision.decide(outcome, attempt: attempt, atMostOnce: atMostOnce, policy: policy, unit: 0.5)
    }

    @Test func aCampaignSendWithNoAnswerFailsAsUncertainInsteadOfBeingRetried() {
        let noAnswer = SendFailure(.requestFail, "no answer from the provider")
        #expect(decide(.retry(noAnswer, retryAfter: nil), atMostOnce: true) == .failed(noAnswer, uncertain: true))
        #expect(decide(.retry(noAnswer, retryAfter: nil), atMostOnce: false) == .retry(noAnswer, afterSeconds: 2))
        let serverError = SendFailure(.serviceError, "HTTP 500")
        #expect(decide(.retry(serverError, retryAfter: nil), atMostOnce: true) == .failed(serverError, uncertain: true))
    }

    @Test func throttlingIsRetriedEvenForCampaignsBecauseTheProviderDidNotTakeTheMessage() {
        let throttled = SendFailure(.tooManyRequest, "slow down")
        #expect(decide(.retry(throttled, retryAfter: 7), atMostOnce: true) == .retry(throttled, afterSeconds: 7))
        let unavailable = SendFailure(.serviceUnavailable, "503")
        #expect(decide(.retry(unavailable, retryAfter: nil), attempt: 2, atMostOnce: true) == .retry(unavailable, afterSeconds: 4))
        #expect(decide(.retry(unavailable, retryAfter: nil), attempt: 3, atMostOnce: true) == .failed(unavailable, uncertain: false))
    }

    @Test func acceptedAndDefinitiveFailuresPassThrough() {
        #expect(decide(.accepted(providerMessageID: "SM1"), atMostOnce: true) == .delivered(providerMessageID: "SM1"))
        let bad = SendFailure(.invalidPhoneNumber, "bad number")
        #expect(decide(.failed(bad), atMostOnce: true) == .failed(bad, uncertain: false))
    }
}
