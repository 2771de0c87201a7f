import Yams

/// A frontmatter value as written: scalars stay raw text (YAML 1.2 reading: `yes`, `no` and
/// dates are not converted), so what the user typed is what mycel shows and matches.
public enum PropertyValue: Sendable, Equatable {
    case null
    /// A scalar's text; `quoted` when it was written in quotes or as a block scalar.
    case scalar(String, quoted: Bool)
    case list([PropertyValue])
    case map([Property])

    /// The text of a scalar, nil for other shapes.
    public var text: String? {
        if case let .scalar(s, _) = self { return s }
        return nil
    }

    /// True when a YAML 1.2 (core schema) reader would take this scalar as a string: quoted,
    /// or plain and not a number, boolean or null.
    public var isString: Bool {
        guard case let .scalar(s, quoted) = self else { return false }
        return quoted || !YAMLCore.isNonString(s)
    }

}

/// Where a frontmatter scalar was written, for locating the links inside it.
struct ScalarSite: Equatable {
    /// The top-level property holding it.
    var key: String
    var text: String
    /// One-based file line and column of the scalar (of its opening quote when quoted).
    var line: Int
    var column: Int
    var quoted: Bool
    /// 0 for the property's own value, 1 for an item of its list, more when nested deeper.
    var depth: Int
}

/// One `key: value` pair of the frontmatter, with the one-based file line of its key.
public struct Property: Sendable, Equatable {
    public let key: String
    public let value: PropertyValue
    public let line: Int
}

/// A problem with a note's frontmatter, located in the file.
public struct FrontmatterError: Sendable, Equatable, Error {
    public let line: Int
    public let column: Int
    public let message: String
}

/// The result of reading the frontmatter block of a file.
struct FrontmatterBlock {
    /// Byte range of the YAML text between the fences.
    var yamlRange: Range<Int>
    /// Byte offset where the body starts (after the closing fence's line break).
    var bodyStart: Int
    /// One-based file line of the first YAML line.
    var firstLine: Int
}

public enum Frontmatter {
    /// Finds a frontmatter block: the file (after an optional BOM at `start`) begins with
    /// `---` and a line break, and a later line is exactly `---`.
    static func locate(_ bytes: [UInt8], start: Int) -> FrontmatterBlock? {
        let n = bytes.count
        guard n - start >= 4, bytes[start] == 0x2D, bytes[start + 1] == 0x2D, bytes[start + 2] == 0x2D
        else { return nil }
        var i = start + 3
        if i < n, bytes[i] == 0x0D { i += 1 }
        guard i < n, bytes[i] == 0x0A else { return nil }
        let yamlStart = i + 1
        var lineStart = yamlStart
        while lineStart < n {
            var lineEnd = lineStart
            while lineEnd < n, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            var contentEnd = lineEnd
            if contentEnd > lineStart, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            if contentEnd - lineStart == 3, bytes[lineStart] == 0x2D, bytes[lineStart + 1] == 0x2D,
               bytes[lineStart + 2] == 0x2D {
                return FrontmatterBlock(
                    yamlRange: yamlStart..<lineStart,
                    bodyStart: min(n, lineEnd + 1),
                    firstLine: 2)
            }
            lineStart = lineEnd + 1
        }
        return nil
    }

    /// Parses the YAML of a block into ordered properties. Throws `FrontmatterError` with the
    /// file line of the problem.
    static func parse(_ yaml: String, firstLine: Int) throws(FrontmatterError) -> [Property] {
        var sites: [ScalarSite] = []
        return try parse(yaml, firstLine: firstLine, sites: &sites)
    }

    /// Parses and also lists every scalar with its position: the simple shapes most notes use
    /// directly, anything else through Yams.
    static func parse(_ yaml: String, firstLine: Int, sites: inout [ScalarSite]) throws(FrontmatterError) -> [Property] {
        if let simple = SimpleFrontmatter.parse(yaml, firstLine: firstLine) {
            sites = simple.sites
            return simple.properties
        }
        return try parseWithYams(yaml, firstLine: firstLine, sites: &sites)
    }

