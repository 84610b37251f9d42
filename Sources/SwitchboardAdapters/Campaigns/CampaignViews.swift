import SQLKit
import SwitchboardCore

/// Campaigns as the OpenAPI shows them: `MSGCampaign_Info` (list/search), `MSGCampaign_DetailInfo`
/// (get/query) and the per-recipient results.
enum CampaignViews {
    /// The create-body fields of a stored campaign.
    static func settings(_ row: any SQLRow) throws -> JSONObject {
        var object: JSONObject = [
            "name": .string(try row.decode(column: "name", as: String.self)),
            "channel_type": .string(try row.decode(column: "channel_type", as: String.self)),
            "omnichannel_id": .int(try row.decode(column: "channel_id", as: Int64.self)),
            "sender": .int(try row.decode(column: "sender_id", as: Int64.self)),
            "recipient_type": .string(try row.decode(column: "recipient_type", as: String.self)),
            "recipient_id": .int(try row.decode(column: "recipient_id", as: Int64?.self) ?? 0),
            "recipient_num_type": .string(try row.decode(column: "recipient_num_type", as: String.self)),
            "content_type": .string(try row.decode(column: "content_type", as: String.self)),
            "content": .string(try row.decode(column: "content", as: String.self)),
            "msg_param": .string(try row.decode(column: "msg_param", as: String.self)),
            "send_type": .string(try row.decode(column: "send_type", as: String.self)),
            "send_time": .int(try row.decode(column: "send_time", as: Int64.self)),
            "send_mode": .string(try row.decode(column: "send_mode", as: String.self)),
            "assign_to_type": .string(try row.decode(column: "assign_to_type", as: String.self)),
            "assign_to_id": .int(try row.decode(column: "assign_to_id", as: Int64?.self) ?? 0),
        ]
        if object["recipient_id"] == .int(0) { object["recipient_id"] = nil }
        if object["assign_to_id"] == .int(0) { object["assign_to_id"] = nil }
        return object
    }

    /// `MSGCampaign_Info`.
    static func listItem(_ db: any SQLDatabase, _ row: any SQLRow) async throws -> JSONObject {
        let id = try row.decode(column: "id", as: Int64.self)
        let settings = try settings(row)
        let tally = try await tally(db, campaignID: id)
        return [
            "id": .int(id),
            "name": settings["name"] ?? "",
            "status": .string(try row.decode(column: "status", as: String.self)),
            "channel_type": settings["channel_type"] ?? "",
            "channel_name": .string(try row.decode(column: "channel_name", as: String?.self) ?? ""),
            "sender": .string(try row.decode(column: "sender_number", as: String?.self) ?? ""),
            "recipient_type": settings["recipient_type"] ?? "",
            "recipient_name": .string(try row.decode(column: "phonebook_name", as: String?.self) ?? ""),
            "recipient_num_type": settings["recipient_num_type"] ?? "",
            "send_type": settings["send_type"] ?? "",
            "send_time": settings["send_time"] ?? 0,
            "send_mode": settings["send_mode"] ?? "",
            "result_count": .string(tally.resultCount),
            "response_rate": .string(tally.responseRate),
        ]
    }

    /// `MSGCampaign_DetailInfo` (plus status and counts). `sender` is the number id create takes;
    /// `sender_number` the number itself.
    static func detail(_ db: any SQLDatabase, _ row: any SQLRow) async throws -> JSONObject {
        let id = try row.decode(column: "id", as: Int64.self)
        var object: JSONObject = ["id": .int(id)]
        for member in try settings(row).members { object[member.key] = member.value }
        if object["recipient_id"] == nil { object["recipient_id"] = 0 }
        if object["assign_to_id"] == nil { object["assign_to_id"] = 0 }
        let tally = try await tally(db, campaignID: id)
        object["number_list"] = .array(try await numberList(db, campaignID: id).map(JSONValue.object))
        object["status"] = .string(try row.decode(column: "status", as: String.self))
        object["channel_name"] = .string(try row.decode(column: "channel_name", as: String?.self) ?? "")
        object["sender_number"] = .string(try row.decode(column: "sender_number", as: String?.self) ?? "")
        object["recipient_name"] = .string(try row.decode(column: "phonebook_name", as: String?.self) ?? "")
        object["result_count"] = .string(tally.resultCount)
        object["response_rate"] = .string(tally.responseRate)
        object["total"] = .integer(tally.total)
        object["succeeded"] = .integer(tally.succeeded)
        object["failed"] = .integer(tally.failed)
        return object
    }

