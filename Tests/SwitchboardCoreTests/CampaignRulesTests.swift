import Foundation
import SwitchboardCore
import Testing

/// The pure campaign rules: request validation, statuses, counting, the recipient CSV and multipart bodies.
@Suite("Campaign rules")
struct CampaignRulesTests {
    static func parse(_ text: String) -> JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    static let base: JSONObject = [
        "name": "SummerSale202507", "channel_type": "sms", "omnichannel_id": 7, "sender": 7, "recipient_type": "input",
        "number_list": [["number": "+8613800001111"], ["number": "+8613800002222"], ["number": "+8613800001111"]],
        "content_type": "text", "content": "Summer’s best deals 🌞", "send_type": "scheduled", "send_time": 1753898766,
        "send_mode": "new_session", "assign_to_type": "extension", "assign_to_id": 2,
    ]

    static func read(_ change: (inout JSONObject) -> Void = { _ in }) throws -> CampaignRequest {
        var object = base
        change(&object)
        return try CampaignRequest.read(object, parseJSON: parse)
    }

    static func issues(_ change: (inout JSONObject) -> Void) -> [String] {
        do {
            _ = try read(change)
            return []
        } catch let error as APIError {
            return error.invalidParams.map { "\($0.field):\($0.validationType ?? "")" }
        } catch {
            return ["?"]
        }
    }

    @Test func theSeedExampleReadsWithScheduledAsScheduleAndDuplicatesOnce() throws {
        let request = try Self.read()
        #expect(request.sendType == .schedule)
        #expect(request.initialStatus == .scheduled)
        #expect(request.numbers == ["+8613800001111", "+8613800002222"])
        #expect(request.assignToType == .extension && request.assignToID == 2)
    }

    @Test func everyProblemIsReportedAtOnce() {
        let found = Self.issues { object in
            object["name"] = nil
            object["number_list"] = [["number": "8613800001111"]]
            object["content"] = .string(String(repeating: "a", count: 1601))
            object["send_type"] = "later"
            object["send_mode"] = "new_session"
            object["assign_to_type"] = nil
        }
        #expect(Set(found) == ["name:required", "number_list[0].number:invalid_format", "content:max_length", "send_type:invalid_value", "assign_to_type:required"])
    }

    @Test func conditionalFieldsAreRequiredByTheirSwitch() {
        #expect(Self.issues { $0["send_type"] = "schedule"; $0["send_time"] = nil } == ["send_time:required"])
        #expect(Set(Self.issues { $0["recipient_type"] = "phonebook" }) == ["recipient_id:required", "recipient_num_type:required"])
        #expect(Self.issues { $0["recipient_type"] = "phonebook"; $0["recipient_id"] = 28; $0["recipient_num_type"] = "business_number" }.isEmpty)
        #expect(Self.issues { $0["send_mode"] = "direct"; $0["assign_to_type"] = nil; $0["assign_to_id"] = nil }.isEmpty)
        #expect(Self.issues { $0["content_type"] = "template"; $0["msg_param"] = "{}" } == ["content_type:invalid_value"])
        #expect(Self.issues { $0["channel_type"] = "whatsapp" } == ["content_type:invalid_value"])
        #expect(Self.issues { $0["content_type"] = "document"; $0["content"] = "not json" } == ["content:invalid_format"])
        let big = #"{"id":"65a7872eedb341068369fe67664e0fa1","name":"a.bin","uri":"x","type":"application/octet-stream","size":104857601}"#
        #expect(Self.issues { $0["content_type"] = "document"; $0["content"] = .string(big) } == ["content:max_size"])
    }

    @Test func aDocumentIsTheFileInfoOfAnUpload() throws {
        let file = #"{"id":"65a7872eedb341068369fe67664e0fa1","name":"demo.jpeg","uri":"20250725/65a7872eedb341068369fe67664e0fa1","type":"image/jpeg","size":88555}"#
        let request = try Self.read { $0["content_type"] = "document"; $0["content"] = .string(file); $0["send_type"] = "draft" }
        #expect(request.documentID == "65a7872eedb341068369fe67664e0fa1")
        #expect(request.initialStatus == .draft)
    }