    /// The general reader (every YAML shape), also the reference the fast one is tested against.
    static func parseWithYams(_ yaml: String, firstLine: Int, sites: inout [ScalarSite]) throws(FrontmatterError) -> [Property] {
        // libyaml and Yams nest by recursion: a hostile block of thousands of `[` would
        // exhaust the stack before any error. No real frontmatter nests this deep.
        if let line = nestingTooDeep(yaml) {
            throw FrontmatterError(line: line + firstLine - 1, column: 1,
                                   message: "nested more than \(maxNesting) levels deep")
        }
        let node: Node?
        do {
            // The basic resolver: every scalar stays text (we read raw strings, YAML 1.2 style),
            // and it skips the regular-expression matching of the default one. UTF-8 is given
            // explicitly so Yams does not consult the environment for each note.
            node = try Yams.compose(yaml: yaml, .basic, .default, .utf8)
        } catch let error as YamlError {
            throw describe(error, yaml: yaml, firstLine: firstLine)
        } catch {
            throw FrontmatterError(line: firstLine, column: 1, message: "\(error)")
        }
        guard let node else { return [] }
        guard case let .mapping(mapping) = node else {
            if case let .scalar(s) = node, s.string.isEmpty { return [] }
            throw FrontmatterError(
                line: (node.mark?.line ?? 1) + firstLine - 1, column: node.mark?.column ?? 1,
                message: "frontmatter is not a set of key: value pairs")
        }
        var context = Context(firstLine: firstLine, sites: [])
        let props = try properties(mapping, &context, key: nil, depth: 0)
        sites = context.sites
        return props
    }

    private struct Context {
        let firstLine: Int
        var sites: [ScalarSite]
        /// Values still allowed: aliases share nodes, so a few lines can stand for billions
        /// of values ("billion laughs"); reading stops past this many.
        var budget = maxValues
    }

    static let maxNesting = 200
    static let maxValues = 100_000

    /// The one-based line where flow brackets, or block indentation and `- ` / `? ` entries,
    /// first go deeper than `maxNesting`, if they do. Brackets inside quoted scalars and
    /// comments do not count. (libyaml stops at 1,000 levels, but the recursion down to there
    /// could exhaust a worker thread's stack.)
    static func nestingTooDeep(_ yaml: String) -> Int? {
        // Block nesting: each level is at least one more space, or one more entry indicator
        // on the same line (`- - - x`).
        for (n, text) in yaml.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            var spaces = 0, entries = 0
            var it = text.makeIterator()
            var c = it.next()
            while c == 0x20 { spaces += 1; c = it.next() }
            while c == UInt8(ascii: "-") || c == UInt8(ascii: "?") {
                let next = it.next()
                guard next == nil || next == 0x20 else { break }
                entries += 1
                c = it.next()
                while c == 0x20 { c = it.next() }
            }
            if spaces / 2 + entries > maxNesting { return n + 1 }
        }
        var depth = 0, line = 1
        var quote: UInt8 = 0          // the open quote, if inside a quoted scalar
        var comment = false
        var previous: UInt8 = 0x20
        var escaped = false
        for c in yaml.utf8 {
            defer { previous = c }
            if c == 0x0A { line += 1; comment = false; if quote == 0 { continue } }
            if comment { continue }
            if quote != 0 {
                if quote == UInt8(ascii: "\""), c == UInt8(ascii: "\\"), !escaped { escaped = true; continue }
                if c == quote, !escaped { quote = 0 }
                escaped = false
                continue
            }
            let startsScalar = previous == 0x20 || previous == 0x09 || previous == 0x0A || previous == UInt8(ascii: "[")
                || previous == UInt8(ascii: "{") || previous == UInt8(ascii: ",") || previous == UInt8(ascii: ":")
            switch c {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                if startsScalar { quote = c }
            case UInt8(ascii: "#"):
                if previous == 0x20 || previous == 0x09 || previous == 0x0A { comment = true }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maxNesting { return line }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
            default: break
            }
        }
        return nil
    }

    private static func properties(_ mapping: Node.Mapping, _ context: inout Context, key topKey: String?,
                                   depth: Int) throws(FrontmatterError) -> [Property] {
        let firstLine = context.firstLine
        var out: [Property] = []
        for (k, v) in mapping {
            let line = (k.mark?.line ?? 1) + firstLine - 1
            guard let key = k.scalar?.string else {
                // `created: {{date}}` reads as a mapping used as a key: valid YAML, but no
                // property Obsidian can show. Almost always an unfilled template placeholder.
                throw FrontmatterError(line: line, column: k.mark?.column ?? 1,
                                       message: "a key that is itself a list or mapping (an unquoted {{placeholder}}? quote it)")
            }
            let value = try value(v, &context, key: topKey ?? key, depth: topKey == nil ? 0 : depth + 1)
            out.append(Property(key: key, value: value, line: line))
        }
        return out
    }

    private static func value(_ node: Node, _ context: inout Context, key: String,
                              depth: Int) throws(FrontmatterError) -> PropertyValue {
        context.budget -= 1
        guard context.budget >= 0, depth <= maxNesting else {
            throw FrontmatterError(line: (node.mark?.line ?? 1) + context.firstLine - 1, column: node.mark?.column ?? 1,
                                   message: "more than \(maxValues) values or \(maxNesting) levels (YAML aliases that expand without end?)")
        }
        switch node {
        case let .scalar(s):
            if s.style == .plain && (s.string.isEmpty || s.string == "~" || YAMLCore.isNull(s.string)) {
                return .null
            }
            let quoted = s.style != .plain
            context.sites.append(ScalarSite(
                key: key, text: s.string, line: (s.mark?.line ?? 1) + context.firstLine - 1,
                column: s.mark?.column ?? 1, quoted: quoted, depth: depth))
            return .scalar(s.string, quoted: quoted)
        case let .sequence(seq):
            var items: [PropertyValue] = []
            for item in seq { items.append(try value(item, &context, key: key, depth: depth + 1)) }
            return .list(items)
        case let .mapping(m):
            return .map(try properties(m, &context, key: key, depth: depth))
        case .alias:
            return .null
        }
    }

    private static func describe(_ error: YamlError, yaml: String, firstLine: Int) -> FrontmatterError {
        func at(_ mark: Mark, _ problem: String, _ context: YamlError.Context?) -> FrontmatterError {
            // libyaml's own wording for its nesting limit names a C function; say what it means.
            if problem.hasPrefix("Maximum nesting level") {
                return FrontmatterError(line: mark.line + firstLine - 1, column: mark.column, message: "nested too deep")
            }
            var message = problem
            if let context { message = "\(problem) (\(context.text))" }
            return FrontmatterError(line: mark.line + firstLine - 1, column: mark.column, message: message)
        }
        switch error {
        case let .scanner(context, problem, mark, _): return at(mark, problem, context)
        case let .parser(context, problem, mark, _): return at(mark, problem, context)
        case let .composer(context, problem, mark, _): return at(mark, problem, context)
        case let .duplicatedKeysInMapping(duplicates, context):
            // Yams points at the mapping; the reader wants the key written a second time.
            var line = context.mark.line
            var seen = Set<String>()
            for (n, text) in yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                guard let key = duplicates.first(where: { text.hasPrefix($0 + ":") || text.hasPrefix($0 + " :") }) else { continue }
                if !seen.insert(key).inserted { line = n + 1; break }
            }
            return FrontmatterError(
                line: line + firstLine - 1, column: 1,
                message: "duplicate key \(duplicates.joined(separator: ", "))")
        case let .reader(problem, _, _, _):
            return FrontmatterError(line: firstLine, column: 1, message: problem)
        default:
            return FrontmatterError(line: firstLine, column: 1, message: "\(error)")
        }
    }
}

