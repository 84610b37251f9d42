import Foundation
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

extension BrowserSuites {
    /// The portal's Campaigns page in headless Chromium: the admin creates a campaign through the
    /// form, watches its progress bar fill while the fake provider receives the messages, reads every
    /// recipient's result (a failed one with its reason), retries, duplicates and deletes; bad fields'
    /// errors land next to them; CSV import, file and WhatsApp template content fill the form. The
    /// campaign runner runs as in `switchboard serve`.
    @Suite("Browser: admin portal campaigns", .serialized, .enabled(if: Browser.isAvailable), .timeLimit(.minutes(3)))
    struct BrowserPortalCampaignTests {
        static let numbers = ["+12025550101", "+12025550102", "+12025550103", "+12025550104"]

        /// The fixture with the campaign runner running beside the live server.
        static func withRunner(_ body: @escaping @Sendable (BrowserFixture) async throws -> Void) async throws {
            try await BrowserFixture.with { f in
                let runner = Task { try await f.hub.hub.campaigns.run() }
                do {
                    try await body(f)
                } catch {
                    runner.cancel()
                    _ = await runner.result
                    throw error
                }
                runner.cancel()
                _ = await runner.result
            }
        }

        static func signInToCampaigns(_ browser: Browser, _ f: BrowserFixture) async throws {
            try await browser.open(f.base + "/")
            try await browser.type("#password", TestHub.adminPassword + Browser.Key.enter)
            try await browser.waitForText("General SMS Channel", in: "main")
            try await browser.open(f.base + "/portal/campaigns")
            try await browser.waitForText("No campaigns yet.", in: "#campaign-table")
        }

        static func row(_ browser: Browser, _ name: String, _ expression: String) async throws -> JSONValue {
            try await browser.run("""
                var name = arguments[0], row = Array.prototype.slice.call(document.querySelectorAll('#campaign-table tr.campaign'))
                  .filter(function (r) { return r.getAttribute('data-name') === name; })[0];
                if (!row) { return null; }
                var bar = row.querySelector('progress'), box = row.querySelector('.progress-box');
                return \(expression);
                """, [.string(name)])
        }