    @Test func moreThanAThousandRecipientsIsTheLimitError() {
        let numbers = (0..<1001).map { JSONValue.object(["number": .string("+1555\(String(format: "%07d", $0))")]) }
        #expect(throws: APIError(.maxLimitationExceeded, detail: "at most 1000 recipients per campaign")) {
            _ = try Self.read { $0["number_list"] = .array(numbers) }
        }
    }

    @Test func statusesFollowTheSendType() {
        #expect(CampaignStatus.initial(for: .immediately) == .pending)
        #expect(CampaignStatus.initial(for: .draft) == .draft)
        #expect(CampaignStatus.initial(for: .scheduled) == .scheduled)
        #expect(CampaignStatus.executing.isRunning && CampaignStatus.retrying.isRunning && !CampaignStatus.pending.isRunning)
        #expect(CampaignStatus.stop.isRetryable && CampaignStatus.completed.isRetryable && !CampaignStatus.draft.isRetryable)
        #expect(CampaignStatus.draft.isEditable && !CampaignStatus.executing.isEditable && !CampaignStatus.completed.isEditable)
    }

    @Test func resultsAndRatesAreCounted() {
        let tally = CampaignTally(total: 5, failed: 1, succeeded: 4, replied: 2)
        #expect(tally.resultCount == "1/5")
        #expect(tally.responseRate == "40%")
        #expect(CampaignTally(total: 0, failed: 0, succeeded: 0, replied: 0).responseRate == "0%")
        #expect(CampaignTally(total: 3, failed: 0, succeeded: 3, replied: 1).responseRate == "33%")
        #expect(RecipientResult(queued: false, deliveryStatus: nil) == .waiting)
        #expect(RecipientResult(queued: true, deliveryStatus: 0) == .sending)
        #expect(RecipientResult(queued: true, deliveryStatus: 1) == .succeeded)
        #expect(RecipientResult(queued: true, deliveryStatus: 2) == .failed)
    }

    @Test func theCSVNeedsANumberColumnAndReportsEachRejectedLine() throws {
        let csv = "\u{FEFF}Name,Number\r\nAnn,+12025550101\n\"Bob, Jr\",+12025550102\nCy,12025550103\n,,\nDi,+12025550101\nEd,\n"
        let result = try RecipientCSV.parse(Array(csv.utf8))
        #expect(result.numbers == ["+12025550101", "+12025550102"])
        #expect(result.rejected == [
            .init(line: 4, value: "12025550103", reason: "invalid_format"),
            .init(line: 6, value: "+12025550101", reason: "duplicate"),
            .init(line: 7, value: "", reason: "empty"),
        ])
        #expect(throws: RecipientCSV.Problem.noNumberColumn) { try RecipientCSV.parse(Array("Phone\n+12025550101\n".utf8)) }
        #expect(throws: RecipientCSV.Problem.notUTF8) { try RecipientCSV.parse([0x4E, 0x75, 0x6D, 0xFF, 0xFE]) }
    }

    @Test func multipartBodiesSplitIntoTheirParts() throws {
        let boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
        let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"files\"; filename=\"/D:/projects/files/demo.jpeg\"\r\nContent-Type: image/jpeg\r\n\r\nJPEG\r\n--bytes\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"files\"; filename=\"b.txt\"\r\n\r\nhello\r\n--\(boundary)--\r\n"
        #expect(MultipartForm.boundary(of: "multipart/form-data; boundary=\(boundary)") == boundary)
        let form = try #require(MultipartForm(Array(body.utf8), boundary: boundary))
        let files = form.parts(named: "files")
        #expect(files.count == 2)
        #expect(files[0].fileName == "/D:/projects/files/demo.jpeg" && files[0].contentType == "image/jpeg")
        #expect(Array(files[0].body) == Array("JPEG\r\n--bytes".utf8))
        #expect(Array(files[1].body) == Array("hello".utf8))
        #expect(MultipartForm(Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end".utf8), boundary: boundary) == nil)
    }
}
