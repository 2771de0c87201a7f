// A laid-out page as lines for `mycel show`: plain text for pipes, or with ANSI colours
// (16-colour SGR codes by role) for a terminal.

extension Page {
    /// One string per row. With `colour`, styles become SGR sequences; text is always
    /// sanitised (the grid rules apply: no control character from a note gets through).
    public func lines(colour: Bool) -> [String] {
        rows.map { row in
            var out = ""
            var col = 0
            for s in row.segments {
                if s.x > col { out += String(repeating: " ", count: s.x - col) }
                let text = Sanitize.line(s.text)
                if colour, let sgr = Self.sgr(s.style) {
                    out += "\u{1B}[\(sgr)m" + text + "\u{1B}[0m"
                } else {
                    out += text
                }
                col = s.x + s.width
            }
            while out.hasSuffix(" ") { out.removeLast() }
            return out
        }
    }

    static func sgr(_ style: Style) -> String? {
        var codes: [String] = []
        switch style.role {
        case .title, .heading1: codes.append("1;35")
        case .heading2: codes.append("1;34")
        case .heading3, .heading4: codes.append("1;36")
        case .dim, .rule, .border, .footnote: codes.append("2")
        case .code, .codeBlock: codes.append("33")
        case .quote: codes.append("2")
        case .highlight: codes.append("30;43")
        case .tag: codes.append("36")
        case .link: codes.append("34;4")
        case .linkAlias: codes.append("35;4")
        case .linkUnresolved: codes.append("31")
        case .linkExternal: codes.append("32;4")
        case .embed: codes.append("35")
        case .propertyKey: codes.append("2")
        case .callout: codes.append("34")
        case .calloutWarning: codes.append("33")
        case .taskDone: codes.append("32")
        case .error: codes.append("31")
        default: break
        }
        if style.flags.contains(.bold) { codes.append("1") }
        if style.flags.contains(.italic) { codes.append("3") }
        if style.flags.contains(.underline) { codes.append("4") }
        if style.flags.contains(.strike) { codes.append("9") }
        if style.flags.contains(.reverse) { codes.append("7") }
        return codes.isEmpty ? nil : codes.joined(separator: ";")
    }
}
