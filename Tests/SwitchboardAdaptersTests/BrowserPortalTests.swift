import Foundation
import SwitchboardCore
@testable import SwitchboardTesting
import Testing

extension BrowserSuites {
    /// The admin portal's pages in headless Chromium: forms post JSON through the portal bridge to
    /// the OpenAPI handlers, and their errors land next to the fields.
    @Suite("Browser: admin portal", .serialized, .enabled(if: Browser.isAvailable), .timeLimit(.minutes(3)))
    struct BrowserPortalTests {
        static func visible(_ browser: Browser, _ css: String) async throws -> Bool {
            try await browser.run("var e = document.querySelector(arguments[0]); return !!e && e.offsetParent !== null;", [.string(css)]) == true
        }

        static func choose(_ browser: Browser, _ css: String, _ value: String) async throws {
            try await browser.run("""
                var s = document.querySelector(arguments[0]); s.focus(); s.value = arguments[1]; s.dispatchEvent(new Event('change'));
                """, [.string(css), .string(value)])
        }

        @Test func adminAddsAnSMSChannelAndAQueueThroughTheForms() async throws {
            try await BrowserFixture.with { f in
                try await BrowserFixture.withBrowser { browser in
                    try await browser.open(f.base + "/")
                    try await browser.type("#password", TestHub.adminPassword + Browser.Key.enter)
                    try await browser.waitForText("General SMS Channel", in: "#channel-table")

                    // The form shows exactly the chosen provider's credential fields.
                    try await Self.choose(browser, "#sms-channel", "twilio")
                    #expect(try await Self.visible(browser, "#sms-twilio-account_sid"))
                    #expect(try await Self.visible(browser, "#sms-twilio-auth_token"))
                    #expect(try await Self.visible(browser, "#sms-general-api_key") == false)
                    try await Self.choose(browser, "#sms-channel", "general")
                    for key in ["api_key", "api_secret", "api_verify_url", "api_send_url"] {
                        #expect(try await Self.visible(browser, "#sms-general-\(key)"), "General SMS API lacks \(key)")
                    }
                    #expect(try await Self.visible(browser, "#sms-twilio-account_sid") == false)

                    // A bad send URL: the API's validation shows next to that field; nothing is created.
                    try await browser.type("#sms-name", "Portal SMS")
                    try await browser.type("#sms-general-api_key", f.fake.apiKey)
                    try await browser.type("#sms-general-api_send_url", "ftp://nowhere")
                    try await browser.type("#sms-did", "+15550002222")
                    try await browser.click("#sms-form button[type=submit]")
                    try await browser.waitForText("PARAMETER ERROR", in: "#sms-form .form-error")
                    let note = try await browser.run(
                        "var f = document.querySelector('#sms-general-api_send_url'); return f.getAttribute('aria-invalid') + '|' + f.closest('.field').querySelector('.field-error').textContent;")
                    #expect(note.stringValue == "true|Must be an https:// URL (account_data[1].v)", "\(note)")
                    #expect(try await f.scalar("SELECT COUNT(*) AS n FROM message_channels") == 1)

                    try await browser.run("document.querySelector('#sms-general-api_send_url').value = '';")
                    try await browser.type("#sms-general-api_send_url", f.fake.sendURL)
                    try await browser.click("#sms-form button[type=submit]")
                    try await browser.waitForText("Portal SMS", in: "#channel-table")
                    let webhook = try await browser.run("""
                        var rows = Array.prototype.slice.call(document.querySelectorAll('#channel-table tr.channel'));
                        var row = rows.filter(function (r) { return r.textContent.indexOf('Portal SMS') >= 0; })[0];
                        return row.querySelector('.webhook-url').value + '|' + row.textContent.indexOf('+15550002222');
                        """).stringValue ?? ""
                    #expect(webhook.contains("/api/v1.0/webhook/general/") && !webhook.hasSuffix("|-1"), "\(webhook)")
                    #expect(try await f.scalar("SELECT COUNT(*) AS n FROM channel_numbers WHERE did_number = '+15550002222'") == 1)
                    #expect(try await browser.run("return document.querySelectorAll('svg.stats').length;") == .int(2))
                    try await BrowserFixture.expectNoConsoleErrors(browser, "/portal/channels")
                    try await browser.run("window.scrollTo(0, 0);")
                    try await browser.saveScreenshot(to: BrowserFixture.screenshotPath("portal-channels"))

                    // Queues: create with a member; a duplicate name is refused next to the name.
                    try await browser.open(f.base + "/portal/queues")
                    try await browser.type("#q-name", "Billing")
                    try await Self.choose(browser, "#q-mode", "auto")
                    try await browser.click("#queue-form input[name=member]")
                    try await browser.click("#queue-form button[type=submit]")
                    try await browser.waitForText("Billing", in: "#queue-table")
                    #expect(try await f.scalar("SELECT COUNT(*) AS n FROM message_queue_members m JOIN message_queues q ON q.id = m.queue_id WHERE q.name = 'Billing' AND q.assignment_mode = 'auto'") == 1)
                    try await browser.type("#q-name", "Billing")
                    try await browser.click("#queue-form button[type=submit]")
                    try await browser.waitForText("DUPLICATE KEY VALUE", in: "#queue-form .form-error")
                    #expect(try await browser.text("#queue-form .field-error").contains("name"))

                    // Delete with confirmation.
                    try await browser.run("window.confirm = function () { return true; }; Array.prototype.slice.call(document.querySelectorAll('#queue-table button[data-confirm]')).filter(function (b) { return b.getAttribute('data-confirm').indexOf('Billing') >= 0; })[0].click();")
                    try await browser.waitUntil("the queue is deleted") { try await f.scalar("SELECT COUNT(*) AS n FROM message_queues WHERE name = 'Billing'") == 0 }
                    try await BrowserFixture.expectNoConsoleErrors(browser, "/portal/queues")

                    // Phone width: nothing wider than the screen but the scrolling tables.
                    try await browser.resize(.phone)
                    try await browser.open(f.base + "/portal/channels")
                    try await browser.waitForText("Portal SMS", in: "#channel-table")
                    #expect(try await browser.run("return document.documentElement.scrollWidth <= window.innerWidth;") == true)
                    try await BrowserFixture.expectNoConsoleErrors(browser, "/portal/channels (phone)")
                }
            }
        }

