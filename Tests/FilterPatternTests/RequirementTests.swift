import FilterPattern
import Testing

/// What a pattern cannot match without: the equality the filter set dispatches on, and the
/// top-level members it screens by. Both must be sound (never name something a matching event
/// may lack); `FilterSetDispatchTests` checks that end to end on random patterns and real events.
struct RequirementTests {
    static let memberCases: [(pattern: String, members: [String])] = [
        (#"{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}"#, ["errorCode"]),
        (#"{ $.a = 1 && $.b.c = 2 }"#, ["a", "b"]),
        (#"{ $.a = 1 || $.b = 2 }"#, []),
        (#"{ ($.a = 1 && $.b = 2) || ($.a = 3 && $.c = 4) }"#, ["a"]),
        (#"{ $.a NOT EXISTS }"#, []),
        (#"{ $.a NOT EXISTS && $.b = 1 }"#, ["b"]),
        (#"{ $.a != "x" }"#, ["a"]),
        (#"{ $.a IS TRUE || $.a IS NULL }"#, ["a"]),
        (#"{ $.a.* = 1 }"#, ["a"]),
        (#"{ $.* = 1 }"#, []),
        (#"{ $.['key.with.dots'] = 1 }"#, ["key.with.dots"]),
        (#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#,
         ["eventType", "userIdentity"]),
        (#"{ $.a = %b+% }"#, ["a"]),
        (#"{ $.a[0] = 1 }"#, ["a"]),
        (#"{ $.a = 1 || $.a NOT EXISTS }"#, []),
        (#"{ $.a > 5 && $.b IS FALSE }"#, ["a", "b"]),
        (#"{ ($.a = 1 || $.b = 1) && ($.a = 2 || $.a = 3) }"#, ["a"]),
        ("ERROR", []),
        ("[ip, user, status = 404]", []),
        ("", []),
    ]

    @Test(arguments: memberCases)
    func requiredMembers(_ pattern: String, _ members: [String]) throws {
        let compiled = try CompiledPattern(pattern)
        #expect(compiled.requiredMembers.map { String(decoding: $0, as: UTF8.self) } == members)
    }
}
