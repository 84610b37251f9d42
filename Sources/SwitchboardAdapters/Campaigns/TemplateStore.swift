import SQLKit
import SwitchboardCore

/// WhatsApp message templates synced from the channel's WhatsApp Business Account.
enum TemplateStore {
    /// Problems of a template parameter object against the synced template (none yet: only the JSON shape is checked).
    static func check(_ db: any SQLDatabase, channelID: Int64, param: JSONValue) async throws -> [ParamIssue] {
        []
    }
}
