import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SwitchboardCore
import SwitchboardTesting
import Testing

extension BrowserSuites {
    /// The Live Chat widget on a test website (a local page that includes the script) in headless
    /// Chromium, with an agent answering in the inbox. The channel's website domain is `127.0.0.1`;
    /// the same page reached as `localhost` is another origin and is refused.
    @Suite("Browser: live chat widget", .serialized, .enabled(if: Browser.isAvailable))
    struct BrowserLiveChatTests {
        static let autoReply = "Thanks! An agent will be with you shortly."

        /// Creates the Live Chat channel (to extension 1001) and a website page embedding it.
        static func site(_ f: BrowserFixture) async throws -> (page: FakeServer, channelID: Int64) {
            let created = try await f.api.post("message_channel/createlivechat", token: f.token, [
                "name": "Website Chat", "website_domain": "127.0.0.1", "destination_type": "extension",
                "destination_id": .string(String(f.extensionID)), "communication_method": 1, "message_type": 2,
                "theme_mode": "light", "theme_color": "#1f5fbf", "enable_pre_chat_form": 1, "pre_chat_fields": ["name"],
                "pre_chat_form_title": "Welcome!", "first_msg_auto_reply": .string(autoReply),
            ])
            let channelID = try #require(created.int("id"), "\(created.text)")
            let hub = f.base
            let router = Router()
            router.get("page") { _, _ in
                Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: """
                    <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
                    <body><h1>Our shop</h1><script src="\(hub)/live_chat.v1.0.0.js?channelNumber=LC00000"></script></body></html>
                    """)))
            }
            router.get("favicon.ico") { _, _ in Response(status: .noContent) }
            return (try await FakeServer.start(router), channelID)
        }

        @Test func aVisitorAndAnAgentChatBothWaysAndTheVisitorEndsTheChat() async throws {
            try await BrowserFixture.with { f in
                let (page, _) = try await Self.site(f)
                defer { Task { await page.stop() } }
                try await BrowserFixture.withBrowser { agent in
                    try await f.signInAgent(agent)
                    try await BrowserFixture.withBrowser { visitor in
                        try await visitor.open("http://127.0.0.1:\(page.port)/page")
                        try await visitor.click("#sblc-launch")
                        // The agent is signed in and Available: the online greeting.
                        try await visitor.waitForText("Hello! How can we help you?", in: "#sb-livechat")
                        try await visitor.type("#sblc-name", "Alice")
                        try await visitor.click("#sblc-start")
                        try await visitor.type("#sblc-input", "My parcel is late 😟")
                        try await visitor.click("#sblc-send")
                        try await visitor.waitForText(Self.autoReply, in: "#sblc-messages")

                        // The visitor's message went the inbound way: a session for the agent, live in the inbox.
                        try await agent.waitForText("Alice", in: "#session-list")
                        try await agent.click("#session-list .session")
                        try await agent.waitForText("My parcel is late", in: "#messages")
                        try await agent.type("#reply", "Sorry Alice, let me check.")
                        try await agent.click("#send")
                        try await visitor.waitForText("Sorry Alice, let me check.", in: "#sblc-messages")
                        try await visitor.saveScreenshot(to: BrowserFixture.screenshotPath("widget"))

                        try await visitor.click("#sblc-end")
                        try await agent.waitForText("closed by visitor", in: "#messages")
                        #expect(try await f.scalar("SELECT COUNT(*) AS n FROM messages WHERE msg_type = 7") == 1)
                        #expect(try await f.scalar("SELECT COUNT(*) AS n FROM sessions WHERE channel_type = 'livechat' AND closed_at IS NOT NULL") == 1)
                        try await visitor.waitForText("This chat session has ended.", in: "#sblc-messages")
                        try await BrowserFixture.expectNoConsoleErrors(visitor, "the website")
                        try await BrowserFixture.expectNoConsoleErrors(agent, "/inbox")
                    }
                }
            }
        }

        /// The portal edits a Live Chat channel's office hours and holidays; a day that ends before it
        /// starts is shown next to that day and nothing is saved.
        @Test func theAdminSetsOfficeHoursAndHolidaysInThePortal() async throws {
            try await BrowserFixture.with { f in
                let (page, channelID) = try await Self.site(f)
                defer { Task { await page.stop() } }
                try await BrowserFixture.withBrowser { browser in
                    try await BrowserFixture.signInAdmin(browser, base: f.base)
                    try await browser.click("[data-hours='\(channelID)']")
                    try await browser.waitUntil("the office hours form") { try await browser.run("return !document.querySelector('#hours-box').hidden;") == true }
                    try await browser.run("""
                        function set(id, v) { var e = document.getElementById(id); if (e.type === 'checkbox') e.checked = v; else e.value = v; }
                        set('hours-offset', '480'); set('hours-mon-open', true); set('hours-mon-start', '09:00'); set('hours-mon-end', '18:00');
                        set('hours-tue-open', true); set('hours-tue-start', '18:00'); set('hours-tue-end', '09:00');
                        set('hours-holidays', '2026-12-25');
                        """)
                    try await browser.click("#hours-form button[type=submit]")
                    try await browser.waitForText("PARAMETER ERROR", in: "#hours-form .form-error")
                    #expect(try await browser.run("return document.querySelector('#hours-tue-end').getAttribute('aria-invalid');") == "true")
                    let before = try await f.api.get("message_channel/livechat_hours", token: f.token, ["id": String(channelID)])
                    #expect(before.json["data"]?["hours"] == [], "\(before.text)")

                    try await browser.run("document.getElementById('hours-tue-start').value = '10:00'; document.getElementById('hours-tue-end').value = '16:30';")
                    try await browser.click("#hours-form button[type=submit]")
                    try await browser.waitForText("Saved.", in: "#hours-form")
                    let saved = try await f.api.get("message_channel/livechat_hours", token: f.token, ["id": String(channelID)])
                    #expect(saved.json["data"] == [
                        "utc_offset": 480, "holidays": ["2026-12-25"],
                        "hours": [["day": "mon", "start": "09:00", "end": "18:00"], ["day": "tue", "start": "10:00", "end": "16:30"]],
                    ], "\(saved.text)")
                    // Opening the form again shows what is stored.
                    try await browser.open(f.base + "/portal/channels")
                    try await browser.click("[data-hours='\(channelID)']")
                    try await browser.waitUntil("the stored hours") {
                        try await browser.run("return document.getElementById('hours-offset').value + '|' + document.getElementById('hours-tue-end').value + '|' + document.getElementById('hours-wed-open').checked;") == "480|16:30|false"
                    }
                    try await BrowserFixture.expectNoConsoleErrors(browser, "/portal/channels (office hours)")
                }
            }
        }

        @Test func theScriptOnAnotherOriginIsRefusedByTheServer() async throws {
            try await BrowserFixture.with { f in
                let (page, _) = try await Self.site(f)
                defer { Task { await page.stop() } }
                // The server's answer to another origin: 403, and no CORS permission.
                let refused = try await f.api.call(.get, "/api/livechat/config", query: ["channelNumber": "LC00000"], headers: [.origin: "http://localhost:\(page.port)"])
                #expect(refused.status == .forbidden)
                #expect(refused.headers[.accessControlAllowOrigin] == nil)
                let allowed = try await f.api.call(.get, "/api/livechat/config", query: ["channelNumber": "LC00000"], headers: [.origin: "http://127.0.0.1:\(page.port)"])
                #expect(allowed.errcode == 0 && allowed.headers[.accessControlAllowOrigin] == "http://127.0.0.1:\(page.port)")

                try await BrowserFixture.withBrowser(.phone) { browser in
                    try await browser.open("http://localhost:\(page.port)/page")
                    try await browser.waitUntil("the browser to report the refused call") {
                        try await browser.consoleLog().contains { $0.message.contains("livechat/config") }
                    }
                    #expect(try await browser.run("return document.getElementById('sb-livechat') === null;") == true)
                }
            }
        }
    }
}
