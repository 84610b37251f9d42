import Foundation
import SwitchboardCore
import SwitchboardTesting
import Testing

extension BrowserSuites {
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

        /// Seed 003: "To add the customer to an existing contact, click Add to Existing Contact and edit
        /// the contact's information as needed."
        @Test func theAgentAddsTheCustomerToAnExistingContact() async throws {
            try await BrowserFixture.with { f in
                let created = try await f.api.post("company_contact/create", token: f.token, [
                    "first_name": "Grace", "last_name": "Hopper", "company": "Navy", "business_number": "+15550009999",
                ])
                let contactID = try #require(created.int("id"), "\(created.text)")
                try await BrowserFixture.withBrowser { browser in
                    try await f.signInAgent(browser)
                    try await f.inbound("Please call me back")
                    try await browser.waitForText("Please call me back", in: "#session-list")
                    try await browser.click("#session-list .session")
                    try await browser.waitForText("Please call me back", in: "#messages")
                    try await browser.click("#act-contact")
                    try await browser.click("#contact-mode-existing")
                    try await browser.type("#contact-search", "hopp")
                    try await browser.waitForText("Grace Hopper", in: "#contact-pick")
                    try await browser.run("var s = document.querySelector('#contact-pick'); s.value = s.options[0].value; s.dispatchEvent(new Event('change'));")
                    #expect(try await browser.run("return document.querySelector('#contact-company').value;") == "Navy")
                    try await browser.run("document.querySelector('#contact-email').value = 'grace@example.com';")
                    try await browser.click("#contact-form button[value=ok]")
                    try await browser.waitUntil("the dialog closes") { try await browser.run("return document.querySelector('#dlg-contact').open;") == false }
                    let contact = try await f.api.get("company_contact/get", token: f.token, ["id": String(contactID)])
                    #expect(contact.json["data"]?["mobile_number"] == .string(BrowserFixture.customer), "\(contact.text)")
                    #expect(contact.json["data"]?["business_number"] == "+15550009999")
                    #expect(contact.json["data"]?["email"] == "grace@example.com")
                    #expect(try await f.scalar("SELECT COUNT(*) AS n FROM company_contacts") == 1)
                    try await BrowserFixture.expectNoConsoleErrors(browser, "/inbox (add to contact)")
                }
            }
        }

        /// An agent answers a WhatsApp customer with an approved template: the picker lists the
        /// channel's templates, one field per variable, a live preview, the header image uploaded;
        /// the provider receives a template message with the values.
        @Test func theAgentSendsAWhatsAppTemplateWithItsVariables() async throws {
            try await MetaChannelFixture.whatsApp(.sqlite) { m in
                m.fake.templates.append(FakeGraphAPI.seedTemplate)
                _ = try await m.api.post("message_channel/whatsapp_template/refresh", token: m.token, ["omnichannel_id": .int(m.channelID)])
                let password = try await m.api.post("extension/update", token: m.token, ["id": .int(m.extensionID), "user_password": .string(BrowserFixture.password)])
                #expect(password.errcode == 0, "\(password.text)")
                let inbound = MetaWebhooks.whatsAppText(id: "wamid.offer1", waID: MetaChannelFixture.waID, text: "Any offers for me?", phoneNumberID: m.fake.phoneNumberID)
                #expect(try await m.deliver(inbound).status == .ok)
                try await m.hub.withLiveServer { server in
                    try await BrowserFixture.withBrowser { browser in
                        try await browser.open("http://127.0.0.1:\(server.port)/inbox")
                        try await browser.type("#ext", "5000")
                        try await browser.type("#pw", BrowserFixture.password)
                        try await browser.click("#signin")
                        try await browser.waitForText("Live", in: "#conn")
                        try await browser.waitForText("Any offers for me?", in: "#session-list")
                        try await browser.click("#session-list .session")
                        try await browser.waitForText("Any offers for me?", in: "#messages")
                        if try await browser.run("return !document.querySelector('#act-pickup').hidden;") == true {
                            try await browser.click("#act-pickup")
                            try await browser.waitForText("picked up the session", in: "#messages")
                        }
                        try await browser.click("#template-open")
                        try await BrowserFixture.fillSeedTemplate(browser, variables: "#template-variables", prefix: "it", preview: "#template-preview")
                        try await browser.run("""
                            var data = new DataTransfer(); data.items.add(new File(['png'], 'offer.png', { type: 'image/png' }));
                            var input = document.querySelector('#it-media'); input.files = data.files; input.dispatchEvent(new Event('change'));
                            """)
                        try await browser.waitUntil("the header image uploaded") {
                            try await browser.run("return !!document.querySelector('#it-media').getAttribute('data-file');") == true
                        }
                        try await browser.click("#template-form button[value=ok]")
                        try await browser.waitUntil("the provider received the template") {
                            m.fake.sent.all.contains { $0.body["type"] == "template" }
                        }
                        let sent = try #require(m.fake.sent.all.first { $0.body["type"] == "template" }?.body)
                        #expect(sent["to"] == .string(MetaChannelFixture.waID) && sent["template"]?["name"] == "discount_campaign")
                        #expect(sent.serialized().contains("VIP") && sent.serialized().contains("SmartMal"), "\(sent.serialized())")
                        try await BrowserFixture.expectNoConsoleErrors(browser, "/inbox (WhatsApp template)")
                    }
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
}
