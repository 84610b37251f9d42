import Foundation
import SwitchboardCore
import Testing

@Suite("Meta Graph rules shared by WhatsApp and Messenger")
struct MetaGraphTests {
    static func graphError(_ code: Int64, subcode: Int64? = nil, message: String = "M") -> JSONValue {
        var error: JSONObject = ["message": .string(message), "type": "OAuthException", "code": .int(code), "fbtrace_id": "x"]
        if let subcode { error["error_subcode"] = .int(subcode) }
        return ["error": .object(error)]
    }

    @Test func errorBodiesAreRead() {
        let body: JSONValue = ["error": ["message": "(#131047) Re-engagement message", "code": 131047, "error_data": ["details": "More than 24 hours"]]]
        let error = MetaGraph.error(body)
        #expect(error == MetaGraph.GraphError(code: 131047, message: "(#131047) Re-engagement message", details: "More than 24 hours"))
        #expect(error?.text == "131047: (#131047) Re-engagement message: More than 24 hours")
        #expect(MetaGraph.error(["data": []]) == nil)
        #expect(MetaGraph.error(nil) == nil)
        #expect(MetaGraph.integer("42") == 42 && MetaGraph.integer(.double(7)) == 7 && MetaGraph.integer("x") == nil)
    }

    @Test(arguments: [
        (Int64(4), SendErrorKind.tooManyRequest), (613, .tooManyRequest), (80007, .tooManyRequest), (2, .serviceError), (1, .serviceError),
    ])
    func sharedThrottlingAndTemporaryCodesAreRetried(code: Int64, kind: SendErrorKind) {
        let outcome = MetaGraph.sendOutcome(
            status: 400, body: Self.graphError(code), rawBody: "", messageID: nil, retryAfter: 7, classify: { _ in nil })
        #expect(outcome == .retry(SendFailure(kind, "\(code): M"), retryAfter: 7))
    }

    @Test(arguments: [
        (Int64(190), SendErrorKind.authFail), (102, .authFail), (10, .authFail), (200, .authFail), (100, .invalidParam), (368, .sendFail),
        (999_999, .sendFail),
    ])
    func sharedPermanentCodesFail(code: Int64, kind: SendErrorKind) {
        let outcome = MetaGraph.sendOutcome(status: 400, body: Self.graphError(code), rawBody: "", messageID: nil, retryAfter: nil, classify: { _ in nil })
        #expect(outcome == .failed(SendFailure(kind, "\(code): M")))
    }

    @Test func statusesDecideWhenTheBodyIsNotGraphs() {
        func outcome(_ status: Int?) -> SendOutcome {
            MetaGraph.sendOutcome(status: status, body: nil, rawBody: "oops", messageID: nil, retryAfter: nil, classify: { _ in nil })
        }
        #expect(outcome(nil) == .retry(SendFailure(.requestFail, "no answer from Graph"), retryAfter: nil))
        #expect(outcome(401) == .failed(SendFailure(.authFail, "oops")))
        #expect(outcome(429) == .retry(SendFailure(.tooManyRequest, "oops"), retryAfter: nil))
        #expect(outcome(503) == .retry(SendFailure(.serviceError, "oops"), retryAfter: nil))
        #expect(outcome(404) == .failed(SendFailure(.resourceNotFound, "oops")))
        #expect(outcome(200) == .failed(SendFailure(.sendFail, "oops")))
    }

    @Test func productRulesComeBeforeSharedOnes() {
        let outcome = MetaGraph.sendOutcome(
            status: 400, body: Self.graphError(4), rawBody: "", messageID: nil, retryAfter: nil, classify: { _ in .fail(.exceedsTimeLimit) })
        #expect(outcome == .failed(SendFailure(.exceedsTimeLimit, "4: M")))
    }

    @Test func connectivityFollowsStatusAndCode() {
        #expect(MetaGraph.connectivity(status: 200, body: ["id": "1"]) == .connected)
        #expect(MetaGraph.connectivity(status: 400, body: Self.graphError(190)) == .unauthorized)
        #expect(MetaGraph.connectivity(status: 401, body: nil) == .unauthorized)
        #expect(MetaGraph.connectivity(status: 500, body: Self.graphError(2)) == .serviceUnavailable)
        #expect(MetaGraph.connectivity(status: 400, body: Self.graphError(100)) == .unknown)
        #expect(MetaGraph.connectivity(status: 400, body: Self.graphError(100, subcode: 33)) == .unauthorized)
        #expect(MetaGraph.connectivity(status: 418, body: nil) == .requestFailed)
        #expect(MetaGraph.connectivity(status: nil, body: nil) == .requestFailed)
    }

    @Test func handshakeNeedsSubscribeAndTheToken() {
        let equal: (String, String) -> Bool = { $0 == $1 }
        let good = ["hub.mode": "subscribe", "hub.verify_token": "38owndego8ugcinx", "hub.challenge": "1158201444"]
        #expect(MetaGraph.handshakeChallenge(query: good, verifyToken: "38owndego8ugcinx", tokensEqual: equal) == "1158201444")
        #expect(MetaGraph.handshakeChallenge(query: good, verifyToken: "other", tokensEqual: equal) == nil)
        #expect(MetaGraph.handshakeChallenge(query: good, verifyToken: "", tokensEqual: { _, _ in true }) == nil)
        var unsubscribe = good
        unsubscribe["hub.mode"] = "unsubscribe"
        #expect(MetaGraph.handshakeChallenge(query: unsubscribe, verifyToken: "38owndego8ugcinx", tokensEqual: equal) == nil)
        var noChallenge = good
        noChallenge["hub.challenge"] = nil
        #expect(MetaGraph.handshakeChallenge(query: noChallenge, verifyToken: "38owndego8ugcinx", tokensEqual: equal) == nil)
    }

    @Test func fileExtensionsComeFromTheLinkPath() {
        #expect(MetaGraph.fileExtension(ofURL: "https://hub.example/api/chat/abc/Photo.JPG?x=1.pdf") == "jpg")
        #expect(MetaGraph.fileExtension(ofURL: "https://hub.example/api/chat/abc") == "")
        #expect(MetaGraph.fileExtension(ofURL: "https://hub.example.test/file") == "")
    }
}
