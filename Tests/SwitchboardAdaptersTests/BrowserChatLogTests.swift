import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

extension BrowserSuites {
    /// The portal's External chat logs page in headless Chromium, on chat logs made by real traffic:
    /// customers' SMS through the provider's webhook, an agent's pickup, reply and close, and a
    /// session an agent starts.
    @Suite("Browser: external chat logs", .serialized, .enabled(if: Browser.isAvailable))
    struct BrowserChatLogTests {
        static let refundCustomer = "+15550003333"
        static let startedCustomer = "+15550004444"

        /// Three sessions, a minute apart: S1 (an MMS with a photo; picked up, answered, closed), S2 (a
        /// refund request waiting in the queue), S3 (started by agent 1001). Newest activity: S3, S1, S2.
        static func traffic(_ f: BrowserFixture, _ browser: Browser, media: FakeServer) async throws -> (s1: Int64, s2: Int64, s3: Int64) {
            try await f.inbound("Is my order shipped?", mediaURL: media.baseURL + "/media/label.png")
            let s1 = try await f.scalar("SELECT MAX(id) AS n FROM sessions")
            f.hub.clock.advance(by: 60)
            try await f.inbound("I need a refund, \"now\"", from: refundCustomer)
            let s2 = try await f.scalar("SELECT MAX(id) AS n FROM sessions")
            f.hub.clock.advance(by: 60)
            let agent: JSONObject = ["session_id": .int(s1), "user_type": 1, "user_no": "1001"]
            #expect(try await f.api.post("message_session/pickup", token: f.token, .object(agent)).errcode == 0)
            let reply = try await f.api.post("message/send", token: f.token, [
                "sender_type": 1, "sender_no": "1001", "session_id": .int(s1), "msg_body": "Yes, it left today 📦",
            ])
            #expect(reply.errcode == 0, "\(reply.text)")
            try await browser.waitUntil("the reply is sent") {
                try await f.scalar("SELECT COUNT(*) AS n FROM messages WHERE direction = 'out' AND delivery_status = 1") == 1
            }
            #expect(try await f.api.post("message_session/close", token: f.token, .object(agent)).errcode == 0)
            f.hub.clock.advance(by: 60)
            let started = try await f.api.post("message/send", token: f.token, [
                "sender_type": 1, "sender_no": "1001", "channel": "general", "did_number": .string(BrowserFixture.did),
                "to": .string(startedCustomer), "msg_body": "Your appointment is tomorrow",
            ])
            let s3 = try #require(started.int("session_id"), "\(started.text)")
            return (s1, s2, s3)
        }

        /// The session ids the results table lists, in order.
        static func listed(_ browser: Browser) async throws -> [Int64] {
            let text = try await browser.run("""
                return Array.prototype.map.call(document.querySelectorAll('#cl-table tbody tr[data-session]'),
                  function (r) { return r.getAttribute('data-session'); }).join(',');
                """).stringValue ?? ""
            return text.split(separator: ",").compactMap { Int64($0) }
        }

        static func waitForListed(_ browser: Browser, _ ids: [Int64]) async throws {
            try await browser.waitUntil("sessions \(ids) listed") { try await listed(browser) == ids }
        }

        /// Sets a `datetime-local` field to Unix `seconds`, written in the browser's time zone.
        static func setTime(_ browser: Browser, _ css: String, _ seconds: Int64) async throws {
            try await browser.run("""
                var d = new Date(arguments[1] * 1000), p = function (n) { return (n < 10 ? '0' : '') + n; };
                document.querySelector(arguments[0]).value = d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) +
                  'T' + p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds());
                """, [.string(css), .int(seconds)])
        }

        static func choose(_ browser: Browser, _ css: String, _ value: String) async throws {
            try await browser.run("document.querySelector(arguments[0]).value = arguments[1];", [.string(css), .string(value)])
        }

