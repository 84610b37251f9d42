import Foundation
import SQLKit
import SwitchboardCore

/// Saving campaigns: the request is checked against what it refers to (channel, sender number,
/// phonebook, assignee, uploaded file, synced template) and written with its recipient list in
/// the caller's transaction, so a rejected request leaves nothing behind.
enum CampaignStore {
    /// Inserts a new campaign; returns its id. `60002` beyond 1,000 campaigns or recipients.
    static func create(_ db: any SQLDatabase, _ request: CampaignRequest, now: Int64) async throws -> Int64 {
        let count = try await db.raw("SELECT COUNT(*) AS n FROM campaigns").first()?.decode(column: "n", as: Int64.self) ?? 0
        guard count < CampaignLimits.maxCampaigns else {
            throw APIError(.maxLimitationExceeded, detail: "at most \(CampaignLimits.maxCampaigns) message campaigns")
        }
        let recipients = try await check(db, request, now: now)
        let status = request.initialStatus
        let id = try await insertReturningID(db, """
            INSERT INTO campaigns (name, status, channel_type, channel_id, sender_id, recipient_type, recipient_id, recipient_num_type,
              content_type, content, msg_param, send_type, send_time, send_mode, assign_to_type, assign_to_id, queued_at,
              created_at, updated_at)
            VALUES (\(bind: request.name), \(bind: status.rawValue), \(bind: request.channelType.rawValue), \(bind: request.channelID),
              \(bind: request.senderID), \(bind: request.recipientType.rawValue), \(bind: request.phonebookID),
              \(bind: request.numberType?.rawValue ?? ""), \(bind: request.contentType.rawValue), \(bind: request.content),
              \(bind: request.msgParam), \(bind: request.sendType.rawValue), \(bind: request.sendTime), \(bind: request.sendMode.rawValue),
              \(bind: request.assignToType?.rawValue ?? ""), \(bind: request.assignToID), \(bind: now), \(bind: now), \(bind: now))
            """)
        try await replaceRecipients(db, campaignID: id, recipients)
        return id
    }

    /// Replaces an unsent campaign's settings and recipients (`70084` once sending has begun).
    static func update(_ db: any SQLDatabase, id: Int64, _ request: CampaignRequest, now: Int64) async throws {
        let status = try await status(db, id: id)
        guard status.isEditable else {
            throw APIError(.actionForbidden, detail: "a campaign can be edited only before it starts sending (it is \(status.rawValue))")
        }
        let recipients = try await check(db, request, now: now)
        try await db.raw("""
            UPDATE campaigns SET name = \(bind: request.name), status = \(bind: request.initialStatus.rawValue),
              channel_type = \(bind: request.channelType.rawValue), channel_id = \(bind: request.channelID), sender_id = \(bind: request.senderID),
              recipient_type = \(bind: request.recipientType.rawValue), recipient_id = \(bind: request.phonebookID),
              recipient_num_type = \(bind: request.numberType?.rawValue ?? ""), content_type = \(bind: request.contentType.rawValue),
              content = \(bind: request.content), msg_param = \(bind: request.msgParam), send_type = \(bind: request.sendType.rawValue),
              send_time = \(bind: request.sendTime), send_mode = \(bind: request.sendMode.rawValue),
              assign_to_type = \(bind: request.assignToType?.rawValue ?? ""), assign_to_id = \(bind: request.assignToID),
              queued_at = \(bind: now), updated_at = \(bind: now)
            WHERE id = \(bind: id)
            """).run()
        try await db.raw("DELETE FROM campaign_recipients WHERE campaign_id = \(bind: id)").run()
        try await replaceRecipients(db, campaignID: id, recipients)
    }

    /// The campaign's status, or `60001`.
    static func status(_ db: any SQLDatabase, id: Int64) async throws -> CampaignStatus {
        guard let row = try await db.raw("SELECT status FROM campaigns WHERE id = \(bind: id)").first() else { throw APIError.notFound }
        return CampaignStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft
    }

