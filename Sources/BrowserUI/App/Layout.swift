// Where the panes go for a terminal size: three panes from 90 columns, the left pane giving
// way below 90 and the right one below 60; `[` and `]` bring them back, and a focused side
// pane that does not fit next to the note takes the whole width.

public struct Rect: Sendable, Equatable {
    public var x, y, width, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }
    public func contains(_ px: Int, _ py: Int) -> Bool {
        px >= x && px < x + width && py >= y && py < y + height
    }
}

public struct Frames: Sendable, Equatable {
    public var left: Rect?
    public var centre: Rect?
    public var right: Rect?
    public var status: Rect
}

public enum Layout {
    public static let leftBreakpoint = 90
    public static let rightBreakpoint = 60
    /// Narrowest the note pane gets before a side pane is drawn instead of it.
    static let minimumCentre = 30

    public static func frames(for state: AppState) -> Frames {
        let w = state.width, h = state.height
        let bodyHeight = max(0, h - 1)
        let status = Rect(x: 0, y: max(0, h - 1), width: w, height: min(1, h))
        var wantLeft = state.showLeft ?? (w >= leftBreakpoint)
        var wantRight = state.showRight ?? (w >= rightBreakpoint)
        if state.focus == .left { wantLeft = true }
        if state.focus == .right { wantRight = true }
        let leftWidth = state.leftWidth ?? min(32, max(18, w * 22 / 100))
        let rightWidth = state.rightWidth ?? min(40, max(22, w * 26 / 100))

        // A focused pane that leaves too little room for the note takes the whole width.
        func alone(_ focus: Focus) -> Bool {
            let used = (wantLeft ? leftWidth + 1 : 0) + (wantRight ? rightWidth + 1 : 0)
            return state.focus == focus && w - used < minimumCentre
        }
        if alone(.left) {
            return Frames(left: Rect(x: 0, y: 0, width: w, height: bodyHeight), centre: nil, right: nil, status: status)
        }
        if alone(.right) {
            return Frames(left: nil, centre: nil, right: Rect(x: 0, y: 0, width: w, height: bodyHeight), status: status)
        }
        // Otherwise side panes are dropped until the note keeps its minimum width: the left
        // one first, unless the user asked for it (`[`) and not for the right one.
        func centreWidth() -> Int { w - (wantLeft ? leftWidth + 1 : 0) - (wantRight ? rightWidth + 1 : 0) }
        let leftFirst = !(state.showLeft == true && state.showRight != true)
        for side in leftFirst ? [Focus.left, .right] : [.right, .left] where centreWidth() < minimumCentre {
            if side == .left, wantLeft, state.focus != .left { wantLeft = false }
            if side == .right, wantRight, state.focus != .right { wantRight = false }
        }

        var x = 0
        var frames = Frames(left: nil, centre: nil, right: nil, status: status)
        if wantLeft {
            frames.left = Rect(x: 0, y: 0, width: leftWidth, height: bodyHeight)
            x = leftWidth + 1
        }
        let right = wantRight ? rightWidth + 1 : 0
        frames.centre = Rect(x: x, y: 0, width: w - x - right, height: bodyHeight)
        if wantRight {
            frames.right = Rect(x: w - rightWidth, y: 0, width: rightWidth, height: bodyHeight)
        }
        return frames
    }

    /// Columns left for the note's text inside the centre pane (one column of margin each side).
    static func textWidth(_ centre: Rect) -> Int { max(1, centre.width - 2) }
}
