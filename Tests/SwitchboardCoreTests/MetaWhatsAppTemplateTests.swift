import Foundation
import SwitchboardCore
import SwitchboardTesting
import Testing

@Suite("WhatsApp template parameters (seed 002 MSG_Param → Cloud API template)")
struct MetaWhatsAppTemplateTests {
    static func json(_ text: String) -> JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null
    }

    @Test func theSeedsExampleBecomesMetasTemplate() throws {
        let payload = try WhatsAppTemplate.payload(Self.json(MetaWebhooks.seedTemplateParam), mediaLinks: ["https://hub.example.test/api/chat/k/demo.jpeg"])
        let expected: JSONValue = [
            "name": "discount_campaign", "language": ["code": "en"],
            "components": [
                ["type": "header", "parameters": [["type": "image", "image": ["link": "https://hub.example.test/api/chat/k/demo.jpeg"]]]],
                ["type": "body", "parameters": [
                    ["type": "text", "text": "VIP", "parameter_name": "customertier"],
                    ["type": "text", "text": "discount", "parameter_name": "offertype"],
                    ["type": "text", "text": "20% off for all products", "parameter_name": "offerdetails"],
                    ["type": "text", "text": "July 31, 2025", "parameter_name": "expirydate"],
                    ["type": "text", "text": "SmartMal", "parameter_name": "companyname"],
                ]],
            ],
        ]
        #expect(payload == expected)
    }

    @Test func headerMediaWithoutAPublicLinkIsAnInvalidParameter() {
        #expect(throws: SendFailure(.invalidParam, "the template's image header has no public link")) {
            try WhatsAppTemplate.payload(Self.json(MetaWebhooks.seedTemplateParam))
        }
    }

    @Test func buttonsWithValuesBecomeIndexedButtonComponents() throws {
        let param: JSONValue = [
            "name": "order_update", "language": "en_US",
            "components": [
                ["type": "BODY", "parameters": [["type": "TEXT", "text": "42"]]],
                ["type": "BUTTONS", "parameters": [
                    ["type": "URL", "text": "orders/42"], ["type": "QUICK_REPLY", "text": "STOP"], ["type": "COPY_CODE", "text": "SAVE10"],
                    ["type": "VOICE_CALL", "text": ""],
                ]],
                ["type": "FOOTER"],
            ],
        ]
        let payload = try WhatsAppTemplate.payload(param)
        #expect(payload["language"] == ["code": "en_US"])
        #expect(payload["components"] == [
            ["type": "body", "parameters": [["type": "text", "text": "42"]]],
            ["type": "button", "sub_type": "url", "index": "0", "parameters": [["type": "text", "text": "orders/42"]]],
            ["type": "button", "sub_type": "quick_reply", "index": "1", "parameters": [["type": "payload", "payload": "STOP"]]],
            ["type": "button", "sub_type": "copy_code", "index": "2", "parameters": [["type": "coupon_code", "coupon_code": "SAVE10"]]],
        ])
    }

    @Test func staticTemplatesAndMetaShapedComponentsPassThrough() throws {
        #expect(try WhatsAppTemplate.payload(["name": "hello_world", "language": ["code": "en_US"]]) == [
            "name": "hello_world", "language": ["code": "en_US"],
        ])
        let metaShaped: JSONValue = ["type": "body", "parameters": [["type": "text", "text": "x"]]]
        #expect(try WhatsAppTemplate.payload(["name": "t", "language": "en", "components": [metaShaped]])["components"] == [metaShaped])
        let document: JSONValue = [
            "name": "t", "language": "en",
            "components": [["type": "HEADER", "parameters": [["type": "DOCUMENT", "file_list": [["name": "a.pdf", "url": "https://x/a.pdf"]]]]]],
        ]
        #expect(try WhatsAppTemplate.payload(document)["components"] == [
            ["type": "header", "parameters": [["type": "document", "document": ["link": "https://x/a.pdf", "filename": "a.pdf"]]]],
        ])
    }

    @Test func nameAndLanguageAreRequired() {
        #expect(throws: SendFailure.self) { try WhatsAppTemplate.payload(["language": "en"]) }
        #expect(throws: SendFailure.self) { try WhatsAppTemplate.payload(["name": "t"]) }
        #expect(throws: SendFailure.self) { try WhatsAppTemplate.payload(["name": "t", "language": ["code": ""]]) }
    }
}