    /// The stored campaign as a create body, for `update` to lay its fields over.
    static func requestObject(_ db: any SQLDatabase, id: Int64) async throws -> JSONObject {
        guard let row = try await db.raw("SELECT * FROM campaigns WHERE id = \(bind: id)").first() else { throw APIError.notFound }
        var object = try CampaignViews.settings(row)
        // Unset optional settings are stored as "", which a request leaves out.
        for key in ["recipient_num_type", "assign_to_type", "msg_param", "content"] where object[key] == "" { object[key] = nil }
        object["number_list"] = .array(try await CampaignViews.numberList(db, campaignID: id).map { ["number": $0["number"] ?? ""] })
        return object
    }

    /// Copies a campaign as a new draft named "<name>_copy" (recipients included); returns the new id.
    static func duplicate(_ db: any SQLDatabase, id: Int64, now: Int64) async throws -> Int64 {
        var object = try await requestObject(db, id: id)
        let name = (object["name"]?.stringValue ?? "") + "_copy"
        object["name"] = .string(String(name.prefix(CampaignLimits.maxNameLength)))
        object["send_type"] = "draft"
        if object["recipient_type"]?.stringValue == CampaignRecipientType.phonebook.rawValue { object["number_list"] = nil }
        let request = try CampaignRequest.read(object, parseJSON: SocketLoop.decodeJSON)
        return try await create(db, request, now: now)
    }

    struct Recipient: Sendable {
        var number: String
        var name: String
    }

    /// Checks every reference (all problems in one `40002`) and resolves the recipient list.
    static func check(_ db: any SQLDatabase, _ request: CampaignRequest, now: Int64) async throws -> [Recipient] {
        var issues: [ParamIssue] = []
        if let channel = try await db.raw("SELECT type FROM message_channels WHERE id = \(bind: request.channelID)").first() {
            if try channel.decode(column: "type", as: String.self) != request.channelType.rawValue {
                issues.append(ParamIssue(field: "channel_type", validationType: "invalid_value"))
            }
        } else {
            issues.append(ParamIssue(field: "omnichannel_id", validationType: "not_existed"))
        }
        if try await db.raw("""
            SELECT id FROM channel_numbers WHERE id = \(bind: request.senderID) AND channel_id = \(bind: request.channelID)
            """).first() == nil
        {
            issues.append(ParamIssue(field: "sender", validationType: "not_existed"))
        }
        if let type = request.assignToType, let id = request.assignToID {
            let table = type == .extension ? "extensions" : "message_queues"
            if try await db.raw("SELECT id FROM \(unsafeRaw: table) WHERE id = \(bind: id)").first() == nil {
                issues.append(ParamIssue(field: "assign_to_id", validationType: "not_existed"))
            }
        }
        if let fileID = request.documentID,
            try await db.raw("SELECT id FROM files WHERE id = \(bind: fileID) AND expires_at > \(bind: now)").first() == nil
        {
            issues.append(ParamIssue(field: "content", validationType: "not_existed"))
        }
        if request.contentType == .template, let template = request.template {
            issues.append(contentsOf: try await TemplateStore.check(db, channelID: request.channelID, param: template))
            issues.append(contentsOf: try await headerFileIssues(db, template, now: now))
        }
        if !issues.isEmpty { throw APIError(.parameterError, invalidParams: issues) }
        let recipients: [Recipient]
        if request.recipientType == .phonebook, let phonebook = request.phonebookID, let numberType = request.numberType {
            recipients = try await phonebookRecipients(db, phonebookID: phonebook, numberType: numberType)
        } else {
            let names = try await contactNames(db)
            recipients = request.numbers.map { Recipient(number: $0, name: names[$0] ?? "") }
        }
        guard recipients.count <= CampaignLimits.maxRecipients else {
            throw APIError(.maxLimitationExceeded, detail: "at most \(CampaignLimits.maxRecipients) recipients per campaign")
        }
        return recipients
    }