        @Test func adminCreatesACampaignAndWatchesItComplete() async throws {
            try await Self.withRunner { f in
                // One message a second, so the progress bar is seen part-filled; the provider refuses the first.
                try await f.hub.hub.database.run { db in try await db.raw("UPDATE message_channels SET send_rate = 1").run() }
                f.fake.sendFailures.push(.init(status: 400, code: "10001"))
                try await BrowserFixture.withBrowser { browser in
                    try await Self.signInToCampaigns(browser, f)
                    try await browser.type("#cp-name", "Spring sale")
                    try await browser.type("#cp-numbers", Self.numbers.joined(separator: "\n"))
                    try await browser.type("#cp-text", "Spring sale: 20% off 🌷")
                    #expect(try await browser.text("#cp-count") == "22 / 1600")
                    // Send now and "create sessions" (assigned to extension 1001) are the defaults.
                    #expect(try await browser.run("return document.querySelector('input[name=cp-send]:checked').value + '|' + document.querySelector('input[name=cp-mode]:checked').value + '|' + document.querySelector('#cp-assign-id').selectedOptions[0].textContent;")
                        == .string("immediately|new_session|1001 Leo Ball"))
                    // Saved from the keyboard: Tab from the last control to Save, then Enter.
                    try await browser.run("document.querySelector('#cp-assign-id').focus();")
                    try await browser.keys(Browser.Key.tab)
                    #expect(try await browser.run("return document.activeElement.textContent;") == "Save campaign")
                    try await browser.keys(Browser.Key.enter)

                    // The list polls while it sends: the bar is seen between empty and full, then full and Completed.
                    try await browser.waitUntil("the progress bar part-filled", timeout: .seconds(30)) {
                        try await Self.row(browser, "Spring sale", "!box.hidden && bar.value > 0 && bar.value < bar.max") == true
                    }
                    try await browser.waitUntil("the campaign completed", timeout: .seconds(30)) {
                        try await Self.row(browser, "Spring sale", "row.querySelector('.badge').textContent").stringValue == "Completed"
                    }
                    #expect(try await Self.row(browser, "Spring sale", "bar.value + '/' + bar.max + '|' + row.querySelector('.result-count').textContent")
                        == .string("4/4|1/4"))
                    // The provider recorded the three it accepted (the refused one is not recorded).
                    #expect(f.fake.sent.all.filter { $0.text == "Spring sale: 20% off 🌷" }.count == 3)

                    // Details: every recipient with its result; the refused one with the provider's reason.
                    try await browser.click("#campaign-table tr.campaign [data-details]")
                    try await browser.waitUntil("four results") { try await browser.run("return document.querySelectorAll('#results-table tbody tr').length;") == .int(4) }
                    let results = try await browser.run("""
                        return Array.prototype.slice.call(document.querySelectorAll('#results-table tbody tr')).map(function (r) {
                          return Array.prototype.slice.call(r.cells).map(function (c) { return c.textContent; }).join('|'); });
                        """).arrayValue?.compactMap(\.stringValue) ?? []
                    let listed: [String] = results.map { String($0.split(separator: "|", omittingEmptySubsequences: false)[1]) }
                    #expect(Set(listed) == Set(Self.numbers), "\(results)")
                    #expect(results.filter { $0.contains("|Succeeded|") }.count == 3, "\(results)")
                    let failed = try #require(results.first { $0.contains("|Failed|") }, "\(results)")
                    #expect(!failed.hasSuffix("|Failed|"), "no failed reason: \(failed)")
                    #expect(try await browser.text("#details-summary").contains("Failed: 1 · Succeeded: 3 · Total: 4"))
                    try await BrowserFixture.expectNoConsoleErrors(browser, "/portal/campaigns")
                    try await browser.run("window.scrollTo(0, 0);")
                    try await browser.saveScreenshot(to: BrowserFixture.screenshotPath("portal-campaigns"))

                    // Retry resends only the failed recipient; the list follows it to Completed with no failures.
                    try await browser.click("#campaign-table tr.campaign [data-retry]")
                    try await browser.waitUntil("the retry completed", timeout: .seconds(30)) {
                        try await Self.row(browser, "Spring sale", "row.querySelector('.badge').textContent + '|' + row.querySelector('.result-count').textContent").stringValue == "Completed|0/4"
                    }
                    let delivered = f.fake.sent.all.filter { $0.text == "Spring sale: 20% off 🌷" }.map(\.to)
                    #expect(delivered.count == 4 && Set(delivered) == Set(Self.numbers), "\(delivered)")

                    // Duplicate: a draft copy with the same recipients.
                    try await browser.click("#campaign-table tr.campaign [data-duplicate]")
                    try await browser.waitUntil("the copy listed") { try await browser.run("return document.querySelectorAll('#campaign-table tr.campaign').length;") == .int(2) }
                    #expect(try await f.scalar("SELECT COUNT(*) AS n FROM campaigns WHERE status = 'draft'") == 1)
                    // Delete (confirmed) removes the copy with its recipients.
                    try await browser.run("""
                        window.confirm = function () { return true; };
                        document.querySelector('#campaign-table tr.campaign[data-status=draft] [data-delete-campaign]').click();
                        """)
                    try await browser.waitUntil("the copy deleted") { try await browser.run("return document.querySelectorAll('#campaign-table tr.campaign').length;") == .int(1) }
                    #expect(try await f.scalar("SELECT COUNT(*) AS n FROM campaigns") == 1)
                    try await BrowserFixture.expectNoConsoleErrors(browser, "/portal/campaigns (after retry and duplicate)")

                    // Phone width: nothing wider than the screen but the scrolling tables.
                    try await browser.resize(.phone)
                    try await browser.open(f.base + "/portal/campaigns")
                    try await browser.waitForText("Spring sale", in: "#campaign-table")
                    #expect(try await browser.run("return document.documentElement.scrollWidth <= window.innerWidth;") == true)
                    try await BrowserFixture.expectNoConsoleErrors(browser, "/portal/campaigns (phone)")
                }
            }
        }

        @Test func fieldErrorsShowNextToTheirFieldsAndCSVAndFileFillTheForm() async throws {
            try await Self.withRunner { f in
                try await BrowserFixture.withBrowser { browser in
                    try await Self.signInToCampaigns(browser, f)
                    // Every control of the form has a label.
                    let unlabelled = try await browser.run("""
                        return Array.prototype.slice.call(document.querySelectorAll('#campaign-form input:not([type=hidden]), #campaign-form select, #campaign-form textarea'))
                          .filter(function (e) { return e.labels.length === 0 && !e.getAttribute('aria-label'); }).map(function (e) { return e.id || e.name; });
                        """)
                    #expect(unlabelled == [], "\(unlabelled)")

                    // CSV import: the valid numbers join the list; each rejected row is shown with its line and reason.
                    let csv = "Name,Number\nAda,+12025550107\nBob,12345\nCy,\nDee,+12025550107\n"
                    try await browser.run("""
                        var data = new DataTransfer(); data.items.add(new File([arguments[0]], 'recipients.csv', { type: 'text/csv' }));
                        document.querySelector('#cp-csv').files = data.files;
                        """, [.string(csv)])
                    try await browser.click("#cp-import")
                    try await browser.waitForText("Imported 1 numbers.", in: "#cp-csv-report")
                    let report = try await browser.text("#cp-csv-report")
                    #expect(report.contains("line 3: 12345 — Invalid format") && report.contains("line 4: (empty) — Empty")
                        && report.contains("line 5: +12025550107 — Duplicate"), "\(report)")
                    #expect(try await browser.run("return document.querySelector('#cp-numbers').value;") == "+12025550107")
                    try await browser.run("document.querySelector('#cp-numbers').value = '';")

                    try await browser.type("#cp-numbers", "+12025550101\n2025550102")
                    try await browser.type("#cp-text", "Hello")
                    try await browser.click("#campaign-form button[type=submit]")
                    try await browser.waitForText("PARAMETER ERROR", in: "#campaign-form .form-error")
                    let notes = try await browser.run("""
                        return ['#cp-name', '#cp-numbers'].map(function (id) { var f = document.querySelector(id);
                          return f.getAttribute('aria-invalid') + '|' + f.closest('.field').querySelector('.field-error').textContent; }).join(' / ');
                        """)
                    #expect(notes.stringValue == "true|Required (name) / true|invalid_format (number_list[1].number)", "\(notes)")
                    #expect(try await browser.run("return document.activeElement.id;") == "cp-name")
                    #expect(try await f.scalar("SELECT COUNT(*) AS n FROM campaigns") == 0)

                    // Scheduling without a time: the error lands at the time field.
                    try await browser.type("#cp-name", "Later")
                    try await browser.run("document.querySelector('#cp-numbers').value = '+12025550102';")
                    try await browser.click("input[name=cp-send][value=schedule]")
                    try await browser.click("#campaign-form button[type=submit]")
                    try await browser.waitUntil("the send_time error") {
                        try await browser.run("return document.querySelector('#cp-time').getAttribute('aria-invalid');") == "true"
                    }
                    #expect(try await browser.text("#cp-time + .field-error, #campaign-form [data-when='cp-send=schedule'] .field-error").contains("send_time"))
                    #expect(try await f.scalar("SELECT COUNT(*) AS n FROM campaigns") == 0)

                    // A file instead of text: uploaded through message/batchupload, saved as a draft with that file.
                    try await browser.click("input[name=cp-content][value=document]")
                    try await browser.run("""
                        var data = new DataTransfer(); data.items.add(new File(['%PDF-1.4 menu'], 'menu.pdf', { type: 'application/pdf' }));
                        var input = document.querySelector('#cp-file'); input.files = data.files; input.dispatchEvent(new Event('change'));
                        """)
                    try await browser.waitForText("Uploaded menu.pdf", in: "#cp-file-info")
                    try await browser.click("input[name=cp-send][value=draft]")
                    try await browser.click("#campaign-form button[type=submit]")
                    try await browser.waitForText("Later", in: "#campaign-table")
                    let saved = try await f.hub.hub.database.run { db in
                        try await db.raw("SELECT content_type, content FROM campaigns").first().map {
                            (try $0.decode(column: "content_type", as: String.self), try $0.decode(column: "content", as: String.self))
                        }
                    }
                    #expect(saved?.0 == "document" && saved?.1.contains("menu.pdf") == true, "\(String(describing: saved))")
                    try await BrowserFixture.expectNoConsoleErrors(browser, "/portal/campaigns (errors)")
                }
            }
        }

        /// Channels page: a WhatsApp channel's templates with a preview; Refresh fetches what the
        /// WhatsApp Business Account has now.
        @Test func aWhatsAppChannelsTemplatesArePreviewedAndRefreshedOnTheChannelsPage() async throws {
            try await MetaChannelFixture.whatsApp(.sqlite) { m in
                try await m.hub.withLiveServer { server in
                    try await BrowserFixture.withBrowser { browser in
                        let base = "http://127.0.0.1:\(server.port)"
                        try await BrowserFixture.signInAdmin(browser, base: base)
                        try await browser.click("#channel-table [data-templates]")
                        try await browser.waitForText("0 approved template(s)", in: "#tpl-status")
                        // The template is approved on the business account after the last sync: Refresh brings it.
                        m.fake.templates.append(FakeGraphAPI.seedTemplate)
                        try await browser.click("#tpl-refresh")
                        try await browser.waitForText("1 approved template(s)", in: "#tpl-status")
                        #expect(try await browser.text("#tpl-select").contains("discount_campaign (en, Marketing)"))
                        try await browser.waitForText("As a valued {{customertier}} member", in: "#tpl-preview")
                        #expect(try await browser.text("#tpl-preview").contains("[Image]"))
                        #expect(try await browser.text("#tpl-preview").contains("[Redeem Offer] [Visit website] [Contact us]"))
                        try await BrowserFixture.expectNoConsoleErrors(browser, "/portal/channels (templates)")
                    }
                }
            }
        }

        @Test func theWhatsAppTemplatePickerFillsVariablesWithAPreviewAndSavesADraft() async throws {
            try await MetaChannelFixture.whatsApp(.sqlite) { m in
                m.fake.templates.append(FakeGraphAPI.seedTemplate)
                let refreshed = try await m.api.post("message_channel/whatsapp_template/refresh", token: m.token, ["omnichannel_id": .int(m.channelID)])
                #expect(refreshed.int("total_number") == 1, "\(refreshed.text)")
                try await m.hub.withLiveServer { server in
                    try await BrowserFixture.withBrowser { browser in
                        let base = "http://127.0.0.1:\(server.port)"
                        try await BrowserFixture.signInAdmin(browser, base: base)
                        try await browser.open(base + "/portal/campaigns")
                        // A WhatsApp channel sends templates: the picker lists the synced one.
                        try await browser.waitUntil("the template listed") {
                            try await browser.run("return document.querySelectorAll('#cp-template option').length;") == .int(2)
                        }
                        #expect(try await browser.run("return document.querySelector('#cp-text').offsetParent === null && document.querySelector('#cp-template').offsetParent !== null;") == true)
                        try await browser.run("var s = document.querySelector('#cp-template'); s.value = '0'; s.dispatchEvent(new Event('change'));")
                        try await BrowserFixture.fillSeedTemplate(browser, variables: "#cp-variables", prefix: "cp", preview: "#cp-preview")
                        #expect(try await browser.text("#cp-preview").contains("Thank you for choosing SmartMal!"))
                        // The header image goes up through message/batchupload.
                        try await browser.run("""
                            var data = new DataTransfer(); data.items.add(new File(['png'], 'offer.png', { type: 'image/png' }));
                            var input = document.querySelector('#cp-media'); input.files = data.files; input.dispatchEvent(new Event('change'));
                            """)
                        try await browser.waitUntil("the header image uploaded") {
                            try await browser.run("return !!document.querySelector('#cp-media').getAttribute('data-file');") == true
                        }
                        try await browser.type("#cp-name", "Discount")
                        try await browser.type("#cp-numbers", "+12025550101")
                        try await browser.click("input[name=cp-send][value=draft]")
                        try await browser.click("#campaign-form button[type=submit]")
                        do {
                            try await browser.waitForText("Discount", in: "#campaign-table")
                        } catch {
                            Issue.record("not saved: \(try await browser.text("#campaign-form .form-error")) \(try await browser.text("#campaign-form"))")
                            throw error
                        }
                        let param = try await m.hub.hub.database.run { db in
                            try await db.raw("SELECT msg_param FROM campaigns").first()?.decode(column: "msg_param", as: String.self) ?? ""
                        }
                        #expect(param.contains(#""parameter_name":"customertier""#) && param.contains(#""text":"VIP""#) && param.contains("offer.png"), "\(param)")
                        #expect(try await browser.text("#campaign-table .badge") == "Draft")
                        // Edit: the draft comes back into the form with its template and values.
                        try await browser.click("#campaign-table [data-edit-campaign]")
                        try await browser.waitUntil("the draft in the form") {
                            try await browser.run("var v = document.querySelector('#cp-var-BODY-0'); return document.querySelector('#campaign-form-h').textContent + '|' + (v ? v.value : '');") == "Edit Discount|VIP"
                        }
                        #expect(try await browser.run("return document.querySelector('#cp-numbers').value + '|' + document.querySelector('input[name=cp-send]:checked').value;") == "+12025550101|draft")
                        try await BrowserFixture.expectNoConsoleErrors(browser, "/portal/campaigns (WhatsApp)")
                    }
                }
            }
        }
    }
}
