import Crypto
import Foundation
import SwitchboardCore

/// Builds WhatsApp and Messenger webhook bodies in the documented envelopes (providers.md §9–§10)
/// and signs them as Meta does: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`.
/// Bodies are serialised the way Meta sends them — non-ASCII escaped as `\uXXXX` and `/` as `\/` —
/// so a receiver that re-serialises instead of hashing the raw bytes fails, as it would with Meta.
public enum MetaWebhooks {
    /// The header value Meta sends for `body`.
    public static func signature(appSecret: String, body: String) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: Array(appSecret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    /// JSON text with Meta's escaping.
    public static func serialized(_ value: JSONValue) -> String {
        var out = ""
        for scalar in value.serialized().unicodeScalars {
            if scalar == "/" {
                out += "\\/"
            } else if scalar.isASCII {
                out.unicodeScalars.append(scalar)
            } else {
                for unit in String(scalar).utf16 { out += String(format: "\\u%04x", unit) }
            }
        }
        return out
    }

    // MARK: WhatsApp

    /// Seed 002's `msg_param` example (a NAMED template with an image header), verbatim.
    public static let seedTemplateParam = #"{"id":1773,"template_id":"1293546285747227","name":"discount_campaign","language":{"code":"en"},"parameter_format":"NAMED","components":[{"type":"HEADER","parameters":[{"type":"IMAGE","file_list":[{"id":"d8b23d56d9974cdb90d6c2d6927861b9","name":"demo.jpeg","uri":"20250725/d8b23d56d9974cdb90d6c2d6927861b9","type":"image/jpeg","size":88555}]}]},{"type":"BODY","parameters":[{"type":"TEXT","text":"VIP","parameter_name":"customertier"},{"type":"TEXT","text":"discount","parameter_name":"offertype"},{"type":"TEXT","text":"20% off for all products","parameter_name":"offerdetails"},{"type":"TEXT","text":"July 31, 2025","parameter_name":"expirydate"},{"type":"TEXT","text":"SmartMal","parameter_name":"companyname"}]},{"type":"BUTTONS","parameters":[{"type":"FLOW","text":""},{"type":"URL","text":""},{"type":"VOICE_CALL","text":""}]}]}"#


    /// A `whatsapp_business_account` webhook with one change `value` (`metadata` added).
    public static func whatsApp(
        value: JSONObject, displayPhoneNumber: String = "15559871234", phoneNumberID: String = "3546573434879"
    ) -> String {
        var value = value
        value["messaging_product"] = "whatsapp"
        value["metadata"] = ["display_phone_number": .string(displayPhoneNumber), "phone_number_id": .string(phoneNumberID)]
        let ordered = JSONObject([(key: "messaging_product", value: value["messaging_product"]!), (key: "metadata", value: value["metadata"]!)]
            + value.members.filter { $0.key != "messaging_product" && $0.key != "metadata" })
        return serialized([
            "object": "whatsapp_business_account",
            "entry": [["id": "102290129340398", "changes": [["value": .object(ordered), "field": "messages"]]]],
        ])
    }

    /// A customer's message (`message` is the type-specific part, e.g. `["type": "text", "text": ["body": "hi"]]`).
    public static func whatsAppMessage(
        id: String, waID: String, name: String = "Kerry Fisher", timestamp: Int64 = 1_753_898_766, message: JSONObject,
        displayPhoneNumber: String = "15559871234", phoneNumberID: String = "3546573434879"
    ) -> String {
        var item: JSONObject = ["from": .string(waID), "id": .string(id), "timestamp": .string(String(timestamp))]
        for member in message.members { item[member.key] = member.value }
        return whatsApp(
            value: ["contacts": [["profile": ["name": .string(name)], "wa_id": .string(waID)]], "messages": [.object(item)]],
            displayPhoneNumber: displayPhoneNumber, phoneNumberID: phoneNumberID)
    }

    /// A text message from `waID`.
    public static func whatsAppText(id: String, waID: String, text: String, name: String = "Kerry Fisher", phoneNumberID: String = "3546573434879") -> String {
        whatsAppMessage(id: id, waID: waID, name: name, message: ["type": "text", "text": ["body": .string(text)]], phoneNumberID: phoneNumberID)
    }

    /// A status on a message we sent; `failed` carries an error like Meta's (`code`, `title`, `message`, `error_data.details`).
    public static func whatsAppStatus(id: String, status: String, recipient: String, errorCode: Int64? = nil, errorTitle: String = "") -> String {
        var item: JSONObject = [
            "id": .string(id), "status": .string(status), "timestamp": "1753898800", "recipient_id": .string(recipient),
        ]
        if status != "failed" {
            item["conversation"] = ["id": "CONVERSATION_ID", "origin": ["type": "service"]]
            item["pricing"] = ["billable": true, "pricing_model": "PMP", "category": "service"]
        }
        if let errorCode {
            item["errors"] = [[
                "code": .int(errorCode), "title": .string(errorTitle), "message": .string(errorTitle),
                "error_data": ["details": .string(errorTitle + " (details)")], "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
            ]]
        }
        return whatsApp(value: ["statuses": [.object(item)]])
    }

    // MARK: Messenger

    /// An `object: page` webhook with `events` in one entry's `messaging[]`.
    public static func messenger(pageID: String, events: [JSONValue]) -> String {
        serialized(["object": "page", "entry": [["id": .string(pageID), "time": 1_753_898_766_000, "messaging": .array(events)]]])
    }

    /// A customer's message: text and/or attachments (`[(type, url)]`).
    public static func messengerMessage(mid: String, psid: String, pageID: String, text: String?, attachments: [(String, String)] = []) -> String {
        var message: JSONObject = ["mid": .string(mid)]
        if let text { message["text"] = .string(text) }
        if !attachments.isEmpty {
            message["attachments"] = .array(attachments.map { ["type": .string($0.0), "payload": ["url": .string($0.1)]] })
        }
        return messenger(pageID: pageID, events: [[
            "sender": ["id": .string(psid)], "recipient": ["id": .string(pageID)], "timestamp": 1_753_898_766_123, "message": .object(message),
        ]])
    }

    /// The echo of a message the page sent (sender and recipient swapped, `is_echo`).
    public static func messengerEcho(mid: String, psid: String, pageID: String, text: String) -> String {
        messenger(pageID: pageID, events: [[
            "sender": ["id": .string(pageID)], "recipient": ["id": .string(psid)], "timestamp": 1_753_898_766_123,
            "message": ["is_echo": true, "app_id": 1_517_776_481_860_111, "metadata": "", "mid": .string(mid), "text": .string(text)],
        ]])
    }

    /// A delivery event naming the page's messages that reached the customer.
    public static func messengerDelivery(mids: [String], psid: String, pageID: String) -> String {
        messenger(pageID: pageID, events: [[
            "sender": ["id": .string(psid)], "recipient": ["id": .string(pageID)],
            "delivery": ["mids": .array(mids.map(JSONValue.string)), "watermark": 1_753_898_799_000],
        ]])
    }
}
