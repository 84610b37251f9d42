import Foundation
import SwitchboardCore
import SwitchboardTesting
import Testing

/// The agent inbox and the admin portal in headless Chromium.
@Suite("Browser: inbox and portal", .serialized, .enabled(if: Browser.isAvailable))
struct BrowserInboxTests {
    @Test func inboundSMSAppearsLiveAndTheAgentPicksUpAndReplies() async throws {
        try await BrowserFixture.with { f in
            try await BrowserFixture.withBrowser { browser in
                try await f.signInAgent(browser)
                try await f.inbound("Is my order shipped?")
                // No reload: the agent socket brings the new queue session.
                try await browser.waitForText("Is my order shipped?", in: "#session-list")
                try await browser.click("#session-list .session")
                try await browser.waitForText("Is my order shipped?", in: "#messages")
                try await browser.click("#act-pickup")
                try await browser.waitForText("picked up the session", in: "#messages")
                #expect(try await f.scalar("SELECT owner_extension_id AS n FROM sessions") == f.extensionID)
                try await browser.type("#reply", "Yes, it left today 📦")
                try await browser.click("#send")
                try await browser.waitUntil("the provider received the reply") {
                    f.fake.sent.all.contains { $0.text == "Yes, it left today 📦" && $0.to == BrowserFixture.customer }
                }
                try await browser.waitForText("Sent", in: "#messages .msg.out")
                try await browser.saveScreenshot(to: BrowserFixture.screenshotPath("inbox"))
                try await BrowserFixture.expectNoConsoleErrors(browser, "/inbox")

                // Phone width: the list and the conversation take turns.
                try await browser.resize(.phone)
                try await browser.click("#back")
                try await browser.waitUntil("the session list at phone width") {
                    try await browser.run("return document.querySelector('.sessions').offsetWidth > 0 && document.querySelector('.chat').offsetWidth === 0;") == true
                }
                try await BrowserFixture.expectNoConsoleErrors(browser, "/inbox (phone)")
            }
        }
    }

    @Test func keyboardOnlySignInToTheInboxAndThePortal() async throws {
        try await BrowserFixture.with { f in
            try await BrowserFixture.withBrowser { browser in
                // Inbox: the extension field has focus; Tab to the password, Enter submits.
                try await browser.open(f.base + "/inbox")
                try await browser.waitUntil("focus on the extension field") { try await browser.run("return document.activeElement.id;") == "ext" }
                try await browser.keys("1001" + Browser.Key.tab)
                try await browser.keys(BrowserFixture.password + Browser.Key.enter)
                try await browser.waitForText("Live", in: "#conn")
                #expect(try await browser.text("#me").contains("1001"))
                try await BrowserFixture.expectNoConsoleErrors(browser, "/inbox")

                // Portal: a wrong password is refused, the right one opens Channels.
                try await browser.open(f.base + "/")
                try await browser.waitUntil("focus on the password") { try await browser.run("return document.activeElement.id;") == "password" }
                try await browser.keys("wrong" + Browser.Key.enter)
                try await browser.waitForText("The password is incorrect.")
                try await browser.keys(TestHub.adminPassword + Browser.Key.enter)
                try await browser.waitForText("General SMS Channel", in: "main")
                #expect(try await browser.text("main .badge").isEmpty == false)
                try await browser.saveScreenshot(to: BrowserFixture.screenshotPath("portal"))
                try await browser.click("a[href='/portal/queues']")
                try await browser.waitForText("Support", in: "main")
                try await BrowserFixture.expectNoConsoleErrors(browser, "/portal")
            }
        }
    }
}