        /// A WebDriver call chromedriver holds back (it serialises a session's commands behind a pending
        /// navigation) ends with its wait's deadline instead of stalling the test.
        @Test func aCallThatNeverAnswersEndsWithItsDeadline() async throws {
            let start = ContinuousClock.now
            let answer = try await BrowserWait.within(.milliseconds(300)) {
                try await Task.sleep(for: .seconds(60))
                return true
            }
            #expect(answer == nil)
            #expect(ContinuousClock.now - start < .seconds(10))
        }

        @Test func directoryCSVImportReportsEachRejectedLine() async throws {
            try await BrowserFixture.with { f in
                try await BrowserFixture.withBrowser { browser in
                    try await browser.open(f.base + "/")
                    try await browser.type("#password", TestHub.adminPassword + Browser.Key.enter)
                    try await browser.waitForText("General SMS Channel", in: "main")
                    try await browser.open(f.base + "/portal/directory")
                    try await browser.type("#pb-name", "Customers")
                    try await browser.click("#pb-form button[type=submit]")
                    try await browser.waitForText("Customers", in: "#pb-table")
                    // The file input is fed from a Blob (WebDriver cannot reach the host's files portably).
                    let csv = "first_name,last_name,company,email,mobile_number\nAda,Lovelace,Engines,ada@example.com,+15550100\n,,,,\nBob,,,not-an-email,\nCy,Young,,,12ab\n"
                    try await browser.run("""
                        var data = new DataTransfer(); data.items.add(new File([arguments[0]], 'contacts.csv', { type: 'text/csv' }));
                        document.querySelector('#csv-file').files = data.files;
                        var pb = document.querySelector('#csv-pb'); pb.value = pb.options[1].value;
                        """, [.string(csv)])
                    try await browser.click("#csv-form button[type=submit]")
                    try await browser.waitForText("Imported 1 of 3 contacts.", in: "#csv-report")
                    let report = try await browser.text("#csv-report")
                    #expect(report.contains("line 4") && report.contains("email") && report.contains("line 5") && report.contains("mobile_number"), "\(report)")
                    #expect(try await f.scalar("SELECT COUNT(*) AS n FROM company_contacts") == 1)
                    #expect(try await f.scalar("SELECT COUNT(*) AS n FROM phonebook_contacts") == 1)
                    try await BrowserFixture.expectNoConsoleErrors(browser, "/portal/directory")
                }
            }
        }
    }
}
