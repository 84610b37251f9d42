import Foundation
import SwitchboardCore
import SwitchboardTesting
import Testing

/// The pure parts of the system email: RFC 5322 rendering, SMTP text rules, settings validation
/// and the "Request to Add Live Chat to Website" template.
@Suite("Email rules")
struct EmailRulesTests {
    static let sender = MailAddress("pbx@example.com", name: "Front Desk")

    @Test func theDateIsRFC5322InUTC() {
        #expect(MIMEText.date(0) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(MIMEText.date(1_795_388_020) == "Sun, 22 Nov 2026 22:53:40 +0000")
        #expect(MIMEText.date(951_782_400) == "Tue, 29 Feb 2000 00:00:00 +0000")
    }

    @Test func nonASCIIHeadersAreEncodedWordsOfAtMost75Characters() {
        #expect(MIMEText.unstructured("Plain subject") == "Plain subject")
        #expect(MIMEText.unstructured("Grüße") == "=?UTF-8?B?R3LDvMOfZQ==?=")
        let long = String(repeating: "日本語のテキスト", count: 10)
        let words = MIMEText.encodedWords(long)
        #expect(words.count > 1 && words.allSatisfy { $0.count <= 75 })
        let decoded = words.map { String(decoding: Formats.decodeBase64(String($0.dropFirst(10).dropLast(2)))!, as: UTF8.self) }.joined()
        #expect(decoded == long, "no character is split between words")
        // A header value never breaks its line.
        #expect(MIMEText.unstructured("a\r\nBcc: x@example.com") == "a  Bcc: x@example.com")
        #expect(MIMEText.phrase("Ann \"A\" Lee") == "\"Ann \\\"A\\\" Lee\"")
        #expect(MailAddress("a@example.com", name: "Zoë").headerValue == "=?UTF-8?B?Wm/Dqw==?= <a@example.com>")
    }

    @Test func theMessageHasTheRFC5322HeadersAndQuotedPrintableParts() {
        let message = MailMessage(from: Self.sender, to: [MailAddress("admin@example.org")], subject: "Hello", text: "Line 1\nLine 2", html: "<p>Hi</p>")
        let text = message.rendered(date: 0, messageID: "<id1@example.com>", boundary: "BOUNDARY")
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000"))
        #expect(lines.contains("Message-ID: <id1@example.com>"))
        #expect(lines.contains("From: \"Front Desk\" <pbx@example.com>"))
        #expect(lines.contains("To: <admin@example.org>"))
        #expect(lines.contains("Subject: Hello"))
        #expect(lines.contains("MIME-Version: 1.0"))
        #expect(lines.contains("Content-Type: multipart/alternative; boundary=\"BOUNDARY\""))
        #expect(lines.contains("Content-Type: text/plain; charset=UTF-8") && lines.contains("Content-Type: text/html; charset=UTF-8"))
        #expect(lines.contains("Content-Transfer-Encoding: quoted-printable") && lines.contains("Line 1") && lines.contains("Line 2"))
        #expect(lines.contains("--BOUNDARY--"))
        #expect(text.utf8.allSatisfy { $0 < 128 }, "7-bit on the wire")
        #expect(lines.allSatisfy { $0.utf8.count <= 998 })
    }

    @Test func bodiesAreQuotedPrintableKeepingTheirLines() {
        #expect(MIMEText.quotedPrintableLines("Grüße = 1 \n.lead\n") == ["Gr=C3=BC=C3=9Fe =3D 1=20", ".lead", ""])
        let long = MIMEText.quotedPrintableLines(String(repeating: "a", count: 100))
        #expect(long == [String(repeating: "a", count: 75) + "=", String(repeating: "a", count: 25)])
        // An escape is never split by a soft break, and no line exceeds 76 characters.
        let accented = MIMEText.quotedPrintableLines(String(repeating: "é", count: 40))
        #expect(accented.allSatisfy { $0.count <= 76 } && accented.dropLast().allSatisfy { $0.hasSuffix("=") && !$0.dropLast().hasSuffix("=") })
        #expect(accented.joined().replacingOccurrences(of: "=", with: "").count == 40 * 4)
    }

    @Test func dataIsDotStuffedAndTerminated() {
        #expect(SMTPText.dataPayload("a\n.b\n..c\nd") == "a\r\n..b\r\n...c\r\nd\r\n.\r\n")
        #expect(SMTPText.dataPayload(".\r\n") == "..\r\n.\r\n")
        #expect(SMTPText.unstuff(["a", "..b", "...c"]) == "a\r\n.b\r\n..c\r\n")
        #expect(SMTPText.crlf("a\rb\nc\r\nd") == "a\r\nb\r\nc\r\nd")
        #expect(SMTPText.plainCredentials(username: "ann", password: "pw") == Formats.encodeBase64(Array("\0ann\0pw".utf8)))
    }

