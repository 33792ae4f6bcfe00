import Testing
@testable import LogIntegrity

@Suite("JSONParser")
struct JSONParserTests {
    @Test("accepts", arguments: [#"{"a":[1,-2.5e3,true,false,null,"\u00e9\ud83d\ude00\n"]}"#, "[]", " {} ", #""x""#])
    func accepts(_ text: String) throws {
        _ = try JSONParser.parse(Array(text.utf8))
    }

    @Test("rejects", arguments: [#"{"a":1,"a":2}"#, "{", "[1,]", "01", #"{"a":1} x"#, #""\ud800""#, "tru", #""a"#, "[\"\u{1}\"]"])
    func rejects(_ text: String) {
        #expect(throws: JSONError.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test("duplicate keys are found in large objects too")
    func duplicateInLargeObject() {
        let members = (0..<40).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
        #expect(throws: JSONError.self) { try JSONParser.parse(Array("{\(members),\"k3\":0}".utf8)) }
        #expect(throws: Never.self) { try JSONParser.parse(Array("{\(members)}".utf8)) }
    }

    @Test("depth is capped without recursion trouble")
    func depth() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONError.self) { try JSONParser.parse(Array(deep.utf8), maxDepth: 32) }
        let ok = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
        #expect(throws: Never.self) { try JSONParser.parse(Array(ok.utf8), maxDepth: 32) }
    }
}
