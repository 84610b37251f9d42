import Foundation
import SwitchboardCore
import SwitchboardTesting
import Testing

extension BrowserSuites {
    /// The Email page and "Send installation instruction to website admin via email" in headless
    /// Chromium, against a real SMTP server on loopback.
    @Suite("Browser: email settings and the embed code by email", .serialized, .enabled(if: Browser.isAvailable))
    struct BrowserEmailTests {
        /// Waits until `css` is on screen (a hidden `.result` already holds its text).
        static func waitShown(_ browser: Browser, _ css: String) async throws {
            try await browser.waitUntil("\(css) shown") {
                try await browser.run("var e = document.querySelector(arguments[0]); return !!e && e.offsetParent !== null;", [.string(css)]) == true
            }
        }

        @Test func adminSetsUpEmailAndSendsTheEmbedCode() async throws {
            var options = FakeSMTPServer.Options()
            options.users = ["hub@example.com": "smtp-pass-1"]
            options.requireAuth = true
            try await EmailSMTPClientTests.withServer(options) { smtp in
                try await BrowserFixture.with { f in
                    let chat = try await f.api.post("message_channel/createlivechat", token: f.token, ChannelLiveChatTests.body)
                    let chatID = try #require(chat.int("id"), "\(chat.text)")
                    try await BrowserFixture.withBrowser { browser in
                        try await browser.open(f.base + "/")
                        try await browser.type("#password", TestHub.adminPassword + Browser.Key.enter)
                        try await browser.waitForText("General SMS Channel", in: "#channel-table")

                        try await browser.open(f.base + "/portal/email")
                        try await browser.waitForText("Not configured yet", in: "#main")
                        try await browser.type("#smtp-host", "127.0.0.1")
                        try await browser.run("var s = document.querySelector('#smtp-security'); s.value = 'none'; s.dispatchEvent(new Event('change'));")
                        #expect(try await browser.run("return document.querySelector('#smtp-port').value;") == "25", "the port follows the security")
                        try await browser.run("document.querySelector('#smtp-port').value = '';")
                        try await browser.type("#smtp-port", String(smtp.port))
                        try await browser.type("#smtp-username", "hub@example.com")
                        try await browser.type("#smtp-password", "wrong-pass")
                        try await browser.type("#smtp-sender", "hub@example.com")
                        try await browser.type("#smtp-name", "Front Desk")
                        try await browser.click("#smtp-form button[type=submit]")
                        try await Self.waitShown(browser, "#smtp-form .result")
                        #expect(try await f.hub.hub.email.settings()?.port == Int64(smtp.port))

                        // The server's refusal is shown as it said it.
                        try await browser.type("#smtp-test-to", "admin@example.org")
                        try await browser.click("#smtp-test-form button[type=submit]")
                        try await browser.waitForText("535 5.7.8 Authentication failed", in: "#smtp-test-form .form-error")

                        try await browser.run("document.querySelector('#smtp-password').value = '';")
                        try await browser.type("#smtp-password", "smtp-pass-1")
                        try await browser.click("#smtp-form button[type=submit]")
                        try await browser.waitUntil("saved again") { try await f.hub.hub.email.settings()?.password == "smtp-pass-1" }
                        try await browser.click("#smtp-test-form button[type=submit]")
                        try await Self.waitShown(browser, "#smtp-test-form .result")
                        #expect(smtp.received.first?.recipients == ["admin@example.org"])

                        try await browser.open(f.base + "/portal/channels")
                        try await browser.click("[data-embed=\"\(chatID)\"]")
                        try await browser.waitForText("Website Domain: www.example.com", in: "#embed-box")
                        try await browser.click("#embed-email-on")
                        try await browser.type("#embed-email", "web@example.org")
                        try await browser.click("#embed-email-form button[type=submit]")
                        try await browser.waitForText("Sent the embed code", in: "#embed-email-form .result")
                        try await BrowserFixture.expectNoConsoleErrors(browser, "portal")
                    }
                    let message = try #require(smtp.received.last)
                    #expect(message.recipients == ["web@example.org"])
                    let code = try await f.api.get("message_channel/embedcode", token: f.token, ["id": String(chatID)]).json["embed_code"]?.stringValue
                    #expect(code?.contains("live_chat.v1.0.0.js?channelNumber=LC00000") == true)
                    #expect(message.mime.body()?.contains(try #require(code)) == true, "\(message.mime.body() ?? "")")
                }
            }
        }
    }
}
