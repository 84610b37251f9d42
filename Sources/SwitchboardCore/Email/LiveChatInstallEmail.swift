/// The email template "Request to Add Live Chat to Website" (seed 003, Live Chat "What to do next"):
/// the code snippet, the website domain and the installation instructions, sent to a website admin
/// from a Live Chat channel's embed code. Wording follows seed 003 "Enable Yeastar Live Chat on
/// Your Website" and its CMS examples.
public enum LiveChatInstallEmail {
    public static let subject = "Request to Add Live Chat to Website"

    /// The CMS examples of seed 003, each as a title and its steps.
    static let platforms: [(String, [String])] = [
        ("WordPress (WPCode plugin)", [
            "Log in to your WordPress admin panel.",
            "On the left navigation bar, go to Plugins > Add New Plugin, then install and activate the WPCode plugin.",
            "Go to Code Snippets > Header & Footer.",
            "In the Footer section, paste the code snippet, then click Save Changes.",
        ]),
        ("Joomla", [
            "Log in to your Joomla's administrator panel.",
            "On the left navigation bar, click System, then click Site Templates.",
            "Click the template to which you want to add the code.",
            "Click index.php, then paste the code snippet before the </body> tag, and click Save.",
        ]),
        ("Drupal", [
            "Log in to your Drupal admin panel.",
            "On the top navigation bar, go to Structure > Block layout.",
            "Click Place block beside Footer Top, then click Add custom block.",
            "In the Body field, click Source, paste the code snippet, select Full HTML as the text format, then click Save.",
            "Select Footer Top from the Region drop-down list, then click Save block.",
        ]),
        ("Wix", [
            "Log in to your Wix account, then go to Settings.",
            "In the ADVANCED section, click Custom code, then click Add Custom Code.",
            "Paste the code snippet, set the page(s) to add it to, select Body - end under Place Code in, then click Apply.",
        ]),
        ("Squarespace", [
            "Log in to your Squarespace account and click the website.",
            "Go to Pages > Website Tools > Code Injection.",
            "In the Footer section, paste the code snippet, then click Save.",
        ]),
    ]

    static let notes = [
        "The live chat widget is fixed to the bottom-right corner of a website and its position can not be changed.",
        "The live chat widget has been proven to work when visitors access your website using Google Chrome, Microsoft Edge, or Firefox. For other web browsers, it may not work as expected.",
    ]

    /// The message from `sender` to `recipient` for channel `channelName` on `websiteDomain`.
    public static func message(
        from sender: MailAddress, to recipient: String, channelName: String, websiteDomain: String, embedCode: String
    ) -> MailMessage {
        MailMessage(
            from: sender, to: [MailAddress(recipient)], subject: subject,
            text: text(channelName: channelName, websiteDomain: websiteDomain, embedCode: embedCode),
            html: html(channelName: channelName, websiteDomain: websiteDomain, embedCode: embedCode))
    }

    static func intro(_ channelName: String, _ websiteDomain: String) -> [String] {
        [
            "Hello,",
            "We would like to add live chat (\(channelName)) to the website \(websiteDomain). To enable it, paste the code snippet below before the closing </body> tag in the HTML code for the website. When done, a live chat widget appears at the bottom-right corner of the website, enabling website visitors to have a real-time conversation with our agents.",
            "The widget works only on the website domain \(websiteDomain).",
        ]
    }

    static func text(channelName: String, websiteDomain: String, embedCode: String) -> String {
        var lines = intro(channelName, websiteDomain).flatMap { [$0, ""] }
        lines += ["Website Domain: \(websiteDomain)", "", "Add the Live Chat Embed Code to your website:", "", embedCode, ""]
        for (title, steps) in platforms {
            lines.append("On a \(title) website:")
            lines += steps.enumerated().map { "  \($0.offset + 1). \($0.element)" }
            lines.append("")
        }
        lines.append("Note:")
        lines += notes.map { "- " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    static func html(channelName: String, websiteDomain: String, embedCode: String) -> String {
        var out = "<!DOCTYPE html><html><body style=\"font-family:sans-serif\">"
        out += intro(channelName, websiteDomain).map { "<p>\(escape($0))</p>" }.joined()
        out += "<p><strong>Website Domain:</strong> \(escape(websiteDomain))</p>"
        out += "<p><strong>Add the Live Chat Embed Code to your website</strong></p>"
        out += "<pre style=\"background:#f4f4f4;padding:8px;white-space:pre-wrap\">\(escape(embedCode))</pre>"
        for (title, steps) in platforms {
            out += "<p>On a \(escape(title)) website:</p><ol>" + steps.map { "<li>\(escape($0))</li>" }.joined() + "</ol>"
        }
        out += "<p><strong>Note:</strong></p><ul>" + notes.map { "<li>\(escape($0))</li>" }.joined() + "</ul></body></html>"
        return out
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }

}
