import Synchronization
import Testing
@testable import VaultKit

@Suite("Work on other threads")
struct ConcurrencyTests {
    /// Set once its token is gone.
    final class Flag: Sendable {
        private let value = Atomic<Bool>(false)
        var isSet: Bool { value.load(ordering: .acquiring) }
        func set() { value.store(true, ordering: .releasing) }
    }

    final class Token: Sendable {
        let flag: Flag
        init(_ flag: Flag) { self.flag = flag }
        deinit { flag.set() }
    }

    @Test("a deferred value's work, and what it captured, are let go before the value is ready")
    func deferredLetsGoOfItsWork() {
        for _ in 0..<200 {
            let flag = Flag()
            var token: Token? = Token(flag)
            let deferred = Deferred { [token] in token.map { _ in 7 } ?? 0 }
            token = nil
            #expect(deferred.value == 7)
            // The browser frees a vault this way while it loads the next: a capture released
            // late, on the work's thread, raced that load.
            #expect(flag.isSet)
        }
    }

    @Test("a deferred value is destroyed with its object, on the thread that lets the object go")
    func deferredValueDiesWithItsObject() {
        for _ in 0..<200 {
            let flag = Flag()
            var deferred: Deferred<Token>? = Deferred { Token(flag) }
            _ = deferred?.value
            #expect(!flag.isSet)
            deferred = nil
            #expect(flag.isSet)
        }
    }
}