    @Test func repliesAreAssembledFromTheirLines() throws {
        var parser = SMTPReplyParser()
        #expect(try parser.feed("250-smtp.example.com") == nil)
        #expect(try parser.feed("250-AUTH PLAIN LOGIN") == nil)
        #expect(try parser.feed("250-STARTTLS") == nil)
        let reply = try #require(try parser.feed("250 8BITMIME"))
        #expect(reply.code == 250 && reply.lines.count == 4)
        #expect(reply.authMechanisms == ["PLAIN", "LOGIN"] && reply.extensions.contains("STARTTLS"))
        let refused = try #require(try parser.feed("535 5.7.8 Authentication failed"))
        #expect(refused.description == "535 5.7.8 Authentication failed" && !refused.isPositive)
        #expect(try parser.feed("220") == SMTPReply(code: 220, lines: [""]))
        #expect(throws: SMTPReplyParser.Malformed.self) { try parser.feed("HTTP/1.1 400 Bad Request") }
        var mixed = SMTPReplyParser()
        _ = try mixed.feed("250-a")
        #expect(throws: SMTPReplyParser.Malformed.self) { try mixed.feed("251 b") }
    }

    @Test func settingsAreValidatedFieldByField() {
        var reader = FieldReader(["host": "smtp .example.com", "port": 70000, "security": "tls", "username": "ann", "sender_address": "nope", "sender_name": "a\nb"])
        #expect(EmailSettings.read(&reader, storedPassword: nil) == nil)
        #expect(Set(reader.issues.map(\.field)) == ["host", "port", "security", "password", "sender_address", "sender_name"])

        var empty = FieldReader([:])
        _ = EmailSettings.read(&empty, storedPassword: nil)
        #expect(Set(empty.issues.map(\.field)) == ["host", "security", "sender_address"])
        #expect(empty.issues.allSatisfy { $0.validationType == "required" })

        var good = FieldReader(["host": "smtp.example.com", "security": "ssl", "username": "ann", "sender_address": "pbx@example.com"])
        let kept = EmailSettings.read(&good, storedPassword: "s3cret")
        #expect(kept == EmailSettings(host: "smtp.example.com", port: 465, security: .ssl, username: "ann", password: "s3cret", senderAddress: "pbx@example.com"))

        var replaced = FieldReader(["host": "10.0.0.5", "port": "2525", "security": "none", "password": "new", "sender_address": "pbx@example.com"])
        #expect(EmailSettings.read(&replaced, storedPassword: "old")?.password == "new")
        #expect(EmailSettings.read(&replaced, storedPassword: "old")?.port == 2525)
    }

    @Test func recipientsMustBeAddresses() {
        for bad in ["nope", "a@b", "a b@example.com", "<a@example.com>", "a@example.com\r\nRCPT TO:<b@example.com>", "a@@example.com"] {
            var reader = FieldReader(["to": .string(bad)])
            #expect(EmailSettings.readRecipient(&reader, "to", required: true) == nil, "\(bad)")
            #expect(reader.issues.map(\.field) == ["to"])
        }
        var reader = FieldReader(["to": "admin@example.org"])
        #expect(EmailSettings.readRecipient(&reader, "to", required: true) == "admin@example.org")
        var absent = FieldReader([:])
        #expect(EmailSettings.readRecipient(&absent, "email", required: false) == nil && absent.issues.isEmpty)
    }

    @Test func theInstallationEmailCarriesTheSnippetTheDomainAndTheInstructions() {
        let code = LiveChat.embedCode(publicURL: "https://hub.example.test", channelNumber: "LC00003")
        let message = LiveChatInstallEmail.message(from: Self.sender, to: "web@example.org", channelName: "Site <chat>", websiteDomain: "www.example.org", embedCode: code)
        #expect(message.subject == "Request to Add Live Chat to Website")
        #expect(message.to == [MailAddress("web@example.org")])
        #expect(message.text.contains(code))
        #expect(message.text.contains("Website Domain: www.example.org"))
        #expect(message.text.contains("before the closing </body> tag"))
        #expect(message.text.contains("Code Snippets > Header & Footer"))
        let html = message.html ?? ""
        #expect(html.contains("&lt;script src=&quot;https://hub.example.test/live_chat.v1.0.0.js?channelNumber=LC00003&quot;&gt;&lt;/script&gt;"))
        #expect(html.contains("Site &lt;chat&gt;") && !html.contains("<chat>"))
    }
}
