import Foundation
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// Executing campaigns through the outbox: sessions or none, one campaign at a time, schedules,
/// results, retry of failures, event 30030.
@Suite("Campaign execution")
struct CampaignRunTests {
    @Test(arguments: TestEngines.available)
    func aCampaignSendsToEveryRecipientInItsOwnSessionAndRetryResendsOnlyTheFailed(engine: DatabaseEngine) async throws {
        try await CampaignFixture.with(engine) { c in
            // A customer with an open session keeps it; the others get campaign sessions for extension 1001.
            try await SessionFixtureInbound.deliver(c.f, from: "+12025550101", text: "hello before")
            c.f.fake.sendFailures.push(.init(status: 400, code: "10001"))
            let numbers = (1...5).map { "+1202555010\($0)" }
            let id = try await c.create(c.body("Promo", numbers: numbers))
            try await c.runUntilCompleted(id)
            let results = try await c.results(id)
            #expect(results.count == 5)
            let failed = results.filter { $0["result"] == "failed" }
            #expect(failed.count == 1 && results.filter { $0["result"] == "succeeded" }.count == 4)
            #expect(failed.first?["failed_reason"]?.stringValue?.isEmpty == false)
            let detail = try await c.detail(id)
            #expect(detail["result_count"] == "1/5" && detail["status"] == "completed")
            #expect(try await c.scalar("SELECT COUNT(*) AS n FROM sessions WHERE origin = 'campaign' AND campaign_id = \(bind: id)") == 4)
            #expect(try await c.scalar("SELECT COUNT(*) AS n FROM sessions WHERE origin = 'campaign' AND owner_extension_id = \(bind: c.f.extensionID)") == 4)
            #expect(try await c.scalar("SELECT COUNT(*) AS n FROM sessions") == 5)
            let event = try await c.hub.hub.database.run { db in
                try await db.raw("SELECT payload FROM events WHERE type = 30030").all().map { try $0.decode(column: "payload", as: String.self) }
            }
            #expect(event.count == 1)
            #expect(SocketLoop.decodeJSON(event.first ?? "") == ["task_id": .int(id), "total": 5, "fail_count": 1])

            // A reply counts towards the response rate.
            try await SessionFixtureInbound.deliver(c.f, from: "+12025550103", text: "interested!")
            #expect(try await c.detail(id)["response_rate"] == "20%")

            let failedNumber = try #require(failed.first?["number"]?.stringValue)
            #expect(try await c.api.get("message_campaign/retry", token: c.token, ["id": String(id)]).errcode == 0)
            #expect(try await c.status(id) == "pending")
            try await c.hub.hub.campaigns.tick()
            #expect(try await c.status(id) == "retrying")
            try await c.runUntilCompleted(id)
            #expect(try await c.detail(id)["result_count"] == "0/5")
            var times: [String: Int] = [:]
            for sent in c.f.fake.sent.all { times[sent.to, default: 0] += 1 }
            #expect(times.count == 5 && times.values.allSatisfy { $0 == 1 }, "\(times)")  // the scripted failure never reached the fake
            #expect(c.f.fake.sent.all.allSatisfy { $0.from == GeneralChannelFixture.did && $0.text == "Hello 🌞" })
            #expect(times[failedNumber] == 1)
            #expect(try await c.api.get("message_campaign/retry", token: c.token, ["id": String(id)]).errcode == 70084)
        }
    }

    /// A server error may come after the provider took the message: the campaign send fails as
    /// uncertain and is never sent again (not by the outbox, not by a campaign retry); throttling
    /// means the provider did not take it, so that send is retried and succeeds.
    @Test(arguments: TestEngines.available)
    func aCampaignSendWithAnUnknownOutcomeIsNeverResentButAThrottledOneIs(engine: DatabaseEngine) async throws {
        try await CampaignFixture.with(engine) { c in
            c.f.fake.sendFailures.push(.init(status: 500))
            c.f.fake.sendFailures.push(.init(status: 429))
            let numbers = ["+12025550101", "+12025550102", "+12025550103"]
            let id = try await c.create(c.body("Unknown outcome", numbers: numbers, mode: "direct"))
            try await c.runUntilCompleted(id)
            let results = try await c.results(id)
            let failed = results.filter { $0["result"] == "failed" }
            #expect(failed.count == 1, "\(results)")
            let reason = failed.first?["failed_reason"]?.stringValue ?? ""
            #expect(reason.hasSuffix("not resent in case the provider already has it"), "\(reason)")
            #expect(try await c.scalar("SELECT COUNT(*) AS n FROM campaign_recipients WHERE uncertain = 1") == 1)
            #expect(try await c.scalar("SELECT MAX(attempts) AS n FROM outbox o JOIN campaign_recipients r ON r.message_id = o.message_id WHERE r.uncertain = 1") == 1)
            #expect(try await c.scalar("SELECT COUNT(*) AS n FROM outbox WHERE attempts = 2") == 1, "the throttled send was tried again")
            // Sent: the two that succeeded, once each; the uncertain one never reached the fake's log (its 500 came first).
            #expect(Set(c.f.fake.sent.all.map(\.to)).count == 2 && c.f.fake.sent.count == 2)
            // A campaign retry leaves the uncertain recipient alone: there is nothing to resend.
            #expect(try await c.api.get("message_campaign/retry", token: c.token, ["id": String(id)]).errcode == 70084)
        }
    }

