import Foundation
import Synchronization
import SwitchboardCore
import SwitchboardTesting
import Testing

extension BrowserSuites {
    /// The same pages in headless Firefox (Debian's firefox-esr over WebDriver BiDi): the agent inbox
    /// live with a reply reaching the provider, at desktop and phone widths; the Live Chat widget both
    /// ways with an agent in Chromium; the portal's sign-in and channel page. No console errors.
    @Suite("Browser: Firefox", .serialized, .enabled(if: Firefox.isAvailable && Browser.isAvailable))
    struct BrowserFirefoxTests {
        static func withFirefox<T: Sendable>(_ size: Browser.Size = .desktop, _ body: (Firefox) async throws -> T) async throws -> T {
            try await BrowserFixture.with(Firefox.self, size, body)
        }

        static func expectNoConsoleErrors(_ browser: Firefox, _ page: String) async throws {
            try await BrowserFixture.expectNoConsoleErrors(browser, page + " (Firefox)")
        }

        @Test func theInboxWorksInFirefoxAtDesktopAndPhoneWidths() async throws {
            try await BrowserFixture.with { f in
                try await Self.withFirefox { browser in
                    try await browser.open(f.base + "/inbox")
                    try await browser.type("#ext", "1001")
                    try await browser.type("#pw", BrowserFixture.password + Browser.Key.enter)
                    try await browser.waitForText("Live", in: "#conn")
                    try await f.inbound("Do you ship to Canada?")
                    try await browser.waitForText("Do you ship to Canada?", in: "#session-list")
                    try await browser.click("#session-list .session")
                    try await browser.waitForText("Do you ship to Canada?", in: "#messages")
                    try await browser.click("#act-pickup")
                    try await browser.waitForText("picked up the session", in: "#messages")
                    try await browser.type("#reply", "Yes, we do.")
                    try await browser.click("#send")
                    try await browser.waitUntil("the provider received the reply") {
                        f.fake.sent.all.contains { $0.text == "Yes, we do." && $0.to == BrowserFixture.customer }
                    }
                    try await browser.waitForText("Sent", in: "#messages .msg.out")
                    try await Self.expectNoConsoleErrors(browser, "/inbox")

                    try await browser.resize(.phone)
                    // Firefox answers setViewport before it lays the page out again: click Back once it shows.
                    try await browser.waitUntil("the Back button at phone width") {
                        try await browser.run("var b = document.querySelector('#back'); return !!b && b.offsetWidth > 0 && window.innerWidth < 500;") == true
                    }
                    try await browser.click("#back")
                    try await browser.waitUntil("the session list at phone width") {
                        try await browser.run("return document.querySelector('.sessions').offsetWidth > 0 && document.querySelector('.chat').offsetWidth === 0;") == true
                    }
                    try await Self.expectNoConsoleErrors(browser, "/inbox (phone)")
                }
            }
        }

        @Test func aVisitorInFirefoxChatsWithAnAgent() async throws {
            try await BrowserFixture.with { f in
                let (page, _) = try await BrowserLiveChatTests.site(f)
                defer { Task { await page.stop() } }
                try await BrowserFixture.withBrowser { agent in
                    try await f.signInAgent(agent)
                    try await Self.withFirefox(.phone) { visitor in
                        try await visitor.open("http://127.0.0.1:\(page.port)/page")
                        try await visitor.click("#sblc-launch")
                        try await visitor.waitForText("Hello! How can we help you?", in: "#sb-livechat")
                        try await visitor.type("#sblc-name", "Bea")
                        try await visitor.click("#sblc-start")
                        try await visitor.type("#sblc-input", "Is the shop open on Sunday?")
                        try await visitor.click("#sblc-send")
                        try await visitor.waitForText(BrowserLiveChatTests.autoReply, in: "#sblc-messages")
                        try await agent.waitForText("Bea", in: "#session-list")
                        try await agent.click("#session-list .session")
                        try await agent.waitForText("open on Sunday", in: "#messages")
                        try await agent.type("#reply", "Yes, 10 to 4.")
                        try await agent.click("#send")
                        try await visitor.waitForText("Yes, 10 to 4.", in: "#sblc-messages")
                        try await Self.expectNoConsoleErrors(visitor, "the website (Firefox)")
                    }
                }
            }
        }

        @Test func thePortalSignsInAndShowsTheChannelsInFirefox() async throws {
            try await BrowserFixture.with { f in
                try await Self.withFirefox { browser in
                    try await browser.open(f.base + "/")
                    try await browser.type("#password", TestHub.adminPassword + Browser.Key.enter)
                    try await browser.waitForText("General SMS Channel", in: "#channel-table")
                    // The SMS form shows the chosen provider's credential fields.
                    try await browser.run("var s = document.querySelector('#sms-channel'); s.value = 'twilio'; s.dispatchEvent(new Event('change'));")
                    #expect(try await browser.run("var e = document.querySelector('#sms-twilio-account_sid'); return !!e && e.offsetParent !== null;") == true)
                    try await Self.expectNoConsoleErrors(browser, "/portal/channels")
                // Every other portal page loads and runs its script without an error.
                for (page, heading) in [("campaigns", "Campaigns"), ("chat-logs", "Chat logs"), ("email", "Email"), ("directory", "Directory")] {
                    try await browser.open(f.base + "/portal/" + page)
                    try await browser.waitForText(heading, in: "main h1")
                    try await Self.expectNoConsoleErrors(browser, "/portal/" + page)
                }
                    // The harness does see console errors (so the checks above can fail).
                    try await browser.run("console.error('probe ' + 42);")
                    let seen = Mutex<[String]>([])
                    try await browser.waitUntil("the probe error reported") {
                        let errors = try await browser.consoleErrors()
                        seen.withLock { $0 += errors }
                        return !seen.withLock { $0 }.isEmpty
                    }
                    #expect(seen.withLock { $0 } == ["probe 42"])
                }
            }
        }
    }
}
