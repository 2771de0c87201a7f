// Roles to colours, for 256, 16 and 8 colours and for monochrome (attributes only).
// -1 is the terminal's own default colour, so mycel sits on the user's background.

import BrowserUI
import CNCursesW

public struct Theme: Sendable {
    public struct Entry: Sendable {
        public var foreground: Int
        public var background: Int
        public var attributes: attr_t
    }

    /// (256-colour fg, bg), (16-colour fg, bg), monochrome attributes.
    typealias Row = (c256: (Int, Int), c16: (Int, Int), mono: attr_t)

    let rows: [Role: Row]

    public func entry(_ role: Role, _ mode: ColorMode) -> Entry {
        let row = rows[role] ?? ((-1, -1), (-1, -1), 0)
        switch mode {
        case .colors256: return Entry(foreground: row.c256.0, background: row.c256.1, attributes: 0)
        case .colors16: return Entry(foreground: row.c16.0, background: row.c16.1, attributes: 0)
        case .colors8:
            // Bright colours (8-15) fold onto their base colour, made bold.
            let fg = row.c16.0, bg = row.c16.1
            return Entry(foreground: fg >= 8 ? fg - 8 : fg, background: bg >= 8 ? bg - 8 : bg,
                         attributes: fg >= 8 ? mycel_a_bold() : 0)
        case .monochrome: return Entry(foreground: -1, background: -1, attributes: row.mono)
        }
    }

    /// This theme with some roles' colours replaced (256-colour numbers; in 16 and 8 colours
    /// the numbers below 16 apply).
    public func overriding(_ colors: [Role: (Int, Int)]) -> Theme {
        var rows = self.rows
        for (role, pair) in colors {
            let old = rows[role] ?? ((-1, -1), (-1, -1), 0)
            let c16 = (pair.0 < 16 ? pair.0 : old.c16.0, pair.1 < 16 ? pair.1 : old.c16.1)
            rows[role] = ((pair.0, pair.1), c16, old.mono)
        }
        return Theme(rows: rows)
    }

    /// For terminals with a light background: darker text, lighter highlights.
    public static let light: Theme = standard.overriding([
        .dim: (242, -1), .title: (90, -1), .heading1: (90, -1), .heading2: (25, -1), .heading3: (30, -1),
        .heading4: (28, -1), .code: (130, 254), .codeBlock: (236, 254), .quote: (240, -1), .highlight: (16, 229),
        .tag: (30, -1), .rule: (250, -1), .link: (25, -1), .linkUnresolved: (160, -1), .linkAlias: (90, -1),
        .linkExternal: (28, -1), .embed: (90, -1), .propertyKey: (242, -1), .callout: (25, -1),
        .calloutWarning: (130, -1), .task: (240, -1), .taskDone: (28, -1), .footnote: (242, -1),
        .border: (250, -1), .paneTitle: (236, 253), .paneTitleFocused: (231, 25), .selection: (16, 189),
        .match: (16, 221), .status: (236, 252), .statusKey: (25, 252), .message: (16, 221), .error: (160, -1),
        .hint: (231, 166), .overlay: (-1, 255),
    ])

    public static let standard: Theme = {
        let bold = mycel_a_bold(), dim = mycel_a_dim(), under = mycel_a_underline(), rev = mycel_a_reverse()
        let r: [Role: Row] = [
            .plain: ((-1, -1), (-1, -1), 0),
            .dim: ((245, -1), (8, -1), dim),
            .title: ((213, -1), (13, -1), bold),
            .heading1: ((213, -1), (13, -1), bold),
            .heading2: ((111, -1), (12, -1), bold),
            .heading3: ((80, -1), (14, -1), bold),
            .heading4: ((150, -1), (10, -1), bold),
            .code: ((216, 236), (11, -1), 0),
            .codeBlock: ((252, 235), (7, -1), 0),
            .quote: ((250, -1), (7, -1), dim),
            .highlight: ((16, 222), (0, 11), rev),
            .tag: ((79, -1), (6, -1), 0),
            .rule: ((240, -1), (8, -1), dim),
            .link: ((75, -1), (12, -1), under),
            .linkUnresolved: ((203, -1), (9, -1), dim | under),
            .linkAlias: ((177, -1), (13, -1), under),
            .linkExternal: ((114, -1), (10, -1), under),
            .embed: ((177, -1), (5, -1), bold),
            .propertyKey: ((245, -1), (8, -1), dim),
            .propertyValue: ((-1, -1), (-1, -1), 0),
            .callout: ((75, -1), (12, -1), bold),
            .calloutWarning: ((214, -1), (11, -1), bold),
            .task: ((250, -1), (7, -1), 0),
            .taskDone: ((114, -1), (10, -1), dim),
            .footnote: ((245, -1), (8, -1), dim),
            .border: ((240, -1), (8, -1), dim),
            .paneTitle: ((250, 236), (7, 0), bold),
            .paneTitleFocused: ((16, 75), (0, 12), rev),
            .selection: ((16, 153), (0, 14), rev),
            .match: ((16, 220), (0, 11), rev | under),
            .status: ((252, 238), (15, 8), rev),
            .statusKey: ((153, 238), (14, 8), rev),
            .message: ((16, 222), (0, 11), rev | bold),
            .error: ((203, -1), (9, -1), bold),
            .hint: ((16, 214), (0, 11), rev | bold),
            .overlay: ((-1, 235), (-1, 0), 0),
        ]
        return Theme(rows: r)
    }()
}