    /// A phonebook contact whose number is not E.164 is not dropped silently: it is a recipient
    /// that fails with the reason; a contact without that number is left out.
    @Test(arguments: TestEngines.available)
    func aPhonebookNumberThatIsNotE164FailsWithItsReason(engine: DatabaseEngine) async throws {
        try await CampaignFixture.with(engine) { c in
            let book = try await c.api.post("phonebook/create", token: c.token, ["name": "Customers"])
            let bookID = try #require(book.int("id"), "\(book.text)")
            for (name, mobile) in [("Ada", "+12025550101"), ("Bob", "202-555-0102"), ("Cy", "")] {
                var contact: JSONValue = ["first_name": .string(name), "phonebook_ids": [.int(bookID)]]
                if !mobile.isEmpty { contact = ["first_name": .string(name), "mobile_number": .string(mobile), "phonebook_ids": [.int(bookID)]] }
                let created = try await c.api.post("company_contact/create", token: c.token, contact)
                #expect(created.errcode == 0, "\(created.text)")
            }
            var body = c.body("Book", numbers: [], mode: "direct").objectValue!
            body["recipient_type"] = "phonebook"
            body["recipient_id"] = .int(bookID)
            body["recipient_num_type"] = "mobile_number"
            let id = try await c.create(.object(body))
            try await c.runUntilCompleted(id)
            let results = try await c.results(id)
            #expect(results.map { $0["contact_name"]?.stringValue ?? "" } == ["Ada", "Bob"], "\(results)")
            #expect(results.first?["result"] == "succeeded")
            #expect(results.last?["result"] == "failed")
            #expect(results.last?["failed_reason"]?.stringValue?.contains("202-555-0102 is not an E.164 number") == true, "\(results)")
            #expect(c.f.fake.sent.all.map(\.to) == ["+12025550101"])
            #expect(try await c.detail(id)["result_count"] == "1/2")
        }
    }

    @Test(arguments: TestEngines.available)
    func directCampaignsLeaveNoSessionAndCampaignsRunOneAtATime(engine: DatabaseEngine) async throws {
        try await CampaignFixture.with(engine) { c in
            let first = try await c.create(c.body("Direct", numbers: ["+12025550101", "+12025550102"], mode: "direct"))
            let second = try await c.create(c.body("Second", numbers: ["+12025550103"], mode: "direct"))
            let later = try await c.create(c.body("Later", numbers: ["+12025550104"], sendType: "schedule", mode: "direct")
                .objectValue.map { var o = $0; o["send_time"] = .int(c.hub.clock.now() + 3600); return JSONValue.object(o) }!)
            try await c.hub.hub.campaigns.tick()
            #expect(try await c.status(first) == "executing")
            #expect(try await c.status(second) == "pending")
            #expect(try await c.status(later) == "scheduled")
            try await c.runUntilCompleted(first)
            try await c.runUntilCompleted(second)
            #expect(try await c.status(later) == "scheduled")
            #expect(try await c.scalar("SELECT COUNT(*) AS n FROM sessions") == 0)
            #expect(try await c.scalar("SELECT COUNT(*) AS n FROM messages WHERE session_id IS NULL AND campaign_id IS NOT NULL") == 3)
            #expect(Set(c.f.fake.sent.all.map(\.to)) == ["+12025550101", "+12025550102", "+12025550103"])
            try await c.advance(by: 3600)
            try await c.runUntilCompleted(later)
            #expect(c.f.fake.sent.count == 4)
        }
    }

    /// 1,000 recipients at 80 messages a second: all sent, every result recorded (the time is measured by the bench).
    @Test(arguments: TestEngines.available)
    func aThousandRecipientsAreAllSentAndRecorded(engine: DatabaseEngine) async throws {
        try await CampaignFixture.with(engine, sendRate: 80) { c in
            let numbers = (0..<1000).map { "+1303555\(String(format: "%04d", $0))" }
            let id = try await c.create(c.body("Big", numbers: numbers, mode: "direct"))
            try await c.runUntilCompleted(id, seconds: 300)
            let results = try await c.results(id)
            #expect(results.count == 1000)
            #expect(results.allSatisfy { $0["result"] == "succeeded" })
            #expect(try await c.detail(id)["result_count"] == "0/1000")
            #expect(Set(c.f.fake.sent.all.map(\.to)) == Set(numbers))
            let over = c.body("Too many", numbers: (0..<1001).map { "+1404555\(String(format: "%04d", $0))" })
            #expect(try await c.api.post("message_campaign/create", token: c.token, over).errcode == 60002)
        }
    }
}

/// Inbound SMS through the General channel's signed webhook.
enum SessionFixtureInbound {
    static func deliver(_ f: GeneralChannelFixture, from customer: String, text: String) async throws {
        let answer = try await f.deliver(FakeGeneralProvider.inboundBody(id: UUID().uuidString, from: customer, to: GeneralChannelFixture.did, text: text))
        #expect(answer.status == .noContent)
    }
}
