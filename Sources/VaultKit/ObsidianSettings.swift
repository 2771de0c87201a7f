import Foundation

/// What a vault's `.obsidian` folder says that mycel takes into account. Read on demand,
/// never written; a missing or malformed file is as if it said nothing.
public enum ObsidianSettings {
    /// The vault-relative folders that hold templates: the core Templates plugin's
    /// (`.obsidian/templates.json`, `folder`) and Templater's
    /// (`.obsidian/plugins/templater-obsidian/data.json`, `templates_folder`). Their notes
    /// are meant to hold placeholders such as `{{date}}` and links to notes not made yet.
    public static func templateFolders(root: String) -> [String] {
        let sources = [("templates.json", "folder"), ("plugins/templater-obsidian/data.json", "templates_folder")]
        var folders: [String] = []
        for (file, key) in sources {
            guard let data = FileManager.default.contents(atPath: root + "/.obsidian/" + file),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let value = object[key] as? String else { continue }
            let folder = value.split(separator: "/").filter { !$0.isEmpty && $0 != "." }.joined(separator: "/")
            if !folder.isEmpty, !folders.contains(folder) { folders.append(folder) }
        }
        return folders
    }

    /// Whether the vault-relative `path` lies in one of `folders`.
    public static func isInside(_ path: String, _ folders: [String]) -> Bool {
        folders.contains { path.hasPrefix($0 + "/") }
    }
}
