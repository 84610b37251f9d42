import Hummingbird
import SwitchboardCore

/// Portal-only (not on the OpenAPI): the system email (SMTP) settings of the Email page.
/// - `GET email/get` — `{data: {configured, host, port, security, username, password, sender_address, sender_name}}`;
///   `password` is write-only: `********` when one is stored, else empty;
/// - `POST email/update` — the same fields; `password` left out keeps the stored one (`40002` lists bad fields);
/// - `POST email/test` `{"to"}` — sends a test email with the saved settings; a failure is `-1 FAILURE`
///   with the server's reply verbatim in `errdetail`.
struct PortalEmail: Sendable {
    let email: EmailService

    /// What a stored password looks like in answers (its length is not shown either).
    static let passwordMask = "********"

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("email/get") { _, _ in
            JSONResponse.success(["data": .object(Self.answer(try await email.settings()))])
        }
        group.post("email/update") { request, context in
            var request = request
            var reader = FieldReader(try await request.jsonObject(context: context))
            let stored = try await email.settings()
            let settings = EmailSettings.read(&reader, storedPassword: stored?.password)
            try reader.finish()
            try await email.save(settings!)
            return JSONResponse.success(["data": .object(Self.answer(settings))])
        }
        group.post("email/test") { request, context in
            var request = request
            var reader = FieldReader(try await request.jsonObject(context: context))
            let to = EmailSettings.readRecipient(&reader, "to", required: true)
            try reader.finish()
            try await email.send { sender in MailMessage.testEmail(from: sender, to: to!) }
            return JSONResponse.success()
        }
    }

    static func answer(_ settings: EmailSettings?) -> JSONObject {
        guard let settings else {
            return ["configured": 0, "host": "", "port": .integer(Int(EmailSecurity.starttls.defaultPort)), "security": "starttls",
                    "username": "", "password": "", "sender_address": "", "sender_name": ""]
        }
        return [
            "configured": 1, "host": .string(settings.host), "port": .int(settings.port), "security": .string(settings.security.rawValue),
            "username": .string(settings.username), "password": .string(settings.password.isEmpty ? "" : passwordMask),
            "sender_address": .string(settings.senderAddress), "sender_name": .string(settings.senderName),
        ]
    }
}
