import Fluent
import Foundation

/// A column of the ideas board, named by the workspace ("New", "Worth doing", …), shown in
/// the order of `position`.
final class IdeaColumn: Model, @unchecked Sendable {
    static let schema = "idea_columns"

    @ID(key: .id) var id: UUID?
    @Parent(key: "workspace_id") var workspace: Workspace
    @Field(key: "name") var name: String
    /// The name as compared: two columns of a workspace never share it.
    @Field(key: "name_key") var nameKey: String
    @Field(key: "position") var position: Int

    init() {}

    init(workspaceID: UUID, name: String, position: Int) {
        self.$workspace.id = workspaceID
        self.name = name
        self.nameKey = Self.key(name)
        self.position = position
    }

    func rename(_ name: String) {
        self.name = name
        nameKey = Self.key(name)
    }

    static func key(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}
