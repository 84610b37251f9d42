import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOHTTP1
import SwitchboardCore

/// Voice escalation from a session (Agent Guide "Initiate a voice call from a messaging session").
///
/// `POST message_session/call` (`session_id`, `user_type` 1, `user_no`): when the settings key
/// `voice.click_to_call_url` holds a URL, the hub POSTs `{"extension": "<number>", "customer":
/// "<number>"}` to it (a PBX or dialer's click-to-call hook) and answers `{"method":"hook"}`;
/// without one it answers `{"method":"tel","tel_uri":"tel:<number>"}` for the inbox to open.
/// A hook that fails or answers non-2xx is `-1 FAILURE`; a customer without a phone number
/// (Facebook, Live Chat) is `70132 OPERATION NOT SUPPORTED`.
/// `GET|POST message_session/call_settings` (OpenAPI only) read and set the hook URL.
struct VoiceEscalation {
    static let settingKey = "voice.click_to_call_url"
    let context: SessionContext

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("message_session/call") { request, requestContext in
            var request = request
            return try await call(try await request.jsonObject(context: requestContext))
        }
    }

    func addSettingsRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("message_session/call_settings") { _, _ in
            JSONResponse.success(["click_to_call_url": .string(try await hookURL() ?? "")])
        }
        group.post("message_session/call_settings") { request, requestContext in
            var request = request
            var reader = FieldReader(try await request.jsonObject(context: requestContext))
            let url = reader.string("click_to_call_url", required: true, maxLength: 2048)
            if let url, !url.isEmpty, !(url.hasPrefix("https://") || url.hasPrefix("http://")) || URL(string: url)?.host == nil {
                reader.fail("click_to_call_url", "invalid_format")
            }
            try reader.finish()
            try await context.database.run { db in
                try await db.raw("""
                    INSERT INTO settings (key, value) VALUES (\(bind: Self.settingKey), \(bind: url!))
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value
                    """).run()
            }
            return JSONResponse.success()
        }
    }

    func hookURL() async throws -> String? {
        let value = try await context.database.run { db in
            try await db.raw("SELECT value FROM settings WHERE key = \(bind: Self.settingKey)").first()?.decode(column: "value", as: String.self)
        }
        return value?.isEmpty == false ? value : nil
    }

    func call(_ body: JSONObject) async throws -> JSONResponse {
        var reader = FieldReader(body)
        let sessionID = reader.id("session_id", required: true)
        let acting = try await context.acting(&reader, required: true)
        guard acting.userType == 1 else { throw APIError.invalid("user_type", "invalid_value") }
        let record = try await context.database.run { db in
            try await SessionStore.authorize(db, id: sessionID!, .view, acting: acting)
        }
        let customer = SendRequest.normalizedRecipient(record.customer)
        guard record.channelType == ChannelType.sms.rawValue || record.channelType == ChannelType.whatsapp.rawValue,
            Formats.isDialable(record.customer)
        else { throw APIError(.operationNotSupported, detail: "the customer has no phone number") }
        guard let url = try await hookURL() else {
            return .success(["method": "tel", "tel_uri": .string("tel:" + customer)])
        }
        let payload: JSONValue = ["extension": .string(acting.number), "customer": .string(customer)]
        let answer = await callProvider(
            context.http, method: .POST, url: url, headers: ["Content-Type": "application/json"],
            body: Array(payload.serialized().utf8), timeout: .seconds(10))
        guard let status = answer.status, (200..<300).contains(status) else {
            throw APIError(.failure, detail: "the click-to-call hook answered \(answer.status.map(String.init) ?? "nothing")")
        }
        return .success(["method": "hook"])
    }
}
