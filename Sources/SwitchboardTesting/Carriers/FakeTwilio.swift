import Crypto
import Foundation
import Hummingbird
import SwitchboardAdapters
import SwitchboardCore

/// Twilio's Messages API on a loopback port: `POST /2010-04-01/Accounts/{sid}/Messages.json`
/// (HTTP Basic `sid:token`, form-encoded, E.164 `To`/`From`, `Body` or `MediaUrl`) answering 201
/// with a Message resource or Twilio's error JSON, and `GET /2010-04-01/Accounts/{sid}.json`. It
/// builds incoming-message and status-callback forms and signs them as Twilio does, and serves MMS
/// media under `…/Messages/{MM}/Media/{ME}` as an account that enforces Basic auth on media does.
public final class FakeTwilio: Sendable {
    public let accountSID: String
    public let authToken: String
    public let core = FakeCarrierCore()
    public var sent: Recorder<FakeCarrierSend> { core.sent }
    public var failures: Script<FakeCarrierAnswer> { core.failures }
    public var baseURL: String { core.baseURL }

    public static func start(accountSID: String = "AC" + String(repeating: "a1", count: 16), authToken: String = "twilio-auth-token-1") async throws -> FakeTwilio {
        let fake = FakeTwilio(accountSID: accountSID, authToken: authToken)
        let router = Router()
        router.post("2010-04-01/Accounts/:sid/Messages.json") { request, context in try await fake.handleSend(request, context: context) }
        router.get("2010-04-01/Accounts/:sid") { request, context in fake.handleAccount(request, context: context) }
        router.get("2010-04-01/Accounts/:sid/Messages/:message/Media/:media") { request, context in
            fake.core.mediaResponse(
                request, authorized: fake.authorized(request, sid: context.parameters.get("sid") ?? ""),
                refusal: Self.error(20003, "Authenticate", status: 401))
        }
        try await fake.core.start(router)
        return fake
    }

    private init(accountSID: String, authToken: String) {
        self.accountSID = accountSID
        self.authToken = authToken
    }

    public func stop() async { await core.stop() }

    /// Twilio's error JSON.
    public static func error(_ code: Int64, _ message: String, status: Int) -> FakeCarrierAnswer {
        FakeCarrierAnswer(status: status, body: ([
            "code": .int(code), "message": .string(message), "more_info": .string("https://www.twilio.com/docs/errors/\(code)"), "status": .int(Int64(status)),
        ] as JSONValue).serialized())
    }

    func authorized(_ request: Request, sid: String) -> Bool {
        sid == accountSID && request.headers[.authorization] == FakeCarrierCore.basic(accountSID, authToken)
    }

    func handleSend(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard authorized(request, sid: context.parameters.get("sid") ?? "") else {
            return core.refuse(Self.error(20003, "Authenticate", status: 401), "bad credentials")
        }
        let raw = try await FakeCarrierCore.body(request)
        // Twilio reads only forms: a JSON body looks like a request without `To`.
        let form = FakeCarrierCore.hasContentType(request, "application/x-www-form-urlencoded") ? formDecode(String(decoding: raw, as: UTF8.self)) : []
        func values(_ key: String) -> [String] { form.filter { $0.0 == key }.map(\.1) }
        guard let to = values("To").first else { return core.refuse(Self.error(21604, "A 'To' phone number is required.", status: 400), "no To") }
        guard Formats.isE164(to) else { return core.refuse(Self.error(21211, "The 'To' number \(to) is not a valid phone number.", status: 400), "bad To") }
        guard let from = values("From").first, Formats.isE164(from) || Formats.isAlphanumericSenderID(from) else {
            return core.refuse(Self.error(21212, "The 'From' number is not a valid phone number, shortcode, or alphanumeric sender ID.", status: 400), "bad From")
        }
        let body = values("Body").first ?? ""
        let media = values("MediaUrl")
        guard !body.isEmpty || !media.isEmpty else { return core.refuse(Self.error(21602, "Message body is required.", status: 400), "no Body") }
        guard body.count <= 1600 else { return core.refuse(Self.error(21617, "The concatenated message body exceeds the 1600 character limit.", status: 400), "too long") }
        if let failure = failures.next() { return failure.response }
        let sid = (media.isEmpty ? "SM" : "MM") + FakeCarrierCore.newID("").prefix(32)
        sent.append(FakeCarrierSend(from: from, to: to, text: body, mediaURLs: media, id: sid, extras: ["StatusCallback": values("StatusCallback").first ?? ""]))
        return FakeCarrierCore.json(201, [
            "sid": .string(sid), "account_sid": .string(accountSID), "from": .string(from), "to": .string(to), "body": .string(body),
            "status": "queued", "num_segments": "1", "num_media": .string(String(media.count)), "direction": "outbound-api",
            "api_version": "2010-04-01", "date_created": "Thu, 01 Jan 2024 00:00:00 +0000", "error_code": nil, "error_message": nil,
            "uri": .string("/2010-04-01/Accounts/\(accountSID)/Messages/\(sid).json"),
        ])
    }

    func handleAccount(_ request: Request, context: BasicRequestContext) -> Response {
        let file = context.parameters.get("sid") ?? ""
        guard file.hasSuffix(".json"), authorized(request, sid: String(file.dropLast(5))) else {
            return core.refuse(Self.error(20003, "Authenticate", status: 401), "bad credentials")
        }
        if let failure = failures.next() { return failure.response }
        return FakeCarrierCore.json(200, ["sid": .string(accountSID), "status": "active", "type": "Full"])
    }

    /// The form of an incoming SMS/MMS webhook, as Twilio posts it.
    public func incoming(sid: String, from: String, to: String, body: String, mediaURLs: [String] = []) -> [(String, String)] {
        var form: [(String, String)] = [
            ("ToCountry", "US"), ("ToState", "MD"), ("SmsMessageSid", sid), ("NumMedia", String(mediaURLs.count)), ("ToCity", ""),
            ("FromZip", ""), ("SmsSid", sid), ("FromState", "CA"), ("SmsStatus", "received"), ("FromCity", ""), ("Body", body),
            ("FromCountry", "US"), ("To", to), ("MessagingServiceSid", ""), ("ToZip", ""), ("NumSegments", "1"), ("MessageSid", sid),
            ("AccountSid", accountSID), ("From", from), ("ApiVersion", "2010-04-01"),
        ]
        for (index, url) in mediaURLs.enumerated() {
            form += [("MediaUrl\(index)", url), ("MediaContentType\(index)", "image/jpeg")]
        }
        return form
    }

    /// The form of a status callback on a message we sent.
    public func statusCallback(sid: String, status: String, errorCode: String? = nil, from: String, to: String) -> [(String, String)] {
        var form: [(String, String)] = [
            ("SmsSid", sid), ("SmsStatus", status), ("MessageStatus", status), ("To", to), ("MessageSid", sid),
            ("AccountSid", accountSID), ("From", from), ("ApiVersion", "2010-04-01"),
        ]
        if let errorCode { form.append(("ErrorCode", errorCode)) }
        return form
    }

    /// `X-Twilio-Signature` for a POST of `form` to `url`: Base64 HMAC-SHA1(auth token, URL then
    /// every parameter name followed by its value, names sorted).
    public func sign(url: String, form: [(String, String)], token: String? = nil) -> String {
        let data = form.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.reduce(url) { $0 + $1.0 + $1.1 }
        let key = SymmetricKey(data: Array((token ?? authToken).utf8))
        return Data(HMAC<Insecure.SHA1>.authenticationCode(for: Array(data.utf8), using: key)).base64EncodedString()
    }
}