    /// Header files of a template message must be live uploads; images (judged by the stored file)
    /// png, gif, jpg, jpeg or webp of at most 5 MB.
    static func headerFileIssues(_ db: any SQLDatabase, _ param: JSONValue, now: Int64) async throws -> [ParamIssue] {
        var issues: [ParamIssue] = []
        for component in param["components"]?.arrayValue ?? [] where component["type"]?.stringValue?.uppercased() == "HEADER" {
            for parameter in component["parameters"]?.arrayValue ?? [] {
                let isImage = parameter["type"]?.stringValue?.uppercased() == "IMAGE"
                for file in parameter["file_list"]?.arrayValue ?? [] {
                    let id = file["id"]?.stringValue ?? ""
                    guard let row = try await db.raw("""
                        SELECT name, content_type, size FROM files WHERE id = \(bind: id) AND expires_at > \(bind: now)
                        """).first() else {
                        issues.append(ParamIssue(field: "msg_param", validationType: "not_existed", value: "the header file \(id) is not an uploaded file"))
                        continue
                    }
                    guard isImage else { continue }
                    let stored: JSONValue = [
                        "name": .string(try row.decode(column: "name", as: String.self)),
                        "type": .string(try row.decode(column: "content_type", as: String.self)),
                        "size": .int(try row.decode(column: "size", as: Int64.self)),
                    ]
                    let problems = WhatsAppTemplateCheck.mediaProblems(format: "IMAGE", [["file_list": [stored]]])
                    issues += problems.map { ParamIssue(field: "msg_param", validationType: "invalid_value", value: $0) }
                }
            }
        }
        return issues
    }

    /// The phonebook's numbers of `numberType` (contacts without one skipped, duplicates once);
    /// `70093` if it does not exist. A number that is not E.164 stays a recipient: its send fails
    /// with the reason, so the results show which contact to fix.
    static func phonebookRecipients(_ db: any SQLDatabase, phonebookID: Int64, numberType: RecipientNumberType) async throws -> [Recipient] {
        guard try await db.raw("SELECT id FROM phonebooks WHERE id = \(bind: phonebookID)").first() != nil else {
            throw APIError(.phonebookNotExisted, invalidParams: [ParamIssue(field: "recipient_id", value: String(phonebookID))])
        }
        // The column name comes from a closed enum, never from the request text.
        let rows = try await db.raw("""
            SELECT c.first_name, c.last_name, c.\(unsafeRaw: numberType.rawValue) AS number FROM phonebook_contacts p
            JOIN company_contacts c ON c.id = p.contact_id WHERE p.phonebook_id = \(bind: phonebookID) ORDER BY c.id
            """).all()
        var seen: Set<String> = []
        var recipients: [Recipient] = []
        for row in rows {
            let number = try row.decode(column: "number", as: String.self).trimmingSpaces
            guard !number.isEmpty, seen.insert(number).inserted else { continue }
            let name = [try row.decode(column: "first_name", as: String.self), try row.decode(column: "last_name", as: String.self)]
                .filter { !$0.isEmpty }.joined(separator: " ")
            recipients.append(Recipient(number: number, name: name))
        }
        return recipients
    }

    /// Company contacts' names by each of their numbers (for typed or imported recipients).
    static func contactNames(_ db: any SQLDatabase) async throws -> [String: String] {
        let columns = RecipientNumberType.allCases.map(\.rawValue)
        let rows = try await db.raw("""
            SELECT first_name, last_name, \(unsafeRaw: columns.joined(separator: ", ")) FROM company_contacts ORDER BY id DESC
            """).all()
        var names: [String: String] = [:]
        for row in rows {
            let name = [try row.decode(column: "first_name", as: String.self), try row.decode(column: "last_name", as: String.self)]
                .filter { !$0.isEmpty }.joined(separator: " ")
            for column in columns {
                let number = try row.decode(column: column, as: String.self)
                if !number.isEmpty { names[number] = name }
            }
        }
        return names
    }

    static func replaceRecipients(_ db: any SQLDatabase, campaignID: Int64, _ recipients: [Recipient]) async throws {
        for chunk in stride(from: 0, to: recipients.count, by: 200) {
            let slice = recipients[chunk..<min(chunk + 200, recipients.count)]
            var sql = SQLQueryString("INSERT INTO campaign_recipients (campaign_id, number, contact_name, position) VALUES ")
            for (offset, recipient) in slice.enumerated() {
                if offset > 0 { sql.appendLiteral(", ") }
                sql = sql + SQLQueryString("(\(bind: campaignID), \(bind: recipient.number), \(bind: recipient.name), \(bind: chunk + offset))")
            }
            try await db.raw(sql).run()
        }
    }
}