    /// The SELECT list/get use: the campaign with its channel name, sender number and phonebook name.
    static let select = """
        SELECT c.*, ch.name AS channel_name, n.did_number AS sender_number, p.name AS phonebook_name FROM campaigns c
        LEFT JOIN message_channels ch ON ch.id = c.channel_id LEFT JOIN channel_numbers n ON n.id = c.sender_id
        LEFT JOIN phonebooks p ON p.id = c.recipient_id
        """

    /// `Number_List` entries (`id`, `number`) in recipient order.
    static func numberList(_ db: any SQLDatabase, campaignID: Int64) async throws -> [JSONObject] {
        try await db.raw("""
            SELECT id, number FROM campaign_recipients WHERE campaign_id = \(bind: campaignID) ORDER BY position
            """).all().map { ["id": .int(try $0.decode(column: "id", as: Int64.self)), "number": .string(try $0.decode(column: "number", as: String.self))] }
    }

    /// Failure condition of a recipient row `r` joined with its message `m`.
    static let failedCondition = "(r.uncertain = 1 OR r.error <> '' OR m.delivery_status = 2)"

    static func tally(_ db: any SQLDatabase, campaignID: Int64) async throws -> CampaignTally {
        let row = try await db.raw("""
            SELECT COUNT(*) AS total,
              SUM(CASE WHEN \(unsafeRaw: failedCondition) THEN 1 ELSE 0 END) AS failed,
              SUM(CASE WHEN r.uncertain = 0 AND r.error = '' AND m.delivery_status = 1 THEN 1 ELSE 0 END) AS succeeded,
              SUM(CASE WHEN m.id IS NOT NULL AND EXISTS (SELECT 1 FROM messages i WHERE i.sender_no = r.number
                AND i.channel_id = m.channel_id AND i.direction = 'in' AND i.id > m.id) THEN 1 ELSE 0 END) AS replied
            FROM campaign_recipients r LEFT JOIN messages m ON m.id = r.message_id WHERE r.campaign_id = \(bind: campaignID)
            """).first()
        func value(_ column: String) throws -> Int { Int(try row?.decode(column: column, as: Int64?.self) ?? 0) }
        return CampaignTally(total: try value("total"), failed: try value("failed"), succeeded: try value("succeeded"), replied: try value("replied"))
    }

    /// One page of per-recipient results: contact name, number, result, failed reason.
    static func results(_ db: any SQLDatabase, campaignID: Int64, page: PageRequest) async throws -> [JSONValue] {
        let rows = try await db.raw("""
            SELECT r.contact_name, r.number, r.message_id, r.uncertain, r.error, m.delivery_status, m.send_error, m.send_error_msg
            FROM campaign_recipients r LEFT JOIN messages m ON m.id = r.message_id WHERE r.campaign_id = \(bind: campaignID)
            ORDER BY r.position LIMIT \(bind: page.pageSize) OFFSET \(bind: page.offset)
            """).all()
        return try rows.map { row in
            let uncertain = try row.decode(column: "uncertain", as: Int.self) == 1
            let error = try row.decode(column: "error", as: String.self)
            var result = RecipientResult(
                queued: try row.decode(column: "message_id", as: Int64?.self) != nil,
                deliveryStatus: try row.decode(column: "delivery_status", as: Int?.self))
            var reason = ""
            if uncertain {
                // Cut by a crash, or no answer from the provider: its outcome is unknown.
                result = .failed
                let cause = try row.decode(column: "send_error_msg", as: String?.self) ?? ""
                reason = (cause.isEmpty ? "" : cause + "; ") + "not resent in case the provider already has it"
            } else if !error.isEmpty {
                result = .failed
                reason = error
            } else if result == .failed {
                let message = try row.decode(column: "send_error_msg", as: String?.self) ?? ""
                let kind = try row.decode(column: "send_error", as: String?.self) ?? ""
                reason = message.isEmpty ? kind : (kind.isEmpty ? message : "\(kind): \(message)")
            }
            return [
                "contact_name": .string(try row.decode(column: "contact_name", as: String.self)),
                "number": .string(try row.decode(column: "number", as: String.self)),
                "result": .string(result.rawValue),
                "failed_reason": .string(reason),
            ]
        }
    }
}