/// The YAML 1.2 core schema's non-string plain scalars, as Obsidian reads them.
enum YAMLCore {
    static func isNull(_ s: String) -> Bool {
        let n = s.utf8.count
        return (n == 4 && (s == "null" || s == "Null" || s == "NULL")) || (n == 1 && s == "~")
    }

    static func isBool(_ s: String) -> Bool {
        let n = s.utf8.count
        guard n == 4 || n == 5 else { return false }
        switch s {
        case "true", "True", "TRUE", "false", "False", "FALSE": return true
        default: return false
        }
    }

    static func isNumber(_ s: String) -> Bool {
        // A number starts with a sign, a digit or a dot: most text is rejected at once.
        guard let c = s.utf8.first, c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
                || (c >= 0x30 && c <= 0x39) else { return false }
        let b = Array(s.utf8)
        switch s {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
             ".nan", ".NaN", ".NAN":
            return true
        default: break
        }
        func digits(_ from: Int, _ ok: (UInt8) -> Bool) -> Bool {
            from < b.count && b[from...].allSatisfy(ok)
        }
        if b.count > 2, b[0] == 0x30, b[1] == UInt8(ascii: "o") { return digits(2) { $0 >= 0x30 && $0 <= 0x37 } }
        if b.count > 2, b[0] == 0x30, b[1] == UInt8(ascii: "x") {
            return digits(2) { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }
        }
        // [-+]? ( \.[0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
        var i = 0
        if b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
        var mantissa = 0
        while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1; mantissa += 1 }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1; mantissa += 1 }
        }
        if mantissa == 0 { return false }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
            let expStart = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            if i == expStart { return false }
        }
        return i == b.count
    }

    static func isNonString(_ s: String) -> Bool {
        isNull(s) || isBool(s) || isNumber(s)
    }
}

extension Frontmatter {
    /// For the fuzzer: false when the fast reader accepts the frontmatter of a note's bytes
    /// but reads it differently from Yams (or accepts what Yams rejects).
    public static func fastReaderAgreesWithYams(note bytes: [UInt8]) -> Bool {
        guard let block = locate(bytes, start: NoteParser.bomLength(bytes)) else { return true }
        let yaml = decode(bytes, block.yamlRange)
        guard let fast = SimpleFrontmatter.parse(yaml, firstLine: 2) else { return true }
        var sites: [ScalarSite] = []
        guard let props = try? parseWithYams(yaml, firstLine: 2, sites: &sites) else { return false }
        return props == fast.properties && sites == fast.sites
    }
}
