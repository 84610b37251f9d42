import Foundation
import Hummingbird
import SwitchboardAdapters
import SwitchboardCore

/// `GET /{version}/{waba_id}/message_templates`: the account's templates with Graph's cursor paging
/// (`limit`, default 25; `after`; `paging.cursors` and `paging.next` while more remain) and the
/// same Bearer-token check as the rest of the WhatsApp product.
extension FakeGraphAPI {
    func handleTemplates(_ request: Request, context: BasicRequestContext) throws -> Response {
        let version = try context.parameters.require("version")
        let node = try context.parameters.require("node")
        guard version == MetaGraph.version else { return Self.invalid("Unknown path components: /\(version)") }
        guard request.headers[.authorization] == "Bearer \(whatsAppToken)" else {
            return Self.answer(.unauthorized, Self.errorBody(code: 190, message: "Invalid OAuth access token - Cannot parse access token"))
        }
        guard node == businessAccountID else {
            return Self.invalid("Unsupported get request. Object with ID '\(node)' does not exist", subcode: 33)
        }
        if let failure = checkFailures.next(), failure.status != 0 { return Self.scripted(failure) }
        let query = request.uri.queryParameters
        let limit = min(max(query["limit"].flatMap { Int(String($0)) } ?? 25, 1), 100)
        let after = query["after"].map(String.init) ?? ""
        templatePageRequests.append(after)
        let start = Self.decodeCursor(after) ?? 0
        let all = templates.all
        let page = Array(all.dropFirst(start).prefix(limit))
        var body: JSONObject = ["data": .array(page)]
        if !page.isEmpty {
            var paging: JSONObject = ["cursors": ["before": .string(Self.cursor(start)), "after": .string(Self.cursor(start + page.count))]]
            if start + page.count < all.count {
                paging["next"] = .string("\(baseURL)/\(version)/\(node)/message_templates?limit=\(limit)&after=\(Self.cursor(start + page.count))")
            }
            body["paging"] = .object(paging)
        }
        return Self.answer(.ok, JSONValue.object(body).serialized())
    }

    static func cursor(_ index: Int) -> String { Data("tpl:\(index)".utf8).base64EncodedString() }

    static func decodeCursor(_ text: String) -> Int? {
        guard let data = Data(base64Encoded: text), let plain = String(data: data, encoding: .utf8), plain.hasPrefix("tpl:") else { return nil }
        return Int(plain.dropFirst(4))
    }

    /// Seed 002's `discount_campaign` as Graph lists it (approved, NAMED, image header, three buttons).
    public static let seedTemplate: JSONValue = [
        "id": "1293546285747227", "name": "discount_campaign", "parameter_format": "NAMED", "language": "en", "status": "APPROVED",
        "category": "MARKETING", "sub_category": "CUSTOM",
        "components": [
            ["type": "HEADER", "format": "IMAGE"],
            ["type": "BODY", "text": "Hello! 👋\n\nAs a valued {{customertier}} member, we’re excited to share a special {{offertype}} with you! 🎁\nEnjoy {{offerdetails}}—available until {{expirydate}}.\n\nIf you have any questions or want to redeem your offer, simply reply to this message or contact our team.\n\nThank you for choosing {{companyname}}! 💙"],
            ["type": "BUTTONS", "buttons": [
                ["type": "FLOW", "text": "Redeem Offer", "flow_id": 657693363952373, "flow_action": "NAVIGATE", "navigate_screen": "SIGN_UP"],
                ["type": "URL", "text": "Visit website", "url": "https://test.com/"],
                ["type": "VOICE_CALL", "text": "Contact us"],
            ]],
        ],
    ]
}