        @Test func adminFiltersOpensAHistoryDeletesAndDownloads() async throws {
            let downloads = FileManager.default.temporaryDirectory.appendingPathComponent("chatlog-downloads-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: downloads, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: downloads) }
            // The provider's media server, holding the customer's photo.
            let router = Router()
            router.get("media/label.png") { _, _ in Response(status: .ok, headers: [.contentType: "image/png"], body: .init(byteBuffer: .init(string: "PNGDATA"))) }
            let media = try await FakeServer.start(router)
            defer { Task { await media.stop() } }
            try await BrowserFixture.with { f in
                try await BrowserFixture.withBrowser(downloads: downloads) { browser in
                    let (s1, s2, s3) = try await Self.traffic(f, browser, media: media)
                    try await browser.open(f.base + "/")
                    try await browser.type("#password", TestHub.adminPassword + Browser.Key.enter)
                    try await browser.waitForText("General SMS Channel", in: "main")
                    try await browser.click("a[href='/portal/chat-logs']")
                    try await Self.waitForListed(browser, [s3, s1, s2])
                    let first = try await browser.text("#cl-table tbody tr[data-session='\(s1)']")
                    #expect(first.contains("+15557654321") && first.contains("Leo Ball<1001>") && first.contains("Closed"), "\(first)")

                    // Filters: status, sender (any part), channel type; a bad value lands next to its field.
                    try await Self.choose(browser, "#cl-status", "1")
                    try await browser.click("#cl-search")
                    try await Self.waitForListed(browser, [s1])
                    try await browser.click("#cl-reset")
                    try await Self.waitForListed(browser, [s3, s1, s2])
                    try await browser.type("#cl-sender", "3333")
                    try await browser.click("#cl-search")
                    try await Self.waitForListed(browser, [s2])
                    try await browser.click("#cl-reset")
                    try await Self.choose(browser, "#cl-type", "whatsapp")
                    try await browser.click("#cl-search")
                    try await browser.waitForText("No chat logs match.", in: "#cl-table")
                    try await browser.click("#cl-reset")
                    try await browser.type("#cl-session", "abc")
                    try await browser.click("#cl-search")
                    try await browser.waitForText("PARAMETER ERROR", in: "#cl-filter .form-error")
                    let note = try await browser.run(
                        "var f = document.querySelector('#cl-session'); return f.getAttribute('aria-invalid') + '|' + f.closest('.field').querySelector('.field-error').textContent;")
                    #expect(note.stringValue?.hasPrefix("true|") == true && note.stringValue?.hasSuffix("(session_id)") == true, "\(note)")
                    try await browser.click("#cl-reset")

                    // The time range keeps the sessions active in it; an end before the start is refused at "To".
                    let created = try await f.scalar("SELECT created_at AS n FROM sessions WHERE id = \(bind: s1)")
                    try await Self.setTime(browser, "#cl-start", created + 150)
                    try await browser.click("#cl-search")
                    try await Self.waitForListed(browser, [s3])
                    try await Self.setTime(browser, "#cl-end", created + 30)
                    try await browser.click("#cl-search")
                    try await browser.waitUntil("the range error at To") {
                        try await browser.run("return document.querySelector('#cl-end').getAttribute('aria-invalid');") == "true"
                    }
                    #expect(try await Self.listed(browser) == [s3], "a refused filter leaves the list as it was")
                    try await browser.click("#cl-reset")
                    try await Self.waitForListed(browser, [s3, s1, s2])

                    // S1's timeline and history: who did what, every message with its delivery state.
                    try await browser.click("#cl-table tr[data-session='\(s1)'] button[aria-label^='View']")
                    try await browser.waitForText("closed the session", in: "#cl-timeline")
                    let timeline = try await browser.text("#cl-timeline")
                    #expect(timeline.contains("routed to Support") && timeline.contains("Leo Ball<1001> picked up the session"), "\(timeline)")
                    try await browser.waitForText("Yes, it left today 📦", in: "#cl-history")
                    #expect(try await browser.run("return document.activeElement.id;") == "cl-detail-h")
                    let history = try await browser.text("#cl-history")
                    #expect(history.contains("Is my order shipped?") && history.contains("Inbound") && history.contains("Outbound"), "\(history)")
                    #expect(history.contains("Sent"), "the reply's delivery state: \(history)")
                    let photo = try await browser.run("var a = document.querySelector('#cl-history td.cl-content a'); return a ? a.textContent + '|' + a.href : '';")
                    #expect(photo.stringValue?.hasPrefix("label.png|http") == true, "the photo is a link: \(photo)")
                    let systemRows = try await browser.run(
                        "return Array.prototype.every.call(document.querySelectorAll('#cl-history tr.sys input'), function (i) { return i.disabled; }) && document.querySelectorAll('#cl-history tr.sys').length > 0;")
                    #expect(systemRows == true, "system messages cannot be selected")
                    try await browser.run("document.getElementById('cl-results-h').scrollIntoView();")
                    try await browser.saveScreenshot(to: BrowserFixture.screenshotPath("portal-chat-logs"))

                    // Delete the customer's message (confirmed in the page's dialog).
                    let inbound = try await f.scalar("SELECT id AS n FROM messages WHERE body = 'Is my order shipped?'")
                    try await browser.click("#cl-history tr[data-msg='\(inbound)'] button")
                    try await browser.waitUntil("the confirmation") { try await browser.run("return document.getElementById('cl-confirm').open;") == true }
                    try await browser.click("#cl-confirm-ok")
                    try await browser.waitUntil("the message leaves the history") {
                        try await browser.run("return !document.querySelector('#cl-history tr[data-msg=\"\(inbound)\"]');") == true
                    }
                    #expect(try await f.scalar("SELECT COUNT(*) AS n FROM messages WHERE id = \(bind: inbound)") == 0)

                    // Delete S2 by selection, by keyboard: Escape cancels, then Tab to OK and Enter.
                    try await browser.click("#cl-table tr[data-session='\(s2)'] input[type=checkbox]")
                    try await browser.click("#cl-delete")
                    try await browser.waitUntil("the confirmation") { try await browser.run("return document.getElementById('cl-confirm').open;") == true }
                    try await browser.keys(Browser.Key.escape)
                    try await browser.waitUntil("the dialog closes") { try await browser.run("return document.getElementById('cl-confirm').open;") == false }
                    #expect(try await f.scalar("SELECT COUNT(*) AS n FROM sessions WHERE id = \(bind: s2)") == 1)
                    try await browser.click("#cl-delete")
                    try await browser.waitUntil("the confirmation") { try await browser.run("return document.activeElement.id;") == "cl-confirm-cancel" }
                    try await browser.keys(Browser.Key.tab + Browser.Key.enter)
                    try await Self.waitForListed(browser, [s3, s1])
                    #expect(try await browser.run("return document.activeElement.id;") == "cl-results-h", "focus stays on the page, not on a removed row")
                    #expect(try await f.scalar("SELECT COUNT(*) AS n FROM sessions WHERE id = \(bind: s2)") == 0)
                    #expect(try await f.scalar("SELECT COUNT(*) AS n FROM messages WHERE session_id = \(bind: s2)") == 0)

                    // Download the filtered logs: the browser saves the ZIP.
                    try await Self.choose(browser, "#cl-status", "1")
                    try await browser.click("#cl-search")
                    try await Self.waitForListed(browser, [s1])
                    try await browser.click("#cl-download-filtered")
                    try await browser.waitForText("Downloaded chat_logs_", in: "#cl-status-line")
                    @Sendable func saved() -> String? {
                        ((try? FileManager.default.contentsOfDirectory(atPath: downloads)) ?? []).first { $0.hasPrefix("chat_logs_") && $0.hasSuffix(".zip") }
                    }
                    try await browser.waitUntil("the ZIP in the download folder") { saved() != nil }
                    let zip = try Data(contentsOf: URL(fileURLWithPath: downloads + "/" + (saved() ?? "")))
                    let files = try ChatLogDownloadTests.entries(zip)
                    let sessions = try ChatLogDownloadTests.parse(try #require(files["Session_Record.csv"]))
                    #expect(sessions.rows.map { $0[0] } == ["\(s1)"], "\(sessions.rows)")
                    let messages = try ChatLogDownloadTests.parse(try #require(files["Chat_Data_Record.csv"]))
                    #expect(messages.rows.contains { $0[5] == "Yes, it left today 📦" } && !messages.rows.contains { $0[5] == "Is my order shipped?" })

                    // The same bytes over plain HTTP with the browser's cookie and the page's CSRF token: all logs.
                    let cookie = try #require(try await browser.cookie(AdminSessions.cookieName))
                    let csrf = try await browser.run("return document.getElementById('main').getAttribute('data-csrf');").stringValue ?? ""
                    var request = HTTPClientRequest(url: f.base + "/portal/api/chat_log/download?time_zone=UTC")
                    request.headers.add(name: "Cookie", value: AdminSessions.cookieName + "=" + cookie)
                    request.headers.add(name: "X-CSRF-Token", value: csrf)
                    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                    #expect(response.status == .ok && response.headers.first(name: "Content-Type") == "application/zip")
                    let body = Data(try await response.body.collect(upTo: 16 << 20).readableBytesView)
                    let everything = try ChatLogDownloadTests.parse(try #require(try ChatLogDownloadTests.entries(body)["Session_Record.csv"]))
                    #expect(Set(everything.rows.map { $0[0] }) == ["\(s1)", "\(s3)"])
                    try await BrowserFixture.expectNoConsoleErrors(browser, "/portal/chat-logs")

                    // Phone width: nothing wider than the screen but the scrolling tables.
                    try await browser.resize(.phone)
                    try await browser.open(f.base + "/portal/chat-logs")
                    try await Self.waitForListed(browser, [s3, s1])
                    #expect(try await browser.run("return document.documentElement.scrollWidth <= window.innerWidth;") == true)
                    try await browser.click("#cl-table tr[data-session='\(s1)'] button[aria-label^='View']")
                    try await browser.waitForText("Sent", in: "#cl-history")
                    #expect(try await browser.run("return document.documentElement.scrollWidth <= window.innerWidth;") == true, "the details fit too")
                    try await BrowserFixture.expectNoConsoleErrors(browser, "/portal/chat-logs (phone)")
                }
            }
        }

        @Test func sessionsPageByKeyboard() async throws {
            try await BrowserFixture.with { f in
                for n in 0..<12 {
                    try await f.inbound("Question \(n)", from: "+1555001\(String(format: "%04d", n))")
                    f.hub.clock.advance(by: 1)
                }
                #expect(try await f.scalar("SELECT COUNT(*) AS n FROM sessions") == 12)
                try await BrowserFixture.withBrowser { browser in
                    try await browser.open(f.base + "/")
                    try await browser.type("#password", TestHub.adminPassword + Browser.Key.enter)
                    try await browser.waitForText("General SMS Channel", in: "main")
                    try await browser.open(f.base + "/portal/chat-logs")
                    try await browser.waitForText("Page 1 of 1 · Total 12", in: "#cl-page")
                    // Per page 20 → 10 (arrow up on the select), then Next by keyboard: the 2 oldest sessions.
                    try await browser.run("document.getElementById('cl-size').focus();")
                    try await browser.keys(Browser.Key.arrowUp)
                    try await browser.waitForText("Page 1 of 2 · Total 12", in: "#cl-page")
                    let first = try await Self.listed(browser)
                    #expect(first.count == 10 && first == first.sorted(by: >), "newest activity first: \(first)")
                    try await browser.run("document.getElementById('cl-next').focus();")
                    try await browser.keys(Browser.Key.enter)
                    try await browser.waitForText("Page 2 of 2 · Total 12", in: "#cl-page")
                    let second = try await Self.listed(browser)
                    #expect(second.count == 2 && Set(first).isDisjoint(with: second) && second.allSatisfy { $0 < first.min()! }, "\(second)")
                    #expect(try await browser.run("return document.getElementById('cl-next').disabled;") == true)
                    try await BrowserFixture.expectNoConsoleErrors(browser, "/portal/chat-logs (pages)")
                }
            }
        }
    }
}
