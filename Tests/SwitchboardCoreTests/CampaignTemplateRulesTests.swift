import Foundation
import SwitchboardCore
import SwitchboardTesting
import Testing

/// Template sync selection, template parameter checks and Google Maps links (pure rules).
@Suite("Campaign template rules")
struct CampaignTemplateRulesTests {
    static func json(_ text: String) -> JSONValue { (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null }

    static let seed = SyncedTemplate(
        templateID: "1293546285747227", name: "discount_campaign", language: "en", category: "MARKETING", subCategory: "CUSTOM",
        parameterFormat: "NAMED", components: FakeGraphAPI.seedTemplate["components"]!)

    @Test func onlyApprovedNonCatalogTemplatesAreKeptUpTo250() {
        var listed: [JSONValue] = [FakeGraphAPI.seedTemplate]
        listed.append(["id": "2", "name": "pending_one", "language": "en", "status": "PENDING", "category": "UTILITY", "components": []])
        listed.append(["id": "3", "name": "catalog", "language": "en", "status": "APPROVED", "category": "MARKETING", "components": [
            ["type": "BUTTONS", "buttons": [["type": "CATALOG", "text": "View catalog"]]]]])
        listed.append(["id": "4", "name": "catalog_sub", "language": "en", "status": "APPROVED", "category": "MARKETING", "sub_category": "CATALOG_MARKETING", "components": []])
        listed.append(["id": "5", "name": "order_update", "language": "en_US", "status": "APPROVED", "category": "UTILITY", "components": []])
        let kept = WhatsAppTemplateSync.select(listed)
        #expect(kept.map(\.name) == ["discount_campaign", "order_update"])
        #expect(kept[0] == Self.seed)
        #expect(kept[1].parameterFormat == "POSITIONAL" && kept[1].subCategory == "CUSTOM")
        let many = (0..<300).map { JSONValue.object(["id": .string("\($0)"), "name": .string("t\($0)"), "language": "en", "status": "APPROVED", "category": "UTILITY"]) }
        #expect(WhatsAppTemplateSync.select(many).count == 250)
    }

    @Test func theSeedParameterObjectFitsTheSeedTemplate() {
        #expect(WhatsAppTemplateCheck.problems(Self.json(MetaWebhooks.seedTemplateParam), against: Self.seed).isEmpty)
    }

    @Test func missingValuesAndMediaAreNamed() {
        var param = Self.json(MetaWebhooks.seedTemplateParam).objectValue!
        var components = param["components"]!.arrayValue!
        components[0] = ["type": "HEADER", "parameters": [["type": "IMAGE", "file_list": [["id": "x", "name": "a.bmp", "type": "image/bmp", "size": 6_000_000]]]]]
        var body = components[1].objectValue!
        body["parameters"] = .array(Array(body["parameters"]!.arrayValue!.prefix(3)))
        components[1] = .object(body)
        components[2] = ["type": "BUTTONS", "parameters": [["type": "URL", "text": ""]]]
        param["components"] = .array(components)
        #expect(WhatsAppTemplateCheck.problems(.object(param), against: Self.seed) == [
            "the header image must be png, gif, jpg, jpeg or webp",
            "the header image must be at most 5 MB",
            "the body needs values for {{expirydate}}, {{companyname}}",
            "button 1 must be FLOW, not URL",
        ])
        param["components"] = .array([components[1]])
        #expect(WhatsAppTemplateCheck.problems(.object(param), against: Self.seed).first == "the image header needs a file")
    }

    @Test func positionalPlaceholdersAreFilledInOrderAndDynamicButtonsNeedValues() {
        let template = SyncedTemplate(
            templateID: "9", name: "order", language: "en", category: "UTILITY", subCategory: "CUSTOM", parameterFormat: "POSITIONAL",
            components: [["type": "HEADER", "format": "TEXT", "text": "Order {{1}}"], ["type": "BODY", "text": "Hi {{1}}, your {{2}} ships {{3}}."],
                         ["type": "BUTTONS", "buttons": [["type": "URL", "text": "Track", "url": "https://x.test/{{1}}"]]]])
        let good: JSONValue = ["name": "order", "parameter_format": "POSITIONAL", "components": [
            ["type": "HEADER", "parameters": [["type": "TEXT", "text": "42"]]],
            ["type": "BODY", "parameters": [["type": "TEXT", "text": "Ann"], ["type": "TEXT", "text": "kettle"], ["type": "TEXT", "text": "today"]]],
            ["type": "BUTTONS", "parameters": [["type": "URL", "text": "42"]]],
        ]]
        #expect(WhatsAppTemplateCheck.problems(good, against: template).isEmpty)
        let bad: JSONValue = ["name": "order", "parameter_format": "NAMED", "components": [
            ["type": "BODY", "parameters": [["type": "TEXT", "text": "Ann"]]],
        ]]
        #expect(WhatsAppTemplateCheck.problems(bad, against: template) == [
            "parameter_format must be POSITIONAL", "the header needs values for {{1}}", "the body needs values for {{2}}, {{3}}",
            "button 1 (URL) needs a value",
        ])
    }

    @Test func aGoogleMapsLinkGivesTheNameAndCoordinates() {
        #expect(MapsLocation.parse("https://www.google.com/maps/place/Eiffel+Tower/@48.8583701,2.2944813,17z/data=!3m1!4b1!4m6!3m5!1s0x47e66e2964e34e2d:0x8ddca9ee380ef7e0!8m2!3d48.8583701!4d2.2944813")
            == MapsLocation(name: "Eiffel Tower", latitude: 48.8583701, longitude: 2.2944813))
        #expect(MapsLocation.parse("https://www.google.com/maps/place/Caf%C3%A9+Central/@48.2104,16.3653,15z")
            == MapsLocation(name: "Café Central", latitude: 48.2104, longitude: 16.3653))
        #expect(MapsLocation.parse("https://maps.google.com/?q=-33.8567844,151.213108") == MapsLocation(name: "", latitude: -33.8567844, longitude: 151.213108))
        #expect(MapsLocation.parse("https://www.google.com/maps/search/?api=1&query=Sydney+Opera+House") == nil)
        #expect(MapsLocation.parse("https://example.com/@1,2") == nil)
        let param: JSONValue = ["components": [["type": "HEADER", "parameters": [["type": "LOCATION",
            "maps_url": "https://www.google.com/maps/place/Eiffel+Tower/@48.8583701,2.2944813,17z", "location": ["address": "Champ de Mars, Paris"]]]]]]
        let filled = WhatsAppTemplateCheck.fillLocations(param)
        #expect(filled["components"]?.arrayValue?.first?["parameters"]?.arrayValue?.first == ["type": "LOCATION", "location": [
            "address": "Champ de Mars, Paris", "latitude": "48.8583701", "longitude": "2.2944813", "name": "Eiffel Tower"]])
    }
}
